"""Places' daily reports: the place's staff file the day's counts, consumption and proposals; a second person
approves a counted difference; officials list the day's reports of their district or the city, missing ones first."""

from datetime import date
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Path, Query

from api.deps import CurrentPrincipal, IdempotencyKey, UseCases
from usecases.schemas.place_reports import AdjustmentView, DayReports, PlaceReportView, ReportBody, ReportFiled
from usecases.schemas.text import CODE_PATTERN
from usecases.supply import place_reports

router = APIRouter(prefix="/place-reports", tags=["place reports"])

PlaceCode = Annotated[str, Path(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9-]+$")]


@router.get("", response_model=DayReports)
async def day_reports(
    principal: CurrentPrincipal,
    ctx: UseCases,
    day: date | None = None,
    district_code: Annotated[str | None, Query(max_length=16, pattern=CODE_PATTERN)] = None,
) -> DayReports:
    """The day's report of every place in scope (today by default), by district: filed, late, missing, open."""
    return await place_reports.day_reports(ctx, principal, day, district_code)


@router.get("/places/{place_code}", response_model=PlaceReportView)
async def report(
    place_code: PlaceCode, principal: CurrentPrincipal, ctx: UseCases, day: date | None = None
) -> PlaceReportView:
    """A place's report of the day: each item's ledger on-hand beside what was counted, and its proposals."""
    return await place_reports.report(ctx, principal, place_code, day)


@router.post("/places/{place_code}", response_model=ReportFiled, status_code=201)
async def file(
    place_code: PlaceCode, body: ReportBody, principal: CurrentPrincipal, ctx: UseCases, key: IdempotencyKey = None
) -> ReportFiled:
    """Today's report of the caller's own place; 409 when it was filed already."""
    return await place_reports.file(ctx, principal, place_code, body, key)


@router.get("/adjustments", response_model=list[AdjustmentView])
async def pending_adjustments(principal: CurrentPrincipal, ctx: UseCases) -> list[AdjustmentView]:
    """Counted differences in scope waiting for a second person."""
    return await place_reports.pending_adjustments(ctx, principal)


@router.post("/adjustments/{adjustment_id}/approval", response_model=AdjustmentView)
async def approve(adjustment_id: UUID, principal: CurrentPrincipal, ctx: UseCases) -> AdjustmentView:
    """A second person approves the difference into the ledger (again: nothing more is written)."""
    return await place_reports.approve(ctx, principal, adjustment_id)
