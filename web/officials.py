"""Ward officials: the inbox of verifications (overdue first, then oldest), and the ward's registry import
and coverage. Everything goes through the API's route functions, so scope and audit are the API's."""

from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, HTTPException, Request, Response, UploadFile

from api.deps import Audit, CurrentPrincipal, DbSession, Page
from api.routes import coverage, inbox, registries
from api.routes.registries import WardCode, ward_in_scope
from domain.roles import Role
from services.coverage import ward_coverage
from services.geography import unit_names
from web.csrf import require_csrf
from web.i18n import translate
from web.render import current_lang, render

router = APIRouter(include_in_schema=False)

COVERAGE_DAYS = 14


@router.get("/can-bo")
async def inbox_page(request: Request, principal: CurrentPrincipal, session: DbSession) -> Response:
    rows = await inbox.inbox(principal, session, Page(limit=100))
    done = request.query_params.get("ok", "")
    notice = translate(current_lang(request), "verify.done", code=done) if done.isalnum() else None
    title_key = "inbox.title" if principal.role == Role.WARD_OFFICIAL else "inbox.district_title"
    return render(request, "inbox.html", principal=principal, rows=rows, notice=notice, title_key=title_key)


async def _ward_page(request: Request, principal: CurrentPrincipal, session: DbSession, ward_code: str,
                     **extra: Any) -> Response:  # fmt: skip
    ward, district = await ward_in_scope(session, principal, ward_code)
    now = datetime.now(UTC)
    rows = await ward_coverage(session, district_code=district, since=now - timedelta(days=COVERAGE_DAYS), now=now)
    row = next((r for r in rows if r.ward_code == ward), None)
    names = await unit_names(session, [ward])
    return render(request, "ward.html", principal=principal, ward_code=ward, ward_name=names.get(ward, ward),
                  cov=row, days=COVERAGE_DAYS, can_import=principal.is_official, **extra)  # fmt: skip


@router.get("/can-bo/phuong/{ward_code}")
async def ward_page(request: Request, ward_code: WardCode, principal: CurrentPrincipal, session: DbSession) -> Response:
    return await _ward_page(request, principal, session, ward_code)


@router.post("/can-bo/phuong/{ward_code}/nhap", dependencies=[Depends(require_csrf)])
async def import_registry(
    request: Request, ward_code: WardCode, principal: CurrentPrincipal, session: DbSession, audit: Audit,
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:  # fmt: skip
    if file is None or not file.filename:
        return await _ward_page(request, principal, session, ward_code, status_code=422,
                                import_error=translate(current_lang(request), "err.missing"))  # fmt: skip
    try:
        report = await registries.import_file(ward_code, principal, session, audit, file)
    except HTTPException as refused:
        if refused.status_code not in (413, 422):
            raise
        return await _ward_page(request, principal, session, ward_code, status_code=refused.status_code,
                                import_error=str(refused.detail))  # fmt: skip
    return await _ward_page(request, principal, session, ward_code, report=report)


@router.get("/can-bo/phuong/{ward_code}/tiep-can.csv")
async def outreach(ward_code: WardCode, principal: CurrentPrincipal, session: DbSession, audit: Audit) -> Response:
    return await coverage.outreach(ward_code, principal, session, audit, days=COVERAGE_DAYS)
