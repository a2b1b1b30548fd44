"""Lots near or past their expiry, and what each place wrote off per week, in the caller's scope: a warehouse's
staff see their place, a ward's officials their ward's places, a district's its district's, the city everything.
Outside that scope a place or district answers like one that does not exist."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from common.city_time import CITY_TZ
from domain.roles import Role
from domain.spoilage import ExpiryFlag, SpoiledWeek, iso_week
from services import spoilage
from services.geography import unit_names
from services.spoilage import PlaceFilter
from texts import Text
from usecases.context import Context
from usecases.errors import NotFound
from usecases.principal import Principal

WEEKS = 8  # the dashboard's window of spoiled goods, this week included


def place_scope(principal: Principal) -> PlaceFilter:
    match principal.role:
        case Role.CITY_OFFICIAL | Role.SUPERVISOR:
            return PlaceFilter()
        case Role.DISTRICT_OFFICIAL if principal.district_code:
            return PlaceFilter(district_code=principal.district_code)
        case Role.WARD_OFFICIAL if principal.ward_code:
            return PlaceFilter(unit_code=principal.ward_code)
        case Role.WAREHOUSE_STAFF if principal.place_code:
            return PlaceFilter(place_code=principal.place_code)
        case _:
            raise NotFound(Text("err.no_supply_place_in_scope"))


async def open_flags(
    ctx: Context, principal: Principal, place_code: str | None = None, district_code: str | None = None
) -> list[ExpiryFlag]:
    """The lots still flagged (near expiry, or past it and not yet written off), soonest expiry first."""
    asked = PlaceFilter(place_code=place_code, district_code=district_code)
    return await spoilage.open_flags(ctx.session, place_scope(principal), asked)


async def spoiled_per_week(
    ctx: Context, principal: Principal, weeks: int = WEEKS, district_code: str | None = None
) -> list[SpoiledWeek]:
    """Each place's written-off goods per ISO week, for the last `weeks` weeks (this one included)."""
    since = datetime.now(CITY_TZ).date() - timedelta(weeks=weeks - 1)
    asked = PlaceFilter(district_code=district_code)
    return await spoilage.spoiled_per_week(ctx.session, since, place_scope(principal), asked)


@dataclass(frozen=True)
class SpoiledRow:
    """One area's (a district's, or a place's) spoiled goods in one week, for the dashboard."""

    week_start: date
    iso_week: str
    area_code: str
    area_name: str
    kg: Decimal
    units: Decimal


async def spoiled_by_district(ctx: Context, principal: Principal) -> list[SpoiledRow]:
    """The city's view: every district's places summed, newest week first."""
    weeks = await spoiled_per_week(ctx, principal)
    totals: dict[tuple[date, str], tuple[Decimal, Decimal]] = {}
    for w in weeks:
        key = (w.week_start, w.district_code or "")
        kg, units = totals.get(key, (Decimal(0), Decimal(0)))
        totals[key] = (kg + w.kg, units + w.units)
    names = await unit_names(ctx.session, [district for _, district in totals])
    return sorted(
        (
            SpoiledRow(week, iso_week(week), district, names.get(district, district), kg, units)
            for (week, district), (kg, units) in totals.items()
        ),
        key=lambda r: (-r.week_start.toordinal(), r.area_name),
    )


async def spoiled_by_place(ctx: Context, principal: Principal, district_code: str) -> list[SpoiledRow]:
    """A district's view: each of its places, newest week first."""
    weeks = await spoiled_per_week(ctx, principal, district_code=district_code)
    rows = [SpoiledRow(w.week_start, w.iso_week, w.place_code, w.place_name, w.kg, w.units) for w in weeks]
    return sorted(rows, key=lambda r: (-r.week_start.toordinal(), r.area_name))
