"""Supervision: filtered lists, counts by stage per district, and the dashboard's drill-down from the city to a
ward. Every count is filtered by the caller's scope: a district official sees their own district only, and a
filter outside it answers empty, like one that matches nothing (not even a 403 reveals what exists elsewhere)."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from common.city_time import CITY_TZ
from domain.roles import Role, UnitLevel
from domain.stages import FINAL_STAGES, OPEN_STAGES, Stage
from services import delivery, request_lists
from services.cash_figures import CashArea, cash_by_area
from services.geography import child_units, unit_names
from texts import Text
from usecases.access import scope_clause, ward_in_scope
from usecases.context import Context
from usecases.errors import NotFound
from usecases.principal import Principal
from usecases.relief.views import request_row
from usecases.relief.work_lists import Page
from usecases.schemas.lists import RequestRow, StageCount
from usecases.supply import spoilage
from usecases.supply.spoilage import SpoiledRow

DAYS = 14  # the dashboard's deliveries-per-day window
STAGE_ORDER = [s.value for s in Stage]
_OPEN = {s.value for s in OPEN_STAGES}
# Ended without a bag, not refused by the duplicate check: rejected by the ward, expired or cancelled.
_OTHER_CLOSED = {s.value for s in FINAL_STAGES - {Stage.DELIVERED, Stage.REFUSED}}


async def requests(
    ctx: Context, principal: Principal, filters: request_lists.SupervisionFilter, page: Page
) -> list[RequestRow]:
    rows = await request_lists.supervision_list(ctx.session, scope_clause(principal), filters, page.limit, page.offset)
    return [request_row(r) for r in rows]


async def summary(ctx: Context, principal: Principal) -> list[StageCount]:
    counts = await request_lists.stage_counts(ctx.session, scope_clause(principal))
    return [StageCount(district_code=d, stage=Stage(s), count=n) for d, s, n in counts]


@dataclass(frozen=True)
class Area:
    code: str
    name: str
    # open + delivered + refused + closed = total: every request is in exactly one column.
    total: int = 0
    open: int = 0
    delivered: int = 0
    refused: int = 0
    closed: int = 0  # rejected, expired or cancelled
    review: int = 0  # deliveries waiting for the ward's review (a recipient who is not a member)


@dataclass(frozen=True)
class Dashboard:
    """One level of the drill-down: totals by stage, a row per area below (every one, with zeros), goods
    written off per week (by district at city level, by place in a district) and, at city level, deliveries per
    day and the overdue requests."""

    by_stage: list[tuple[str, int]]
    areas: list[Area]
    heading: str | None = None
    district_code: str | None = None
    per_day: list[tuple[date, int]] | None = None
    overdue: list[RequestRow] | None = None
    spoiled: list[SpoiledRow] | None = None
    cash: list[CashArea] | None = None  # cash support per area with needs (names from `areas`)


@dataclass(frozen=True)
class WardRequests:
    """The bottom of the drill-down: one ward's requests, newest first (100 at most), under its district."""

    ward_name: str
    district_code: str
    district_name: str
    rows: list[RequestRow]


def _areas(counts: list[tuple[str, str, int]], names: dict[str, str], review: dict[str, int]) -> list[Area]:
    """Per area, every one of `names` (an area without requests with zeros): its requests by column, and
    deliveries for review."""
    by_area: dict[str, dict[str, int]] = {
        code: {"total": 0, "open": 0, "delivered": 0, "refused": 0, "closed": 0} for code in names
    }
    for area, stage, n in counts:
        row = by_area.setdefault(area, {"total": 0, "open": 0, "delivered": 0, "refused": 0, "closed": 0})
        row["total"] += n
        row["open"] += n if stage in _OPEN else 0
        row["delivered"] += n if stage == Stage.DELIVERED.value else 0
        row["refused"] += n if stage == Stage.REFUSED.value else 0
        row["closed"] += n if stage in _OTHER_CLOSED else 0
    return [
        Area(code, names.get(code, code), review=review.get(code, 0), **row) for code, row in sorted(by_area.items())
    ]


def _by_stage(counts: list[tuple[str, str, int]]) -> list[tuple[str, int]]:
    totals: dict[str, int] = defaultdict(int)
    for _, stage, n in counts:
        totals[stage] += n
    return [(s, totals[s]) for s in STAGE_ORDER if totals.get(s)]


async def city(ctx: Context, principal: Principal) -> Dashboard:
    scope = scope_clause(principal)
    counts = await request_lists.stage_counts(ctx.session, scope)
    districts = await child_units(ctx.session, ctx.settings.city_code, UnitLevel.DISTRICT)
    names = {
        d.code: d.name
        for d in districts
        if principal.role != Role.DISTRICT_OFFICIAL or d.code == principal.district_code
    }
    overdue = await request_lists.supervision_list(
        ctx.session, scope, request_lists.SupervisionFilter(overdue=True), limit=20, offset=0
    )
    today = datetime.now(CITY_TZ).date()
    since = datetime.now(UTC) - timedelta(days=DAYS)
    found = dict(await request_lists.deliveries_per_day(ctx.session, scope, since))
    per_day = [(day, found.get(day, 0)) for day in (today - timedelta(days=i) for i in range(DAYS - 1, -1, -1))]
    return Dashboard(
        by_stage=_by_stage(counts),
        areas=_areas(counts, names, await delivery.review_counts(ctx.session, scope, "district")),
        per_day=per_day,
        overdue=[request_row(r) for r in overdue],
        spoiled=await spoilage.spoiled_by_district(ctx, principal),
        cash=await cash_by_area(ctx.session, scope),
    )


async def district(ctx: Context, principal: Principal, district_code: str) -> Dashboard:
    if principal.role == Role.DISTRICT_OFFICIAL and principal.district_code != district_code:
        raise NotFound(Text("err.district_not_in_scope"))  # like a district that does not exist
    wards = await child_units(ctx.session, district_code, UnitLevel.WARD)
    if not wards:
        raise NotFound(Text("err.district_not_in_scope"))
    counts = await request_lists.ward_stage_counts(ctx.session, scope_clause(principal), district_code)
    review = await delivery.review_counts(ctx.session, scope_clause(principal), "ward")
    district_name = (await unit_names(ctx.session, [district_code])).get(district_code, district_code)
    return Dashboard(
        by_stage=_by_stage(counts),
        areas=_areas(counts, {w.code: w.name for w in wards}, review),
        heading=district_name,
        district_code=district_code,
        spoiled=await spoilage.spoiled_by_place(ctx, principal, district_code),
        cash=await cash_by_area(ctx.session, scope_clause(principal), district_code),
    )


async def ward(ctx: Context, principal: Principal, ward_code: str) -> WardRequests:
    ward_code, district_code = await ward_in_scope(ctx.session, principal, ward_code)
    rows = await request_lists.supervision_list(
        ctx.session,
        scope_clause(principal),
        request_lists.SupervisionFilter(ward_code=ward_code),
        limit=100,
        offset=0,
    )
    names = await unit_names(ctx.session, [ward_code, district_code])
    return WardRequests(
        ward_name=names.get(ward_code, ward_code),
        district_code=district_code,
        district_name=names.get(district_code, district_code),
        rows=[request_row(r) for r in rows],
    )
