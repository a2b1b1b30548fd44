"""Omission: which wards' listed households have not been reached, and the outreach list of one ward."""

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from api.deps import CurrentPrincipal, UseCases
from api.errors import request_lang
from api.params import WardCode
from usecases.identity import coverage
from usecases.identity.coverage import WardCoverageRow
from usecases.schemas.text import CODE_PATTERN

router = APIRouter(prefix="/coverage", tags=["coverage"])

Days = Annotated[int, Query(ge=1, le=365, description="reached means a delivery within this many days")]


@router.get("", response_model=list[WardCoverageRow])
async def ward_coverage(
    principal: CurrentPrincipal,
    ctx: UseCases,
    district_code: Annotated[str | None, Query(max_length=16, pattern=CODE_PATTERN)] = None,
    days: Days = 14,
) -> list[WardCoverageRow]:
    """Wards lowest-covered first: a ward official sees their ward, a district official their district's."""
    return [coverage.as_row(r) for r in await coverage.wards(ctx, principal, district_code, days)]


@router.get("/wards/{ward_code}/outreach.csv", response_class=Response)
async def outreach(
    ward_code: WardCode, principal: CurrentPrincipal, ctx: UseCases, request: Request, days: Days = 14
) -> Response:
    """The ward's listed households with no delivery in `days`, by address, for field teams."""
    return Response(
        await coverage.outreach_list_csv(ctx, principal, ward_code, days, request_lang(request)),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="tiep-can-{ward_code}.csv"'},
    )
