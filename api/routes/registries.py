"""Wards' lists of households needing support: import a file, download the per-row report."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, File, Request, UploadFile
from fastapi.responses import Response

from api.deps import CurrentPrincipal, UseCases
from api.errors import request_lang
from api.params import WardCode
from services.registry_import import ImportReport
from usecases.identity import registries

router = APIRouter(prefix="/registries", tags=["registries"])


@router.post("/{ward_code}/imports", response_model=ImportReport)
async def import_file(
    ward_code: WardCode,
    principal: CurrentPrincipal,
    ctx: UseCases,
    file: Annotated[UploadFile, File(description="CSV (UTF-8 or Windows-1258) or .xlsx, as the ward keeps it")],
) -> ImportReport:
    """Valid rows are imported and invalid ones reported with their line and reason; a file that is not a
    list imports nothing; the same file twice changes nothing."""
    content = await file.read(registries.MAX_REGISTRY_BYTES + 1)
    return await registries.import_file(ctx, principal, ward_code, file.filename or "", content)


@router.get("/{ward_code}/imports/{import_id}/report.csv", response_class=Response)
async def import_report(
    ward_code: WardCode, import_id: UUID, principal: CurrentPrincipal, ctx: UseCases, request: Request
) -> Response:
    return Response(
        await registries.import_report_csv(ctx, principal, ward_code, import_id, request_lang(request)),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="bao-cao-nhap-{import_id}.csv"'},
    )
