"""Wards' lists of households as they really keep them, imported row by row with a report."""

import io
import unicodedata
from datetime import UTC, datetime

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select
from temporalio.client import Client

from db.base import transaction
from db.households import Household, WardVerifiedHousehold
from db.registries import RegistryEntry
from domain.messages import Applicant
from domain.policy import Policy
from domain.stages import RequestKind, Stage
from services.registry_file import UnreadableFile
from services.registry_import import ImportReport, import_registry, report_csv
from tests.factories import DISTRICT, WARD
from usecases.relief import workflow_gateway as gateway

MESSY_CSV = """DANH SÁCH HỘ NGHÈO, CẬN NGHÈO PHƯỜNG BẾN NGHÉ;;;;;;;
Cập nhật tháng 8/2021;;;;;;;
STT;Họ và tên chủ hộ;Năm sinh;Số CMND/CCCD;SĐT;Địa chỉ;Phường/Xã;Số nhân khẩu;Diện
1;Nguyễn Văn Tám;1960;079060001234;0903 111 222;12 Nguyễn Huệ;P. Bến Nghé;4;Hộ nghèo
2;Trần Thị Bảy;1975;079175002345;;34 Lê Lợi;Phường Bến Nghé;3;Hộ cận nghèo
3;Lê Văn Sáu;1980;079180003456;+84 912 000 111;56 Hàm Nghi;Ben Nghe;5;Ảnh hưởng Covid
4;Phạm Thị Năm;1990;79190004567;0912000222;78 Pasteur;Bến Nghé;2;Hộ nghèo
5;;1985;079185004567;0912000333;90 Đồng Khởi;Bến Nghé;3;Hộ nghèo
6;Võ Văn Bốn;1970;079170005678;0912000444;1 Tôn Đức Thắng;Tân Định;4;Hộ nghèo
7;Đỗ Thị Ba;2003;079170006789;0912000555;2 Mạc Thị Bưởi;Bến Nghé;không rõ;Hộ nghèo
8;Nguyen Van Tam;1960;079060001234;0903111222;12 Nguyen Hue;Ben Nghe;4;Ho ngheo
"""


def windows_1258(text: str) -> bytes:
    """Text as Windows-1258 files hold it: precomposed base letters, combining tone marks."""
    tones = "\u0300\u0301\u0303\u0309\u0323"
    out = []
    for ch in unicodedata.normalize("NFC", text):
        decomposed = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in tones))
        out.append((base + "".join(c for c in decomposed if c in tones)).encode("cp1258"))
    return b"".join(out)


async def run_import(name: str, content: bytes) -> ImportReport:
    async with transaction() as session:
        return await import_registry(
            session, ward_code=WARD, filename=name, content=content, imported_by=None, at=datetime.now(UTC)
        )


async def test_a_messy_ward_list_is_imported_row_by_row_with_reasons(db: None) -> None:
    report = await run_import("ho-ngheo-ben-nghe.csv", windows_1258(MESSY_CSV))
    by_line = {row.line: row for row in report.rows}
    assert (report.accepted, report.merged, report.rejected) == (4, 1, 3)
    assert by_line[4].status == "accepted"  # the header is on line 3, the first household on line 4
    assert by_line[7].status == "accepted"  # an 11-digit ID: Excel had dropped the leading zero
    assert by_line[8].status == "rejected" and "họ tên" in by_line[8].reason
    assert by_line[9].status == "rejected" and "Tân Định" in by_line[9].reason
    assert by_line[10].status == "rejected" and "năm sinh" in by_line[10].reason and "nhân khẩu" in by_line[10].reason
    assert by_line[11].status == "merged" and by_line[11].household_id == by_line[4].household_id
    async with transaction() as session:
        rows = (await session.execute(select(RegistryEntry.household_id, RegistryEntry.category))).all()
        categories: dict[object, str] = {household: category for household, category in rows}
        verified = await session.scalar(select(func.count()).select_from(WardVerifiedHousehold))
    assert categories[by_line[4].household_id] == "poor" and categories[by_line[5].household_id] == "near_poor"
    assert categories[by_line[6].household_id] == "covid_affected"
    assert verified == 4
    assert "Từ chối" in report_csv(report, "vi")


async def test_the_same_file_twice_changes_nothing(db: None) -> None:
    first = await run_import("list.csv", MESSY_CSV.encode())
    async with transaction() as session:
        households = await session.scalar(select(func.count()).select_from(Household))
    again = await run_import("list-copy.csv", MESSY_CSV.encode())
    assert again.already_imported and again.import_id == first.import_id and again.rows == first.rows
    async with transaction() as session:
        assert await session.scalar(select(func.count()).select_from(Household)) == households


async def test_an_excel_list_with_numbers_typed_as_numbers(db: None) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Họ tên", "CCCD", "Điện thoại", "Địa chỉ", "Số người", "Phân loại"])
    sheet.append(["Nguyễn Thị Mai", 79185007890, 912000666, "3 Nguyễn Du", 3, "Hộ cận nghèo"])
    out = io.BytesIO()
    book.save(out)
    report = await run_import("danh-sach.xlsx", out.getvalue())
    assert [(r.status, r.line) for r in report.rows] == [("accepted", 2)]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("garbage.xlsx", b"PK\x03\x04 this is not a workbook"),
        ("no-header.csv", "Tên;Ghi chú\nAi đó;không có cột CCCD\n".encode()),
        ("binary.csv", bytes(range(256)) * 4),
    ],
)
async def test_a_malformed_file_imports_nothing_and_says_why(db: None, name: str, content: bytes) -> None:
    with pytest.raises(UnreadableFile) as why:
        await run_import(name, content)
    assert why.value.args[0]
    async with transaction() as session:
        assert await session.scalar(select(func.count()).select_from(Household)) == 0


async def test_a_household_on_the_list_skips_verification(client: Client, task_queue: str) -> None:
    report = await run_import("list.csv", MESSY_CSV.encode())
    assert report.accepted == 4
    _, admission = await gateway.register(
        client,
        task_queue=task_queue,
        kind=RequestKind.FOOD_BAG,
        ward_code=WARD,
        district_code=DISTRICT,
        applicant=Applicant(
            full_name="Nguyễn Văn Tám",
            national_id="079060001234",
            phone="0903111222",
            address="12 Nguyễn Huệ",
            household_size=4,
        ),
        policy=Policy(auto_assign_courier=False),
    )
    assert admission.stage == Stage.AWAITING_DISPATCH and admission.household_verified
