"""What a signed-in citizen lists: the requests of their own households, newest first."""

from fastapi import APIRouter

from api.authorization import scope_clause
from api.deps import CurrentPrincipal, DbSession, Paging
from api.schemas.lists import RequestRow
from api.views import request_row
from services import request_lists

router = APIRouter(prefix="/citizen", tags=["citizen"])


@router.get("/requests", response_model=list[RequestRow])
async def my_requests(principal: CurrentPrincipal, session: DbSession, page: Paging) -> list[RequestRow]:
    rows = await request_lists.supervision_list(
        session, scope_clause(principal), request_lists.SupervisionFilter(), page.limit, page.offset
    )
    return [request_row(r) for r in rows]
