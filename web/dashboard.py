"""District and city supervision: totals by stage and by area, deliveries per day, overdue and escalated
requests, the day's place reports (missing ones); drill down city → district → ward → a request's page (its full
timeline and the link to its workflow), with breadcrumbs back up. The figures come from the same supervision use
cases as the API's, in the caller's scope."""

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response

from api.deps import CurrentPrincipal, UseCases
from api.params import WardCode
from common.addresses import strip_diacritics
from domain.stages import FINAL_STAGES, Stage
from usecases.emergency import figures as emergency_figures
from usecases.relief import supervision
from usecases.relief.supervision import Dashboard
from usecases.supply import place_reports, shipments
from web import charts
from web.render import render

router = APIRouter(include_in_schema=False)

CITY = "/bang-dieu-khien"


def stage_colour(stage: str) -> str:
    """The chart colour of a stage's group: open, delivered, refused by the duplicate check, or closed."""
    if stage == Stage.DELIVERED.value:
        return "delivered"
    if stage == Stage.REFUSED.value:
        return "refused"
    return "closed" if Stage(stage) in FINAL_STAGES else "open"


def _page(request: Request, principal: CurrentPrincipal, board: Dashboard, **context: Any) -> Response:
    return render(
        request, "dashboard.html", principal=principal, board=board, charts=charts, stage_colour=stage_colour, **context
    )


@router.get(CITY)
async def overview(request: Request, principal: CurrentPrincipal, ctx: UseCases) -> Response:
    board = await supervision.city(ctx, principal)
    reports = await place_reports.day_reports(ctx, principal)
    sos = await emergency_figures.dashboard(ctx, principal)
    late = len((await shipments.lists(ctx, principal)).late)
    return _page(
        request, principal, board, area_link=f"{CITY}/quan/", crumbs=[], reports=reports, sos=sos, late_shipments=late
    )


@router.get(CITY + "/quan/{district_code}")
async def district(
    request: Request,
    district_code: WardCode,
    principal: CurrentPrincipal,
    ctx: UseCases,
    q: Annotated[str, Query(max_length=100)] = "",
) -> Response:
    board = await supervision.district(ctx, principal, district_code)
    reports = await place_reports.day_reports(ctx, principal, district_code=district_code)
    wanted = strip_diacritics(q.strip().lower())
    shown = [a for a in board.areas if wanted in strip_diacritics(a.name.lower())] if wanted else board.areas
    return _page(
        request,
        principal,
        board,
        area_link=f"{CITY}/phuong/",
        crumbs=[(CITY, None)],
        areas=shown,
        ward_filter=q,
        reports=reports,
        reports_link=f"/bao-cao-kho?quan={district_code}",
    )


@router.get(CITY + "/phuong/{ward_code}")
async def ward(request: Request, ward_code: WardCode, principal: CurrentPrincipal, ctx: UseCases) -> Response:
    found = await supervision.ward(ctx, principal, ward_code)
    return render(
        request,
        "ward_requests.html",
        principal=principal,
        rows=found.rows,
        ward_name=found.ward_name,
        crumbs=[(CITY, None), (f"{CITY}/quan/{found.district_code}", found.district_name)],
    )
