"""Wards' lists of households needing support: import a file, download the per-row report."""

from datetime import UTC, datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, File, HTTPException, Path, UploadFile, status
from fastapi.responses import Response
from sqlalchemy import select

from api.authorization import may_act_for_ward
from api.deps import Audit, CurrentPrincipal, DbSession
from api.schemas.text import CODE_PATTERN
from db.registries import RegistryImport
from services.geography import ward_with_district
from services.registry_file import UnreadableFile
from services.registry_import import ImportReport, import_registry, report_csv, stored_report

router = APIRouter(prefix="/registries", tags=["registries"])

WardCode = Annotated[str, Path(max_length=16, pattern=CODE_PATTERN)]
MAX_REGISTRY_BYTES = 5 * 1024 * 1024


async def ward_in_scope(session: DbSession, principal: CurrentPrincipal, ward_code: str) -> tuple[str, str]:
    """(ward, district), or 404 for a ward that does not exist or is outside the caller's scope."""
    units = await ward_with_district(session, ward_code)
    if units is None or not may_act_for_ward(principal, *units):
        raise HTTPException(status.HTTP_404_NOT_FOUND, "không có phường/xã này trong phạm vi của bạn (no such ward)")
    return units


@router.post("/{ward_code}/imports", response_model=ImportReport)
async def import_file(
    ward_code: WardCode, principal: CurrentPrincipal, session: DbSession, audit: Audit,
    file: Annotated[UploadFile, File(description="CSV (UTF-8 or Windows-1258) or .xlsx, as the ward keeps it")],
) -> ImportReport:  # fmt: skip
    """Valid rows are imported and invalid ones reported with their line and reason; a file that is not a
    list imports nothing; the same file twice changes nothing."""
    units = await ward_in_scope(session, principal, ward_code)
    content = await file.read(MAX_REGISTRY_BYTES + 1)
    if len(content) > MAX_REGISTRY_BYTES:
        raise HTTPException(status.HTTP_413_CONTENT_TOO_LARGE, "tệp lớn hơn 5 MB (file larger than 5 MB)")
    try:
        report = await import_registry(
            session, ward_code=ward_code, filename=file.filename or "registry", content=content,
            imported_by=principal.user_id, at=datetime.now(UTC),
        )  # fmt: skip
    except UnreadableFile as unreadable:
        await session.rollback()
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, str(unreadable)) from unreadable
    await audit.record("import_registry", unit=units, import_id=str(report.import_id))  # commits the import
    return report


@router.get("/{ward_code}/imports/{import_id}/report.csv", response_class=Response)
async def import_report(
    ward_code: WardCode, import_id: UUID, principal: CurrentPrincipal, session: DbSession
) -> Response:
    await ward_in_scope(session, principal, ward_code)
    record = await session.scalar(
        select(RegistryImport).where(RegistryImport.id == import_id, RegistryImport.ward_code == ward_code)
    )
    if record is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "không có lần nhập này (no such import)")
    return Response(
        report_csv(stored_report(record)),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="bao-cao-nhap-{import_id}.csv"'},
    )
