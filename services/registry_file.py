"""Reading a ward's list of households as the wards really keep it: CSV (UTF-8 or Windows-1258) or Excel,
Vietnamese headers in their many spellings, a title row or two above the header.

The result is rows of raw text keyed by our field names; validation happens row by row elsewhere.
"""

import csv
import io
import re
import unicodedata
from dataclasses import dataclass

from openpyxl import load_workbook

from common.addresses import strip_diacritics
from texts import Text

# Header spellings seen in ward lists, after lower-casing, removing diacritics and punctuation.
HEADERS: dict[str, tuple[str, ...]] = {
    "full_name": ("ho va ten", "ho ten", "ho ten chu ho", "ten chu ho", "chu ho", "full name", "name"),
    "national_id": (
        "so cmnd cccd",
        "cmnd cccd",
        "so cccd",
        "cccd",
        "so cmnd",
        "cmnd",
        "so dinh danh",
        "so dinh danh ca nhan",
        "national id",
    ),
    "birth_year": ("nam sinh", "birth year"),
    "phone": ("so dien thoai", "dien thoai", "sdt", "so dt", "phone"),
    "address": ("dia chi", "so nha duong", "dia chi thuong tru", "noi o hien nay", "address"),
    "ward": ("phuong xa", "phuong", "xa", "phuong xa thi tran", "ward"),
    "household_size": ("so nhan khau", "so nguoi", "nhan khau", "so thanh vien", "household size"),
    "category": ("dien", "phan loai", "loai ho", "dien ho", "doi tuong", "category"),
}
REQUIRED = ("full_name", "national_id", "address", "household_size")
_PUNCTUATION = re.compile(r"[^a-z0-9]+")
_MAX_HEADER_SEARCH = 10


class UnreadableFile(ValueError):
    """The file as a whole cannot be read as a list: nothing of it is imported; `text` says why."""

    def __init__(self, code: str, /, **values: object) -> None:
        self.text = Text(f"err.{code}", **values)
        super().__init__(str(self.text))


@dataclass(frozen=True)
class RawRow:
    line: int  # as the official sees it in the spreadsheet (1-based, header included)
    values: dict[str, str]


def header_key(text: str) -> str:
    return _PUNCTUATION.sub(" ", strip_diacritics(text).lower()).strip()


_BY_SPELLING = {spelling: field for field, spellings in HEADERS.items() for spelling in spellings}


def header_field(text: str) -> str | None:
    """The field a header names: the longest known spelling among its words ("Họ và tên chủ hộ" is a
    name, "Số điện thoại" a phone although it contains "điện")."""
    padded = f" {header_key(text)} "
    found = [s for s in _BY_SPELLING if f" {s} " in padded]
    return _BY_SPELLING[max(found, key=len)] if found else None


def read_rows(filename: str, content: bytes) -> list[RawRow]:
    if filename.lower().endswith((".xlsx", ".xlsm")):
        tables = [_xlsx_table(content)]
    else:
        # The delimiter is the one under which a header row appears (title rows fool a sniffer).
        text = _csv_text(content)
        tables = [list(csv.reader(io.StringIO(text), delimiter=d)) for d in (";", ",", "\t")]
    for table in tables:
        for index, cells in enumerate(table[:_MAX_HEADER_SEARCH]):
            columns = {i: field for i, c in enumerate(cells) if (field := header_field(c))}
            if set(REQUIRED) <= set(columns.values()):
                return [
                    RawRow(line=index + 2 + n, values={field: _cell(row, i) for i, field in columns.items()})
                    for n, row in enumerate(table[index + 1 :])
                    if any(c.strip() for c in row)
                ]
    missing = ", ".join(REQUIRED)
    raise UnreadableFile("registry_no_header", columns=missing, rows=_MAX_HEADER_SEARCH)


def _cell(row: list[str], index: int) -> str:
    return row[index].strip() if index < len(row) else ""


def _csv_text(content: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1258"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise UnreadableFile("registry_not_csv")
    # Windows-1258 writes most Vietnamese letters as a base letter and a combining tone mark.
    text = unicodedata.normalize("NFC", text)
    if "\x00" in text:
        raise UnreadableFile("registry_not_csv")
    return text


def _xlsx_table(content: bytes) -> list[list[str]]:
    try:
        sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).worksheets[0]
    except Exception as exc:  # openpyxl raises many kinds for a broken workbook
        raise UnreadableFile("registry_bad_xlsx") from exc
    return [[_excel_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]


def _excel_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # Excel stores ID and phone numbers typed as numbers as floats
    return str(value)
