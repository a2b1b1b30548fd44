"""What each person works from: an official's inbox, a courier's round, a citizen's requests, the staff's
messages. Every list is filtered to the caller's scope and bounded by its page."""

from dataclasses import dataclass

from domain.roles import Role
from services import request_lists
from usecases.access import scope_clause
from usecases.context import Context
from usecases.principal import Principal
from usecases.relief.views import delivery_row, inbox_row, request_row
from usecases.schemas.lists import DeliveryRow, RequestRow, StaffNotificationRow


@dataclass(frozen=True)
class Page:
    """Paging, bounded: a list never returns more than 100 rows at once."""

    limit: int = 50
    offset: int = 0


async def inbox(
    ctx: Context, principal: Principal, page: Page, f: request_lists.InboxFilter = request_lists.NO_FILTER
) -> list[RequestRow]:
    """Ward: its requests awaiting verification or dispatch, overdue first, then oldest.
    District: requests escalated to it. City: every escalated request. Narrowed by stage or to the overdue."""
    if principal.role == Role.WARD_OFFICIAL:
        assert principal.ward_code is not None
        rows = await request_lists.ward_inbox(ctx.session, principal.ward_code, page.limit, page.offset, f)
    elif principal.role == Role.DISTRICT_OFFICIAL:
        assert principal.district_code is not None
        rows = await request_lists.escalated_inbox(ctx.session, principal.district_code, page.limit, page.offset, f)
    else:
        rows = await request_lists.escalated_inbox(ctx.session, None, page.limit, page.offset, f)
    return [inbox_row(r) for r in rows]


async def delivery_round(ctx: Context, principal: Principal, page: Page) -> list[DeliveryRow]:
    """The courier's requests out for delivery, ordered by address, with whom to hand them to."""
    assert principal.user_id is not None
    rows = await request_lists.courier_round(ctx.session, principal.user_id, page.limit, page.offset)
    await ctx.auditor(principal).record("read_delivery_round", count=len(rows), codes=[r.code for r in rows])
    return [delivery_row(r) for r in rows]


async def citizen_requests(ctx: Context, principal: Principal, page: Page) -> list[RequestRow]:
    """The requests of the citizen's own households, newest first."""
    rows = await request_lists.supervision_list(
        ctx.session, scope_clause(principal), request_lists.SupervisionFilter(), page.limit, page.offset
    )
    return [request_row(r) for r in rows]


async def staff_notifications(ctx: Context, principal: Principal, page: Page) -> list[StaffNotificationRow]:
    """Reminders, escalations and returns sent to the staff of the caller's unit, and the spoilage watch's flags
    (to the city's officials, and to warehouse staff those of their own place)."""
    assert principal.unit_code is not None
    rows = await request_lists.staff_notifications(
        ctx.session, principal.unit_code, page.limit, page.offset, place_code=principal.place_code
    )
    return [
        StaffNotificationRow(
            request_code=code,
            place_code=n.place_code,
            event=n.event,
            audience=n.audience,
            message=n.message,
            created_at=n.created_at,
        )
        for n, code in rows
    ]
