"""Supervision: filtered lists and counts by stage per district (a district official: their own district only;
filters outside it answer empty, like a filter that matches nothing)."""

from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import CurrentPrincipal, Paging, UseCases
from domain.stages import RequestKind, Stage
from services.request_lists import SupervisionFilter
from usecases.relief import supervision
from usecases.schemas.lists import RequestRow, StageCount
from usecases.schemas.text import CODE_PATTERN

router = APIRouter(prefix="/supervision", tags=["supervision"])


@router.get("/requests", response_model=list[RequestRow])
async def supervised_requests(
    principal: CurrentPrincipal,
    ctx: UseCases,
    page: Paging,
    district_code: Annotated[str | None, Query(max_length=16, pattern=CODE_PATTERN)] = None,
    ward_code: Annotated[str | None, Query(max_length=16, pattern=CODE_PATTERN)] = None,
    stage: Stage | None = None,
    kind: RequestKind | None = None,
    overdue: bool | None = None,
    older_than_hours: Annotated[int | None, Query(ge=0, le=24 * 365)] = None,
) -> list[RequestRow]:
    filters = SupervisionFilter(
        district_code=district_code,
        ward_code=ward_code,
        stage=stage,
        kind=kind,
        overdue=overdue,
        older_than_hours=older_than_hours,
    )
    return await supervision.requests(ctx, principal, filters, page)


@router.get("/summary", response_model=list[StageCount])
async def summary(principal: CurrentPrincipal, ctx: UseCases) -> list[StageCount]:
    return await supervision.summary(ctx, principal)
