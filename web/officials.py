"""Ward officials: the inbox of verifications (overdue first, then oldest), and the ward's registry import
and coverage. The same use cases as the API's, so scope and audit are the same."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Request, Response, UploadFile

from api.deps import CurrentPrincipal, UseCases
from api.params import WardCode
from domain.roles import Role
from domain.stages import Stage
from services.geography import unit_names
from services.request_lists import NO_FILTER, InboxFilter
from texts import text
from usecases.context import Context
from usecases.errors import TooLarge, Unreadable
from usecases.identity import coverage, registries
from usecases.principal import Principal
from usecases.relief import work_lists
from usecases.relief.work_lists import Page
from web.csrf import require_csrf
from web.render import current_lang, render

router = APIRouter(include_in_schema=False)

COVERAGE_DAYS = 14


# The stages an official's inbox can be narrowed to, in the order the filter offers them.
INBOX_STAGES = (Stage.AWAITING_VERIFICATION, Stage.AWAITING_DISPATCH)


def inbox_filter(request: Request) -> InboxFilter:
    """The inbox's filter from its form's query (an unknown stage is no filter)."""
    chosen = request.query_params.get("stage", "")
    stage = next((s for s in INBOX_STAGES if s.value == chosen), None)
    return InboxFilter(stage=stage, overdue=request.query_params.get("overdue") == "1")


@router.get("/can-bo")
async def inbox_page(request: Request, principal: CurrentPrincipal, ctx: UseCases) -> Response:
    f = inbox_filter(request)
    rows = await work_lists.inbox(ctx, principal, Page(limit=100), f)
    done = request.query_params.get("ok", "")
    notice = text(current_lang(request), "verify.done", code=done) if done.isalnum() else None
    title_key = "inbox.title" if principal.role == Role.WARD_OFFICIAL else "inbox.district_title"
    return render(
        request,
        "inbox.html",
        principal=principal,
        rows=rows,
        notice=notice,
        title_key=title_key,
        filter=f,
        stages=INBOX_STAGES,
        filtered=f != NO_FILTER,
    )


async def _ward_page(request: Request, ctx: Context, principal: Principal, ward_code: str, **extra: Any) -> Response:
    ward, row = await coverage.ward(ctx, principal, ward_code, COVERAGE_DAYS)
    names = await unit_names(ctx.session, [ward])
    return render(
        request,
        "ward.html",
        principal=principal,
        ward_code=ward,
        ward_name=names.get(ward, ward),
        cov=row,
        days=COVERAGE_DAYS,
        can_import=principal.is_official,
        **extra,
    )


@router.get("/can-bo/phuong/{ward_code}")
async def ward_page(request: Request, ward_code: WardCode, principal: CurrentPrincipal, ctx: UseCases) -> Response:
    return await _ward_page(request, ctx, principal, ward_code)


@router.post("/can-bo/phuong/{ward_code}/nhap", dependencies=[Depends(require_csrf)])
async def import_registry(
    request: Request,
    ward_code: WardCode,
    principal: CurrentPrincipal,
    ctx: UseCases,
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    if file is None or not file.filename:
        error = text(current_lang(request), "err.missing")
        return await _ward_page(request, ctx, principal, ward_code, status_code=422, import_error=error)
    content = await file.read(registries.MAX_REGISTRY_BYTES + 1)
    try:
        report = await registries.import_file(ctx, principal, ward_code, file.filename, content)
    except (TooLarge, Unreadable) as refused:
        status_code = 413 if isinstance(refused, TooLarge) else 422
        return await _ward_page(
            request,
            ctx,
            principal,
            ward_code,
            status_code=status_code,
            import_error=refused.render(current_lang(request)),
        )
    return await _ward_page(request, ctx, principal, ward_code, report=report)


@router.get("/can-bo/phuong/{ward_code}/tiep-can.csv")
async def outreach(request: Request, ward_code: WardCode, principal: CurrentPrincipal, ctx: UseCases) -> Response:
    return Response(
        await coverage.outreach_list_csv(ctx, principal, ward_code, COVERAGE_DAYS, current_lang(request)),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="tiep-can-{ward_code}.csv"'},
    )
