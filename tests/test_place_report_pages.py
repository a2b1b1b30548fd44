"""The daily report pages in headless Chromium: a warehouse's staff member files the day's report on a phone (told
which fields are wrong first), a colleague approves the counted difference into the ledger, a district official
reads the day's reports and the dashboard's panel. Every page is photographed into test-artifacts/, must not scroll
sideways at 360 px, and axe-core must find nothing critical or serious."""

from collections.abc import AsyncIterator
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from temporalio.client import Client

from common.settings import get_settings
from db.base import transaction
from domain import names
from domain.roles import Role
from server import create_app
from services import place_reports, stock_ledger
from services.supply_seed import district_warehouse_code
from tests.factories import make_staff
from tests.live_stack import served_app
from tests.place_report_helpers import Opened
from tests.test_pages_browser import ARTIFACTS, DESK, PHONE, Checker, browser, sign_in
from texts import text
from usecases.supply.place_reports import city_now

pytestmark = pytest.mark.timeout(180)
__all__ = ["browser"]  # the Chromium fixture, shared with the household's story

DISTRICT = "778"
PLACE = district_warehouse_code(DISTRICT)  # no other test files a report for it


@pytest.fixture
async def base_url(client: Client, task_queue: str) -> AsyncIterator[str]:
    """The app served by uvicorn in this event loop, with a worker for the day's report workflow."""
    app = create_app(get_settings().model_copy(update={"task_queue": task_queue}))
    app.state.temporal = client
    async with served_app(app) as base:
        yield base
    opened = Opened(client)
    opened.ids.append(names.place_report_workflow_id(PLACE, city_now().date()))
    await opened.close()


async def test_staff_file_a_colleague_approves_and_officials_read_the_days_reports(base_url: str, browser: Any) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    base, checker = base_url, Checker()
    async with transaction() as session:
        await stock_ledger.receive(session, "page:rice", PLACE, "rice", Decimal(40), date.today() + timedelta(60))
    counter = await make_staff(Role.WAREHOUSE_STAFF, DISTRICT, place_code=PLACE)
    colleague = await make_staff(Role.WAREHOUSE_STAFF, DISTRICT, place_code=PLACE)
    official = await make_staff(Role.DISTRICT_OFFICIAL, DISTRICT)
    phone = await (await browser.new_context(viewport=PHONE, locale="vi-VN")).new_page()

    await sign_in(phone, base, counter.username)
    await phone.goto(f"{base}/kho/bao-cao")
    assert await phone.inner_text("[data-ledger=rice]") == "40"
    assert await phone.inner_text("[data-testid=report-stage]") in ("Chưa gửi", "Quá hạn, chưa gửi")
    await checker.check(phone, "report-01-form")

    # A negative count and a proposal without its reason: both named, nothing filed.
    await phone.fill("#f-count-rice", "-3")
    await phone.select_option("#f-prop-1-item", "rice")
    await phone.fill("#f-prop-1-quantity", "300")
    async with phone.expect_navigation():
        await phone.click("form[action='/kho/bao-cao'] button")
    assert await phone.inner_text("#e-count-rice") == text("vi", "err.quantity_negative")
    assert await phone.inner_text("#e-prop-1-reason") == text("vi", "err.proposal_reason_required")
    assert await phone.get_attribute("#error-summary a >> nth=0", "href") == "#f-count-rice"
    await checker.check(phone, "report-02-errors")

    await phone.fill("#f-count-rice", "35")
    await phone.fill("#f-used-rice", "5")
    await phone.fill("#f-prop-1-reason", "Hai khu cách ly mới mở")
    csrf = await phone.locator("form[action='/kho/bao-cao'] input[name=csrf_token]").get_attribute("value")
    async with phone.expect_navigation():
        await phone.click("form[action='/kho/bao-cao'] button")
    assert phone.url.endswith("/kho/bao-cao?xong=1"), phone.url
    # The form sent again from a stale tab: refused, in the reader's words (the heading says when it was filed).
    again = await phone.request.post(
        f"{base}/kho/bao-cao", form={"csrf_token": csrf or "", "count-rice": "34"}, max_redirects=0
    )
    assert again.status == 409 and text("vi", "err.report_filed_already") in await again.text()
    assert await phone.inner_text("[data-testid=report-stage]") in ("Đã gửi đúng hạn", "Gửi muộn")
    assert await phone.inner_text("[data-counted=rice]") == "35"
    assert "chờ người thứ hai duyệt" in await phone.inner_text("[data-adjustment]")
    assert await phone.locator("[data-adjustment] form").count() == 0  # the counter cannot approve it
    await checker.check(phone, "report-03-filed")

    other = await (await browser.new_context(viewport=PHONE, locale="vi-VN")).new_page()
    await sign_in(other, base, colleague.username)
    await other.goto(f"{base}/kho/bao-cao")
    async with other.expect_navigation():
        await other.click("[data-adjustment] form button")
    assert other.url.endswith("/kho/bao-cao?duyet=1")
    assert "sổ kho đã được cập nhật" in await other.inner_text(".notice")
    await checker.check(other, "report-04-approved")
    async with transaction() as session:
        assert await place_reports.on_hand_by_item(session, PLACE) == {"rice": 35}

    desk = await (await browser.new_context(viewport=DESK, locale="vi-VN")).new_page()
    await sign_in(desk, base, official.username)
    await desk.goto(f"{base}/bao-cao-kho")
    assert await desk.get_attribute(f"tr[data-place='{PLACE}']", "data-stage") in ("filed", "late")
    await checker.check(desk, "report-05-district-list")
    await desk.goto(f"{base}/bang-dieu-khien")
    assert "1/1 đã gửi" in await desk.inner_text("[data-testid=reports-missing]")
    await checker.check(desk, "report-06-dashboard")
    assert not checker.problems, "\n".join(checker.problems)
