"""What a signed-in citizen lists: the requests of their own households, newest first."""

from fastapi import APIRouter

from api.deps import CurrentPrincipal, Paging, UseCases
from usecases.relief import work_lists
from usecases.schemas.lists import RequestRow

router = APIRouter(prefix="/citizen", tags=["citizen"])


@router.get("/requests", response_model=list[RequestRow])
async def my_requests(principal: CurrentPrincipal, ctx: UseCases, page: Paging) -> list[RequestRow]:
    return await work_lists.citizen_requests(ctx, principal, page)
