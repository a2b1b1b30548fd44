"""Wards' lists of households needing support: import a file (CSV or Excel, as the ward keeps it), read the
per-row report of an import. The ward's own officials, its district's and the city's."""

from datetime import UTC, datetime
from uuid import UUID

from services.registry_file import UnreadableFile
from services.registry_import import ImportReport, import_registry, report_csv, stored_import
from texts import Lang, Text
from usecases.access import ward_in_scope
from usecases.context import Context
from usecases.errors import NotFound, TooLarge, Unreadable
from usecases.principal import Principal

MAX_REGISTRY_BYTES = 5 * 1024 * 1024


async def import_file(
    ctx: Context, principal: Principal, ward_code: str, filename: str, content: bytes
) -> ImportReport:
    """Valid rows are imported and invalid ones reported with their line and reason; a file that is not a
    list imports nothing; the same file twice changes nothing."""
    units = await ward_in_scope(ctx.session, principal, ward_code)
    if len(content) > MAX_REGISTRY_BYTES:
        raise TooLarge(Text("err.registry_too_large", mb=MAX_REGISTRY_BYTES // (1024 * 1024)))
    try:
        report = await import_registry(
            ctx.session,
            ward_code=ward_code,
            filename=filename or "registry",
            content=content,
            imported_by=principal.user_id,
            at=datetime.now(UTC),
        )
    except UnreadableFile as unreadable:
        await ctx.session.rollback()
        raise Unreadable(unreadable.text) from unreadable
    await ctx.auditor(principal).record("import_registry", unit=units, import_id=str(report.import_id))  # commits
    return report


async def import_report_csv(ctx: Context, principal: Principal, ward_code: str, import_id: UUID, lang: Lang) -> str:
    """The per-row report, its headings and results in `lang` (each row's reason as it was recorded)."""
    await ward_in_scope(ctx.session, principal, ward_code)
    report = await stored_import(ctx.session, ward_code, import_id)
    if report is None:
        raise NotFound(Text("err.no_such_import"))
    return report_csv(report, lang)
