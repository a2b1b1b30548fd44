"""District and city supervision: totals by stage and by area, deliveries per day, overdue and escalated
requests; drill down district → wards → a ward's requests → a request's page (its full timeline and the
link to its workflow). Every count is filtered by api.authorization.scope_clause, like the API's."""

from collections import defaultdict
from datetime import UTC, date, datetime, timedelta

from fastapi import APIRouter, HTTPException, Request, Response, status

from api.authorization import may_act_for_ward, scope_clause
from api.deps import CurrentPrincipal, DbSession
from api.principal import Principal
from api.routes.registries import WardCode
from api.views import request_row
from common.city_time import CITY_TZ
from domain.roles import Role, UnitLevel
from domain.stages import OPEN_STAGES, Stage
from services import request_lists
from services.geography import child_units, unit_names, ward_with_district
from web.render import render

router = APIRouter(include_in_schema=False)

DAYS = 14
STAGE_ORDER = [s.value for s in Stage]
_OPEN = {s.value for s in OPEN_STAGES}


def _area_rows(counts: list[tuple[str, str, int]], names: dict[str, str]) -> list[dict[str, object]]:
    """Per area: total, open and delivered, with the area's name."""
    by_area: dict[str, dict[str, int]] = defaultdict(lambda: {"total": 0, "open": 0, "delivered": 0})
    for area, stage, n in counts:
        row = by_area[area]
        row["total"] += n
        row["open"] += n if stage in _OPEN else 0
        row["delivered"] += n if stage == Stage.DELIVERED.value else 0
    return [{"code": code, "name": names.get(code, code), **row} for code, row in sorted(by_area.items())]


def _by_stage(counts: list[tuple[str, str, int]]) -> list[tuple[str, int]]:
    totals: dict[str, int] = defaultdict(int)
    for _, stage, n in counts:
        totals[stage] += n
    return [(s, totals[s]) for s in STAGE_ORDER if totals.get(s)]


async def _per_day(session: DbSession, principal: Principal) -> list[tuple[date, int]]:
    today = datetime.now(CITY_TZ).date()
    found = dict(await request_lists.deliveries_per_day(session, scope_clause(principal),
                                                        datetime.now(UTC) - timedelta(days=DAYS)))  # fmt: skip
    return [(day, found.get(day, 0)) for day in (today - timedelta(days=i) for i in range(DAYS - 1, -1, -1))]


@router.get("/bang-dieu-khien")
async def overview(request: Request, principal: CurrentPrincipal, session: DbSession) -> Response:
    scope = scope_clause(principal)
    counts = await request_lists.stage_counts(session, scope)
    names = await unit_names(session, [d for d, _, _ in counts])
    overdue = await request_lists.supervision_list(
        session, scope, request_lists.SupervisionFilter(overdue=True), limit=20, offset=0
    )
    return render(request, "dashboard.html", principal=principal, by_stage=_by_stage(counts),
                  areas=_area_rows(counts, names), area_link="/bang-dieu-khien/quan/",
                  per_day=await _per_day(session, principal), overdue=[request_row(r) for r in overdue],
                  heading=None)  # fmt: skip


@router.get("/bang-dieu-khien/quan/{district_code}")
async def district(
    request: Request, district_code: WardCode, principal: CurrentPrincipal, session: DbSession
) -> Response:
    if principal.role == Role.DISTRICT_OFFICIAL and principal.district_code != district_code:
        raise HTTPException(status.HTTP_404_NOT_FOUND)  # like a district that does not exist
    wards = await child_units(session, district_code, UnitLevel.WARD)
    if not wards:
        raise HTTPException(status.HTTP_404_NOT_FOUND)
    counts = await request_lists.ward_stage_counts(session, scope_clause(principal), district_code)
    names = {w.code: w.name for w in wards}
    areas = _area_rows(counts, names)
    listed = {a["code"] for a in areas}  # wards with no request yet are listed too, with zeros
    areas += [{"code": w.code, "name": w.name, "total": 0, "open": 0, "delivered": 0} for w in wards
              if w.code not in listed]  # fmt: skip
    district_name = (await unit_names(session, [district_code])).get(district_code, district_code)
    return render(request, "dashboard.html", principal=principal, by_stage=_by_stage(counts), areas=areas,
                  area_link="/bang-dieu-khien/phuong/", per_day=None, overdue=None, heading=district_name,
                  back="/bang-dieu-khien")  # fmt: skip


@router.get("/bang-dieu-khien/phuong/{ward_code}")
async def ward(request: Request, ward_code: WardCode, principal: CurrentPrincipal, session: DbSession) -> Response:
    units = await ward_with_district(session, ward_code)
    if units is None or not may_act_for_ward(principal, *units):
        raise HTTPException(status.HTTP_404_NOT_FOUND)
    rows = await request_lists.supervision_list(
        session, scope_clause(principal), request_lists.SupervisionFilter(ward_code=ward_code), limit=100, offset=0
    )
    names = await unit_names(session, units)
    return render(request, "ward_requests.html", principal=principal, rows=[request_row(r) for r in rows],
                  ward_name=names.get(units[0], ward_code), back=f"/bang-dieu-khien/quan/{units[1]}")  # fmt: skip
