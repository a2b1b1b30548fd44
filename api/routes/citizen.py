"""What a signed-in citizen lists: the requests of their own households, newest first."""

from fastapi import APIRouter, status

from api.deps import CurrentPrincipal, Paging, UseCases
from usecases.relief import work_lists
from usecases.schemas.lists import RequestRow
from usecases.trust import sessions

router = APIRouter(prefix="/citizen", tags=["citizen"])


@router.post("/sessions/revocation", status_code=status.HTTP_204_NO_CONTENT)
async def end_every_session(principal: CurrentPrincipal, ctx: UseCases) -> None:
    """Ends every session (token) of the caller's households, this one included."""
    await sessions.revoke_citizen_tokens(ctx, principal)


@router.get("/requests", response_model=list[RequestRow])
async def my_requests(principal: CurrentPrincipal, ctx: UseCases, page: Paging) -> list[RequestRow]:
    return await work_lists.citizen_requests(ctx, principal, page)
