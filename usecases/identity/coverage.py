"""Omission: which wards' listed households have not been reached, and the outreach list of one ward."""

from datetime import UTC, datetime, timedelta

from pydantic import BaseModel

from domain.roles import Role
from services.coverage import WardCoverage, outreach_csv, unreached_households, ward_coverage
from texts import Lang
from usecases.access import ward_in_scope
from usecases.context import Context
from usecases.principal import Principal


class WardCoverageRow(BaseModel):
    ward_code: str
    ward_name: str
    district_code: str
    on_registry: int
    reached: int
    unreached: int
    coverage: float | None  # None: the ward's list is empty
    stuck_requests: int


async def wards(ctx: Context, principal: Principal, district_code: str | None, days: int) -> list[WardCoverage]:
    """Wards lowest-covered first: a ward official sees their ward, a district official their district's."""
    if principal.role in (Role.WARD_OFFICIAL, Role.DISTRICT_OFFICIAL):
        district_code = principal.district_code
    now = datetime.now(UTC)
    rows = await ward_coverage(ctx.session, district_code=district_code, since=now - timedelta(days=days), now=now)
    if principal.role == Role.WARD_OFFICIAL:
        rows = [r for r in rows if r.ward_code == principal.ward_code]
    return rows


def as_row(row: WardCoverage) -> WardCoverageRow:
    share = None if row.coverage is None else round(row.coverage, 4)
    return WardCoverageRow(**row.__dict__, unreached=row.unreached, coverage=share)


async def ward(ctx: Context, principal: Principal, ward_code: str, days: int) -> tuple[str, WardCoverage | None]:
    """One ward's coverage (None before anything is known of it) and its name."""
    ward_code, district_code = await ward_in_scope(ctx.session, principal, ward_code)
    now = datetime.now(UTC)
    rows = await ward_coverage(ctx.session, district_code=district_code, since=now - timedelta(days=days), now=now)
    row = next((r for r in rows if r.ward_code == ward_code), None)
    return ward_code, row


async def outreach_list_csv(ctx: Context, principal: Principal, ward_code: str, days: int, lang: Lang) -> str:
    """The ward's listed households with no delivery in `days`, by address, for field teams; headings in `lang`."""
    units = await ward_in_scope(ctx.session, principal, ward_code)
    rows = await unreached_households(ctx.session, ward_code, datetime.now(UTC) - timedelta(days=days))
    await ctx.auditor(principal).record("export_outreach", unit=units, households=len(rows))
    return outreach_csv(rows, lang)
