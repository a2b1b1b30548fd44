"""Messages to the staff of a ward, district or the city (reminders, escalations, returns, stock near or past its
expiry), and to warehouse staff about their place's stock."""

from fastapi import APIRouter

from api.deps import CurrentPrincipal, Paging, UseCases
from usecases.relief import work_lists
from usecases.schemas.lists import StaffNotificationRow

router = APIRouter(tags=["notifications"])


@router.get("/notifications", response_model=list[StaffNotificationRow])
async def staff_notifications(principal: CurrentPrincipal, ctx: UseCases, page: Paging) -> list[StaffNotificationRow]:
    return await work_lists.staff_notifications(ctx, principal, page)
