"""District and city supervision: totals by stage and by area, deliveries per day, overdue and escalated
requests; drill down district → wards → a ward's requests → a request's page (its full timeline and the
link to its workflow). The figures come from the same supervision use cases as the API's, in the caller's scope."""

from fastapi import APIRouter, Request, Response

from api.deps import CurrentPrincipal, UseCases
from api.params import WardCode
from usecases.relief import supervision
from web.render import render

router = APIRouter(include_in_schema=False)


@router.get("/bang-dieu-khien")
async def overview(request: Request, principal: CurrentPrincipal, ctx: UseCases) -> Response:
    board = await supervision.city(ctx, principal)
    return render(request, "dashboard.html", principal=principal, board=board, area_link="/bang-dieu-khien/quan/")


@router.get("/bang-dieu-khien/quan/{district_code}")
async def district(request: Request, district_code: WardCode, principal: CurrentPrincipal, ctx: UseCases) -> Response:
    board = await supervision.district(ctx, principal, district_code)
    return render(
        request,
        "dashboard.html",
        principal=principal,
        board=board,
        area_link="/bang-dieu-khien/phuong/",
        back="/bang-dieu-khien",
    )


@router.get("/bang-dieu-khien/phuong/{ward_code}")
async def ward(request: Request, ward_code: WardCode, principal: CurrentPrincipal, ctx: UseCases) -> Response:
    found = await supervision.ward(ctx, principal, ward_code)
    return render(
        request,
        "ward_requests.html",
        principal=principal,
        rows=found.rows,
        ward_name=found.ward_name,
        back=f"/bang-dieu-khien/quan/{found.district_code}",
    )
