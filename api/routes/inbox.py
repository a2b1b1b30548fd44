"""What officials must act on, and a courier's round."""

from fastapi import APIRouter

from api.deps import Audit, CurrentPrincipal, DbSession, Paging
from api.schemas.lists import DeliveryRow, RequestRow
from api.views import delivery_row, request_row
from domain.roles import Role
from services import request_lists

router = APIRouter(tags=["work lists"])


@router.get("/inbox", response_model=list[RequestRow])
async def inbox(principal: CurrentPrincipal, session: DbSession, page: Paging) -> list[RequestRow]:
    """Ward: its requests awaiting verification or dispatch, overdue first, then oldest.
    District: requests escalated to it. City: every escalated request."""
    if principal.role == Role.WARD_OFFICIAL:
        assert principal.ward_code is not None
        rows = await request_lists.ward_inbox(session, principal.ward_code, page.limit, page.offset)
    elif principal.role == Role.DISTRICT_OFFICIAL:
        assert principal.district_code is not None
        rows = await request_lists.escalated_inbox(session, principal.district_code, page.limit, page.offset)
    else:
        rows = await request_lists.escalated_inbox(session, None, page.limit, page.offset)
    return [request_row(r) for r in rows]


@router.get("/deliveries", response_model=list[DeliveryRow])
async def deliveries(principal: CurrentPrincipal, session: DbSession, page: Paging, audit: Audit) -> list[DeliveryRow]:
    """The courier's requests out for delivery, ordered by address, with whom to hand them to."""
    assert principal.user_id is not None
    rows = await request_lists.courier_round(session, principal.user_id, page.limit, page.offset)
    await audit.record("read_delivery_round", count=len(rows), codes=[r.code for r in rows])
    return [delivery_row(r) for r in rows]
