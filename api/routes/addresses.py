"""Finding the ward in a typed address, for the citizen to confirm before registering."""

from fastapi import APIRouter, Request

from api.deps import UseCases
from api.errors import request_lang
from usecases.identity import places
from usecases.schemas.addresses import AddressText, ParsedWard

router = APIRouter(prefix="/addresses", tags=["geography"])


@router.post("/parse", response_model=ParsedWard)
async def parse(body: AddressText, ctx: UseCases, request: Request) -> ParsedWard:
    """The ward found, and the question to confirm it in the caller's language."""
    return await places.find_ward(ctx, body, request_lang(request))
