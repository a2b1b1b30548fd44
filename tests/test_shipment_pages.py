"""The shipment pages in headless Chromium: the source's staff on a phone open a picked shipment, are told which
field of the dispatch is wrong, then dispatch it; the destination's staff count it (a negative count is named, a
double tap is one receipt), a shortfall becomes its own movement; a city official sees it among the shipments
received short. Every page is photographed into test-artifacts/, must not scroll sideways at 360 px, and axe-core
must find nothing critical or serious."""

from collections.abc import AsyncIterator
from decimal import Decimal
from typing import Any

import pytest
from temporalio.client import Client

from common.settings import get_settings
from domain.roles import Role
from domain.shipment_flow import ShipmentStage
from server import create_app
from tests.factories import DISTRICT, WARD, make_staff
from tests.live_stack import served_app
from tests.shipment_helpers import (
    DESTINATION,
    SOURCE,
    in_days,
    ledger_discrepancies,
    movements,
    start,
    stock,
    until_stage,
)
from tests.test_pages_browser import ARTIFACTS, DESK, PHONE, Checker, browser, sign_in
from texts import text

pytestmark = pytest.mark.timeout(180)
__all__ = ["browser"]  # the Chromium fixture, shared with the household's story


@pytest.fixture
async def base_url(client: Client, task_queue: str) -> AsyncIterator[str]:
    app = create_app(get_settings().model_copy(update={"task_queue": task_queue}))
    app.state.temporal = client
    async with served_app(app) as base:
        yield base


async def test_a_shipment_dispatched_and_received_on_the_pages(
    base_url: str, browser: Any, client: Client, task_queue: str
) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    base, checker = base_url, Checker()
    await stock(SOURCE, "rice", Decimal(50), in_days(30))
    handle = await start(client, task_queue, [("rice", Decimal(20), None)])
    code = handle.id.removeprefix("shipment-")
    await until_stage(handle, ShipmentStage.PICKED)
    sender = await make_staff(Role.WAREHOUSE_STAFF, DISTRICT, place_code=SOURCE)
    receiver = await make_staff(Role.WAREHOUSE_STAFF, WARD, place_code=DESTINATION)
    city = await make_staff(Role.CITY_OFFICIAL, "79")

    # The source's staff: the list, the shipment with its lots, a wrong plate named, then the dispatch.
    phone = await (await browser.new_context(viewport=PHONE, locale="vi-VN")).new_page()
    await sign_in(phone, base, sender.username)
    await phone.goto(f"{base}/kho/chuyen-hang")
    assert code in await phone.inner_text("section[aria-labelledby=out-h]")
    await checker.check(phone, "shipment-01-outgoing")
    await phone.click(f"a[href='/kho/chuyen-hang/{code}']")
    await phone.fill("#f-driver_name", "Nguyễn Văn Tài")
    await phone.fill("#f-driver_phone", "0912 345 678")
    await phone.fill("#f-vehicle_plate", "51C")
    async with phone.expect_navigation():
        await phone.click(f"form[action='/kho/chuyen-hang/{code}/xuat'] button")
    assert await phone.inner_text("#e-vehicle_plate") == text("vi", "err.plate_invalid")
    assert await phone.get_attribute("#error-summary a", "href") == "#f-vehicle_plate"
    await checker.check(phone, "shipment-02-dispatch-error")
    await phone.fill("#f-vehicle_plate", "51C-123.45")
    async with phone.expect_navigation():
        await phone.click(f"form[action='/kho/chuyen-hang/{code}/xuat'] button")
    assert await phone.inner_text(".notice") == f"Đã xuất chuyến hàng {code}."

    # The destination's staff: a negative count is named; then 18 of the 20, sent twice by a double tap.
    phone = await (await browser.new_context(viewport=PHONE, locale="vi-VN")).new_page()
    await sign_in(phone, base, receiver.username)
    await phone.goto(f"{base}/kho/chuyen-hang")
    assert code in await phone.inner_text("section[aria-labelledby=in-h]")
    await phone.goto(f"{base}/kho/chuyen-hang/{code}")
    assert await phone.input_value("#f-line-1-received") == "20"
    await checker.check(phone, "shipment-03-receive")
    await phone.fill("#f-line-1-received", "-1")
    async with phone.expect_navigation():
        await phone.click(f"form[action='/kho/chuyen-hang/{code}/nhan'] button")
    assert await phone.inner_text("#e-line-1-received") == text("vi", "err.counted_negative")
    await checker.check(phone, "shipment-04-receive-error")
    form = phone.locator(f"form[action='/kho/chuyen-hang/{code}/nhan']")
    fields = {
        name: await form.locator(f"input[name={name}]").get_attribute("value") or ""
        for name in ("csrf_token", "form_key")
    }
    posted = [
        await phone.request.post(
            f"{base}/kho/chuyen-hang/{code}/nhan", form=fields | {"line-1-received": "18"}, max_redirects=0
        )
        for _ in range(2)
    ]
    assert [p.status for p in posted] == [303, 303]
    await phone.goto(f"{base}/kho/chuyen-hang/{code}")
    assert await phone.inner_text("[data-testid=stage]") == "Đã nhận"
    await checker.check(phone, "shipment-05-received")
    ledger = await movements(code)
    assert (
        ledger[(DESTINATION, "transferred_in", "rice")] == 20 and ledger[(DESTINATION, "adjusted_down", "rice")] == -2
    )
    assert await ledger_discrepancies() == []

    # The city sees it among the shipments received short, counted on the dashboard.
    desk = await (await browser.new_context(viewport=DESK, locale="vi-VN")).new_page()
    await sign_in(desk, base, city.username)
    await desk.goto(f"{base}/bang-dieu-khien")
    assert "1 chuyến hàng trễ" in await desk.inner_text("[data-testid=shipments-late]")
    await desk.goto(f"{base}/chuyen-hang/tre")
    assert code in await desk.inner_text("main")
    await checker.check(desk, "shipment-06-late")
    assert not checker.problems, "\n".join(checker.problems)
