"""Messages to the staff of a ward or district: reminders, escalations, returns."""

from fastapi import APIRouter

from api.deps import CurrentPrincipal, DbSession, Paging
from api.schemas.lists import StaffNotificationRow
from services import request_lists

router = APIRouter(tags=["notifications"])


@router.get("/notifications", response_model=list[StaffNotificationRow])
async def staff_notifications(
    principal: CurrentPrincipal, session: DbSession, page: Paging
) -> list[StaffNotificationRow]:
    assert principal.unit_code is not None
    rows = await request_lists.staff_notifications(session, principal.unit_code, page.limit, page.offset)
    return [
        StaffNotificationRow(
            request_code=code, event=n.event, audience=n.audience, message=n.message, created_at=n.created_at
        )
        for n, code in rows
    ]
