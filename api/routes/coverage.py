"""Omission: which wards' listed households have not been reached, and the outreach list of one ward."""

from datetime import UTC, datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response
from pydantic import BaseModel

from api.deps import Audit, CurrentPrincipal, DbSession
from api.routes.registries import WardCode, ward_in_scope
from api.schemas.text import CODE_PATTERN
from domain.roles import Role
from services.coverage import outreach_csv, unreached_households, ward_coverage

router = APIRouter(prefix="/coverage", tags=["coverage"])

Days = Annotated[int, Query(ge=1, le=365, description="reached means a delivery within this many days")]


class WardCoverageRow(BaseModel):
    ward_code: str
    ward_name: str
    district_code: str
    on_registry: int
    reached: int
    unreached: int
    coverage: float
    stuck_requests: int


@router.get("", response_model=list[WardCoverageRow])
async def coverage(
    principal: CurrentPrincipal,
    session: DbSession,
    district_code: Annotated[str | None, Query(max_length=16, pattern=CODE_PATTERN)] = None,
    days: Days = 14,
) -> list[WardCoverageRow]:
    """Wards lowest-covered first: a ward official sees their ward, a district official their district's."""
    if principal.role in (Role.WARD_OFFICIAL, Role.DISTRICT_OFFICIAL):
        district_code = principal.district_code
    now = datetime.now(UTC)
    rows = await ward_coverage(session, district_code=district_code, since=now - timedelta(days=days), now=now)
    if principal.role == Role.WARD_OFFICIAL:
        rows = [r for r in rows if r.ward_code == principal.ward_code]
    return [WardCoverageRow(**r.__dict__, unreached=r.unreached, coverage=round(r.coverage, 4)) for r in rows]


@router.get("/wards/{ward_code}/outreach.csv", response_class=Response)
async def outreach(
    ward_code: WardCode, principal: CurrentPrincipal, session: DbSession, audit: Audit, days: Days = 14
) -> Response:
    """The ward's listed households with no delivery in `days`, by address, for field teams."""
    units = await ward_in_scope(session, principal, ward_code)
    rows = await unreached_households(session, ward_code, datetime.now(UTC) - timedelta(days=days))
    await audit.record("export_outreach", unit=units, households=len(rows))
    return Response(
        outreach_csv(rows),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="tiep-can-{ward_code}.csv"'},
    )
