"""Finding the ward in a typed address, for the citizen to confirm before registering."""

from fastapi import APIRouter

from api.deps import UseCases
from usecases.identity import places
from usecases.schemas.addresses import AddressText, ParsedWard

router = APIRouter(prefix="/addresses", tags=["geography"])


@router.post("/parse", response_model=ParsedWard)
async def parse(body: AddressText, ctx: UseCases) -> ParsedWard:
    return await places.find_ward(ctx, body)
