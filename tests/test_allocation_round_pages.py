"""A centre official allocates from a phone: on a 360×740 screen in headless Chromium they start today's round,
read the proposal with its reasons and how the need was computed, are refused an edit beyond the lot (the field
named, nothing sent), and approve with a changed line. Each page is checked at 360 px and by axe-core
(tests/test_pages_browser.py's checker)."""

from decimal import Decimal
from typing import Any

import pytest

from domain.roles import Role
from tests.allocation_round_helpers import city_lot, waiting_for_bags
from tests.factories import DISTRICT, OTHER_DISTRICT, OTHER_DISTRICT_WARD, WARD, make_staff
from tests.test_pages_browser import PHONE, Checker, browser, sign_in  # noqa: F401 - fixtures
from texts import text

pytestmark = [pytest.mark.timeout(180)]


async def test_a_centre_official_starts_reads_and_approves_a_round_on_a_phone(
    db: None,
    browser: Any,  # noqa: F811
    base_url: str,
) -> None:
    await waiting_for_bags(WARD, DISTRICT, 10)
    await waiting_for_bags(OTHER_DISTRICT_WARD, OTHER_DISTRICT, 10)
    await city_lot("KHO-TP-1", "rice", Decimal(100), None)
    official = await make_staff(Role.CITY_OFFICIAL, "79")
    checker = Checker()
    page = await browser.new_page(viewport=PHONE)
    await sign_in(page, base_url, official.username)
    await page.goto(f"{base_url}/trung-tam/phan-bo")
    await checker.check(page, "round-01-list")
    await page.click("text=Chạy đợt hôm nay ngay")
    stage = page.locator("[data-testid=stage]")
    for _ in range(100):
        await stage.wait_for()
        if await stage.inner_text() == "Chờ duyệt":
            break
        await page.wait_for_timeout(100)
        await page.reload()
    assert await stage.inner_text() == "Chờ duyệt"
    await checker.check(page, "round-02-proposal")
    assert "Yêu cầu đã duyệt chờ hàng" in await page.content()  # how the need was computed
    assert await page.input_value("#f-line-1-quantity") == "50"

    await page.fill("#f-line-1-quantity", "101")
    await page.fill("#f-line-1-why", "gửi hết cho quận này")
    await page.click("[data-testid=approve]")
    await page.wait_for_selector("#error-summary")
    await checker.check(page, "round-03-refused")
    assert text("vi", "err.round_edit.beyond_lot", holds="100") in await page.inner_text("#error-summary")
    assert await stage.inner_text() == "Chờ duyệt"

    await page.fill("#f-line-1-quantity", "40")
    await page.click("[data-testid=approve]")
    await page.wait_for_selector("text=Đã duyệt: các chuyến hàng đã được tạo.")
    await checker.check(page, "round-04-approved")
    assert await page.inner_text("[data-quantity='1']") == "40"
    assert "Đề xuất 50: gửi hết cho quận này" in await page.content()
    assert not checker.problems, "\n".join(checker.problems)
