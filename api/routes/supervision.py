"""Supervision: filtered lists and counts by stage per district.

A district official sees their own district only: filters outside it give an empty answer, the same
as a filter that matches nothing (nothing outside one's scope is revealed, not even by a 403).
"""

from typing import Annotated

from fastapi import APIRouter, Query

from api.authorization import scope_clause
from api.deps import CurrentPrincipal, DbSession, Paging
from api.schemas.lists import RequestRow, StageCount
from api.schemas.text import CODE_PATTERN
from api.views import request_row
from domain.stages import RequestKind, Stage
from services import request_lists

router = APIRouter(prefix="/supervision", tags=["supervision"])


@router.get("/requests", response_model=list[RequestRow])
async def supervised_requests(
    principal: CurrentPrincipal,
    session: DbSession,
    page: Paging,
    district_code: Annotated[str | None, Query(max_length=16, pattern=CODE_PATTERN)] = None,
    ward_code: Annotated[str | None, Query(max_length=16, pattern=CODE_PATTERN)] = None,
    stage: Stage | None = None,
    kind: RequestKind | None = None,
    overdue: bool | None = None,
    older_than_hours: Annotated[int | None, Query(ge=0, le=24 * 365)] = None,
) -> list[RequestRow]:
    filters = request_lists.SupervisionFilter(
        district_code=district_code,
        ward_code=ward_code,
        stage=stage,
        kind=kind,
        overdue=overdue,
        older_than_hours=older_than_hours,
    )
    rows = await request_lists.supervision_list(session, scope_clause(principal), filters, page.limit, page.offset)
    return [request_row(r) for r in rows]


@router.get("/summary", response_model=list[StageCount])
async def summary(principal: CurrentPrincipal, session: DbSession) -> list[StageCount]:
    counts = await request_lists.stage_counts(session, scope_clause(principal))
    return [StageCount(district_code=d, stage=Stage(s), count=n) for d, s, n in counts]
