"""What officials must act on, and a courier's round."""

from fastapi import APIRouter

from api.deps import CurrentPrincipal, Paging, UseCases
from usecases.relief import work_lists
from usecases.schemas.lists import DeliveryRow, RequestRow

router = APIRouter(tags=["work lists"])


@router.get("/inbox", response_model=list[RequestRow])
async def inbox(principal: CurrentPrincipal, ctx: UseCases, page: Paging) -> list[RequestRow]:
    """Ward: its requests awaiting verification or dispatch, overdue first, then oldest.
    District: requests escalated to it. City: every escalated request."""
    return await work_lists.inbox(ctx, principal, page)


@router.get("/deliveries", response_model=list[DeliveryRow])
async def deliveries(principal: CurrentPrincipal, ctx: UseCases, page: Paging) -> list[DeliveryRow]:
    """The courier's requests out for delivery, ordered by address, with whom to hand them to."""
    return await work_lists.delivery_round(ctx, principal, page)
