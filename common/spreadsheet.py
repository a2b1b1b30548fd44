"""CSV files that officials open in Excel or LibreOffice: UTF-8 with a BOM (so Vietnamese shows), and no cell a
spreadsheet would run as a formula.

Names and addresses come from citizens and from imported lists. A cell that begins with =, +, -, @, a tab or a
carriage return is a formula to a spreadsheet (`=HYPERLINK(...)` sends the reader's data elsewhere): such a cell
is written with a leading apostrophe, which spreadsheets show as text (OWASP's advice on CSV injection).
"""

import csv
import io
from collections.abc import Iterable

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def spreadsheet_csv(header: list[str], rows: Iterable[Iterable[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows([safe_cell(value) for value in row] for row in rows)
    return "\ufeff" + out.getvalue()
