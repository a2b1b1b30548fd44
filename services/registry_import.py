"""Importing a ward's list of households needing support.

The choice: a file that cannot be read as a list (no header with the required columns, broken Excel)
imports nothing; otherwise every valid row is imported and every invalid row is reported with its line
and reason, downloadable as CSV. The whole import is one transaction, and the same file imported again
for the same ward returns the first import's report and changes nothing.

Each accepted row puts its household on the ward's verified list (its requests skip verification) and on
the registry with its category; a row whose person or household already exists is merged into it.
"""

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID, uuid4

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from common.addresses import strip_diacritics
from common.spreadsheet import spreadsheet_csv
from db.geography import AdminUnit
from db.registries import RegistryEntry, RegistryImport
from domain.identity import check_birth_year, normalise_national_id, normalise_phone
from domain.roles import UnitLevel
from services.household_matching import MatchKind, Person, lock_identity, resolve_household
from services.household_merge import merge_households
from services.registry_file import RawRow, read_rows
from services.verification import add_to_verified_list
from texts import Lang, text
from texts.validation import TextError

CATEGORIES = {
    "ho ngheo": "poor",
    "ngheo": "poor",
    "ho can ngheo": "near_poor",
    "can ngheo": "near_poor",
    "covid": "covid_affected",
    "anh huong covid": "covid_affected",
    "ho anh huong covid 19": "covid_affected",
    "f0": "covid_affected",
}
_PADDED_ID_LENGTHS = {11: 12, 8: 9}  # Excel drops the leading zero of numbers typed as numbers


class RowOutcome(BaseModel):
    line: int
    status: str  # accepted | merged | rejected
    reason: str
    household_id: UUID | None = None


class ImportReport(BaseModel):
    import_id: UUID
    ward_code: str
    filename: str
    already_imported: bool
    accepted: int
    merged: int
    rejected: int
    rows: list[RowOutcome]


@dataclass(frozen=True)
class _ValidRow:
    person: Person
    category: str


async def import_registry(
    session: AsyncSession, *, ward_code: str, filename: str, content: bytes, imported_by: UUID | None, at: datetime
) -> ImportReport:
    """Raises services.registry_file.UnreadableFile for a file that is not a list at all."""
    digest = hashlib.sha256(content).hexdigest()
    earlier = await session.scalar(
        select(RegistryImport).where(RegistryImport.ward_code == ward_code, RegistryImport.file_sha256 == digest)
    )
    if earlier is not None:
        return _report(earlier, already_imported=True)
    raw_rows = read_rows(filename, content)
    ward_names = await _ward_spellings(session, ward_code)
    import_id = uuid4()
    session.add(
        RegistryImport(
            id=import_id,
            ward_code=ward_code,
            filename=filename[:300],
            file_sha256=digest,
            imported_by=imported_by,
            imported_at=at,
            accepted=0,
            merged=0,
            rejected=0,
            report=[],
        )
    )
    await session.flush()
    outcomes = [await _import_row(session, raw, ward_code, ward_names, import_id, imported_by, at) for raw in raw_rows]
    record = await session.get(RegistryImport, import_id)
    assert record is not None
    record.accepted = sum(o.status == "accepted" for o in outcomes)
    record.merged = sum(o.status == "merged" for o in outcomes)
    record.rejected = sum(o.status == "rejected" for o in outcomes)
    record.report = [o.model_dump(mode="json") for o in outcomes]
    return _report(record, already_imported=False)


def report_csv(report: ImportReport, lang: Lang) -> str:
    """The per-row report as a spreadsheet the official can open (UTF-8 with BOM for Excel)."""
    headings = [text(lang, f"import.col.{column}") for column in ("line", "result", "reason")]
    rows = ([r.line, text(lang, f"import.status.{r.status}"), r.reason] for r in report.rows)
    return spreadsheet_csv(headings, rows)


async def _import_row(
    session: AsyncSession,
    raw: RawRow,
    ward_code: str,
    ward_names: set[str],
    import_id: UUID,
    imported_by: UUID | None,
    at: datetime,
) -> RowOutcome:
    valid = _validate(raw, ward_code, ward_names)
    if isinstance(valid, str):
        return RowOutcome(line=raw.line, status="rejected", reason=valid)
    async with session.begin_nested():  # one bad row cannot spoil the others
        await lock_identity(session, valid.person)
        resolution = await resolve_household(session, valid.person)
        household_id, reason, status = resolution.household_id, _said("import.new_household"), "accepted"
        if resolution.kind == MatchKind.NATIONAL_ID:
            status, reason = "merged", _said("import.same_national_id")
        elif resolution.probable_duplicate_of is not None:
            # The ward's own list vouches for the person: the similar household is theirs.
            await merge_households(session, source=household_id, target=resolution.probable_duplicate_of)
            household_id = resolution.probable_duplicate_of
            status, reason = "merged", _said("import.same_contact")
        await session.execute(
            insert(RegistryEntry)
            .values(household_id=household_id, category=valid.category, ward_code=ward_code, import_id=import_id)
            .on_conflict_do_nothing()
        )
        await add_to_verified_list(session, household_id, ward_code, imported_by, at)
    return RowOutcome(line=raw.line, status=status, reason=reason, household_id=household_id)


def _validate(raw: RawRow, ward_code: str, ward_names: set[str]) -> _ValidRow | str:
    """The row as a person of this ward, or the reasons it cannot be one."""
    v = raw.values
    problems: list[str] = []
    full_name = " ".join(v.get("full_name", "").split())
    if not full_name:
        problems.append(_said("import.name_missing"))
    national_id = v.get("national_id", "").replace(" ", "").replace(".", "")
    national_id = national_id.zfill(_PADDED_ID_LENGTHS.get(len(national_id), len(national_id)))
    try:
        national_id = normalise_national_id(national_id)
        birth_year = v.get("birth_year", "").strip()
        stated = int(birth_year) if birth_year.isascii() and birth_year.isdigit() else None
        check_birth_year(national_id, stated)
    except TextError as exc:
        problems.append(_said(exc.text.key, **exc.text.values))
    phone = v.get("phone", "").strip()
    try:
        phone = normalise_phone(phone) if phone else ""
    except TextError as exc:
        problems.append(_said(exc.text.key, **exc.text.values))
    address = " ".join(v.get("address", "").split())
    if len(address) < 5:
        problems.append(_said("import.address_too_short"))
    ward = v.get("ward", "").strip()
    if ward and ward != ward_code and _spelling(ward) not in ward_names:
        problems.append(_said("import.other_ward", ward=ward))
    size = v.get("household_size", "").strip()
    if not size.isdigit() or not 1 <= int(size) <= 30:
        problems.append(_said("import.household_size", size=size))
    category = CATEGORIES.get(_spelling(v.get("category", "")), "other")
    if problems:
        return "; ".join(problems)
    person = Person(
        ward_code=ward_code,
        full_name=full_name,
        national_id=national_id,
        phone=phone or None,
        address=address,
        household_size=int(size),
    )
    return _ValidRow(person, category)


def _said(key: str, **values: object) -> str:
    """A row's reason as it is kept in the import's report: in Vietnamese, the language of the ward's list."""
    return text("vi", key, **values)


def _spelling(typed: str) -> str:
    return " ".join(strip_diacritics(typed).lower().replace("-", " ").split())


async def _ward_spellings(session: AsyncSession, ward_code: str) -> set[str]:
    """The ward's name as lists write it: "Phường Bến Nghé", "P. Bến Nghé", "Ben Nghe"."""
    name = await session.scalar(
        select(AdminUnit.name).where(AdminUnit.code == ward_code, AdminUnit.level == UnitLevel.WARD.value)
    )
    if name is None:
        raise ValueError(f"unknown ward {ward_code}")
    full = _spelling(name)
    short = full.split(" ", 1)[1] if " " in full else full
    return {full, short, f"p {short}", f"p. {short}", f"phuong {short}", f"xa {short}"}


async def stored_import(session: AsyncSession, ward_code: str, import_id: UUID) -> ImportReport | None:
    """The report of one of the ward's earlier imports."""
    record = await session.scalar(
        select(RegistryImport).where(RegistryImport.id == import_id, RegistryImport.ward_code == ward_code)
    )
    return _report(record, already_imported=True) if record is not None else None


def _report(record: RegistryImport, *, already_imported: bool) -> ImportReport:
    rows: list[dict[str, Any]] = record.report
    return ImportReport(
        import_id=record.id,
        ward_code=record.ward_code,
        filename=record.filename,
        already_imported=already_imported,
        accepted=record.accepted,
        merged=record.merged,
        rejected=record.rejected,
        rows=[RowOutcome.model_validate(r) for r in rows],
    )
