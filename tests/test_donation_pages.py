"""The donation pages in headless Chromium on a running system: a donor announces goods on a phone (wrong fields
named in Vietnamese), follows them by the link they got; the warehouse's staff sign in on a phone, find it due and
record what arrived (less rice than announced, the vegetables refused); the donor's page shows it stocked. Each
page is photographed into test-artifacts/, checked at 360 px and with axe-core (tests/test_pages_browser.py)."""

import re
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

import texts
from common.city_time import CITY_TZ
from db.base import transaction
from db.donations import DonationLine
from db.supply import StockBalance
from domain.roles import Role
from domain.supply import MovementKind
from services import stock_ledger
from services.supply_seed import district_warehouse_code
from tests.factories import DISTRICT, make_staff
from tests.test_pages_browser import (  # noqa: F401 - the module's fixtures, shared
    ARTIFACTS,
    DESK,
    PHONE,
    Checker,
    browser,
    sign_in,
)

pytestmark = pytest.mark.timeout(180)

WAREHOUSE = district_warehouse_code(DISTRICT)  # Kho Quận 1


async def test_a_donation_s_story_through_the_pages(base_url: str, browser: Any, db: None) -> None:  # noqa: F811
    ARTIFACTS.mkdir(exist_ok=True)
    base, checker = base_url, Checker()
    storekeeper = await make_staff(Role.WAREHOUSE_STAFF, DISTRICT, place_code=WAREHOUSE)
    donor_ctx = await browser.new_context(viewport=PHONE, locale="vi-VN")
    staff_ctx = await browser.new_context(viewport=PHONE, locale="vi-VN")
    today = datetime.now(CITY_TZ).date()

    # The donor, from the home page, on a phone; two wrong lines are named in Vietnamese.
    donor = await donor_ctx.new_page()
    await donor.goto(f"{base}/")
    await donor.click("text=Quyên góp hàng hóa")
    await checker.check(donor, "20-donation-announce")
    await donor.fill("#f-name", "Công ty Thực phẩm Sài Gòn")
    await donor.fill("#f-phone", "0912 345 678")
    await donor.select_option("#f-place_code", WAREHOUSE)
    await donor.fill("#f-expected_on", (today + timedelta(days=1)).isoformat())
    for n, item, quantity in ((1, "rice", "500"), (2, "canned_fish", "2,5"), (3, "vegetables", "40")):
        await donor.select_option(f"#f-line-{n}-item", item)
        await donor.fill(f"#f-line-{n}-quantity", quantity)
    await donor.click("text=Gửi đăng ký quyên góp")
    await donor.wait_for_load_state()
    fish = texts.text("vi", "err.quantity_not_whole", item="Cá hộp", unit=texts.text("vi", "unit.can"))
    assert await donor.inner_text("#e-line-2-quantity") == fish
    fresh = texts.text("vi", "err.expiry_required_perishable", item="Rau củ")
    assert await donor.inner_text("#e-line-3-expiry") == fresh
    await checker.check(donor, "21-donation-errors")
    await donor.fill("#f-line-2-quantity", "240")
    await donor.fill("#f-line-3-expiry", (today + timedelta(days=5)).isoformat())
    await donor.click("text=Gửi đăng ký quyên góp")
    await donor.wait_for_url(re.compile(r"/quyen-gop/[A-Z0-9]+\?t="))
    code = donor.url.split("/quyen-gop/")[1].split("?")[0]
    assert "Đang chờ hàng đến" in await donor.inner_text("main")
    assert "Chưa có hàng nào được phát" in await donor.inner_text("main")
    await checker.check(donor, "22-donor-follow")

    # The warehouse's staff, on a phone: the donation is due; they count and inspect line by line.
    staff = await staff_ctx.new_page()
    await sign_in(staff, base, storekeeper.username)
    assert staff.url.endswith("/kho")  # their place's stock first; what is due is one tap away
    await staff.click("nav >> text=Hàng sắp đến")
    await staff.wait_for_url(re.compile(r"/kho/quyen-gop$"))
    await checker.check(staff, "23-warehouse-due")
    await staff.click(f"text=Nhận hàng {code}")
    await checker.check(staff, "24-warehouse-receive")
    await staff.fill("#f-line-1-quantity", "480,5")
    await staff.check("input[name=line-3-inspection][value=rejected]")
    await staff.click("text=Ghi nhận và nhập kho")
    await staff.wait_for_load_state()
    assert "Lý do không nhận" in await staff.inner_text("main")  # the reason is asked for, nothing written yet
    await checker.check(staff, "25-warehouse-receive-error")
    await staff.fill("#f-line-3-reason", "rau héo, dập nát")
    await staff.click("text=Ghi nhận và nhập kho")
    await staff.wait_for_url(re.compile(r"/kho/quyen-gop\?ok="))
    assert f"Đã ghi nhận quyên góp {code}: 2 lô nhập kho" in await staff.inner_text(".notice")
    assert "Không có quyên góp nào đang chờ" in await staff.inner_text("main")
    await checker.check(staff, "26-warehouse-done")

    async with transaction() as session:
        stocked = {b.item_code: b.on_hand for b in (await session.scalars(select(StockBalance))).all()}
        lines = (await session.scalars(select(DonationLine).order_by(DonationLine.line_no))).all()
    assert stocked == {"rice": Decimal("480.5"), "canned_fish": Decimal(240)}
    assert lines[2].rejection_reason == "rau héo, dập nát"

    # The donor's page: received and in stock, each line's count and inspection.
    await donor.reload()
    text = await donor.inner_text("main")
    assert "Đã nhận và nhập kho" in text and "480.5 kg · Nhận" in text and "Không nhận: rau héo, dập nát" in text
    await checker.check(donor, "27-donor-stocked")

    # Some of the rice goes to a hospital: the donor sees where, by the institution's name.
    async with transaction() as session:
        await stock_ledger.take(
            session, "to-cho-ray", WAREHOUSE, "rice", Decimal(100), MovementKind.ISSUED_INSTITUTION, "BV-CHO-RAY"
        )
    await donor.reload()
    where = await donor.inner_text("#where-h + table")
    assert "Bệnh viện Chợ Rẫy" in where and "Gạo" in where and "100 kg" in where
    await checker.check(donor, "27b-donor-where")
    await donor.click("text=English")
    assert "Received and in stock" in await donor.inner_text("main")
    await checker.check(donor, "28-donor-english")

    for context in (donor_ctx, staff_ctx):
        await context.close()
    assert not checker.problems, "\n".join(checker.problems)
