"""The stock pages in headless Chromium: warehouse staff on a phone sign in to their place, assemble bags (a double
submission makes them once), are told which field is wrong, write off and transfer; a district official reads the
stock by place with days of cover; the public reads the totals without signing in. Every page is photographed into
test-artifacts/, must not scroll sideways at 360 px, and axe-core must find nothing critical or serious."""

from collections.abc import AsyncIterator
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from temporalio.client import Client

from common.settings import get_settings
from db.base import transaction
from domain.roles import Role
from server import create_app
from services import stock_ledger
from services.supply_seed import district_warehouse_code, ward_point_code
from tests.factories import DISTRICT, WARD, make_staff
from tests.live_stack import served_app
from tests.test_pages_browser import ARTIFACTS, DESK, PHONE, Checker, browser, sign_in
from texts import text
from usecases.supply import stock_views

pytestmark = pytest.mark.timeout(180)
__all__ = ["browser"]  # the Chromium fixture, shared with the household's story

POINT = ward_point_code(WARD)
KIT = {"rice": 10, "cooking_oil": 1, "instant_noodles": 10, "canned_fish": 5, "vegetables": 2}


@pytest.fixture
async def base_url(client: Client, db: None, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[str]:
    """The app served by uvicorn in this event loop, on the test's time-skipping Temporal (stock needs no worker)."""
    monkeypatch.setattr(stock_views, "PUBLIC_TOTALS_MAX_AGE", 0.0)
    app = create_app(get_settings())
    app.state.temporal = client
    async with served_app(app) as base:
        yield base


async def receive(item: str, quantity: int, expires_on: date | None = None, place: str = POINT) -> None:
    async with transaction() as session:
        await stock_ledger.receive(
            session,
            f"page-test:{place}:{item}:{quantity}:{expires_on}",
            place,
            item,
            Decimal(quantity),
            expires_on or date.today() + timedelta(days=60),
        )


PATHS = {"assembly": "/kho/dong-tui", "write_off": "/kho/huy", "transfer": "/kho/chuyen"}


async def submit(page: Any, form: str, fields: dict[str, str]) -> None:
    for name, value in fields.items():
        selector = f"#f-{form}-{name}"
        if await page.locator(f"select{selector}").count():
            await page.select_option(selector, value)
        else:
            await page.fill(selector, value)
    async with page.expect_navigation():
        await page.click(f"form[action='{PATHS[form]}'] button")


async def test_warehouse_staff_officials_and_the_public_on_the_stock_pages(base_url: str, browser: Any) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    base, checker = base_url, Checker()
    for item, per_bag in KIT.items():
        await receive(item, per_bag * 3)
    await receive("uht_milk", 24, expires_on=date.today() + timedelta(days=2))
    await receive("rice", 200, place=district_warehouse_code(DISTRICT))
    storekeeper = await make_staff(Role.WAREHOUSE_STAFF, WARD, place_code=POINT)
    district = await make_staff(Role.DISTRICT_OFFICIAL, DISTRICT)
    phone = await (await browser.new_context(viewport=PHONE, locale="vi-VN")).new_page()
    desk = await (await browser.new_context(viewport=DESK, locale="vi-VN")).new_page()

    # Sign-in lands on the place's own page.
    await sign_in(phone, base, storekeeper.username)
    assert phone.url.endswith("/kho")
    assert await phone.inner_text("[data-testid=cover]") == "—"
    await checker.check(phone, "stock-01-place")

    # A zero, then a fraction: the field is named, the summary links to it, nothing is made.
    await submit(phone, "assembly", {"bags": "0"})
    assert await phone.inner_text("#e-assembly-bags") == text("vi", "err.quantity_not_positive")
    assert await phone.get_attribute("#error-summary a", "href") == "#f-assembly-bags"
    await checker.check(phone, "stock-02-assembly-error")
    await submit(phone, "assembly", {"bags": "1.5"})
    bags = text("vi", "err.quantity_not_whole", item="Túi an sinh", unit=text("vi", "unit.bag"))
    assert await phone.inner_text("#e-assembly-bags") == bags
    assert await phone.inner_text("[data-testid=free-bags]") == "0"

    # Two bags; the same form sent twice (a double tap) makes them once.
    form = phone.locator("form[action='/kho/dong-tui']")
    csrf = await form.locator("input[name=csrf_token]").get_attribute("value")
    key = await form.locator("input[name=form_key]").get_attribute("value")
    posted = [
        await phone.request.post(
            f"{base}/kho/dong-tui", form={"csrf_token": csrf, "form_key": key, "bags": "2"}, max_redirects=0
        )
        for _ in range(2)
    ]
    assert [p.status for p in posted] == [303, 303]
    await phone.goto(f"{base}/kho?xong=assembly")
    assert await phone.inner_text("[data-testid=free-bags]") == "2"
    assert await phone.inner_text(".notice") == "Đã đóng túi."

    # Write-off needs its reason; then it goes through.
    milk = await phone.locator("#f-write_off-lot_id option", has_text="Sữa tiệt trùng").get_attribute("value")
    assert milk
    await submit(phone, "write_off", {"lot_id": milk, "quantity": "4", "cause": "damaged"})
    assert await phone.inner_text("#e-write_off-reason") == text("vi", "err.write_off_reason_missing")
    await checker.check(phone, "stock-03-write-off-error")
    await phone.fill("#f-write_off-reason", "hộp bị thủng")
    async with phone.expect_navigation():
        await phone.click("form[action='/kho/huy'] button")
    assert phone.url.endswith("/kho?xong=write_off")

    # Over the balance, in English this time.
    await phone.goto(f"{base}/kho?lang=en")
    await submit(phone, "transfer", {"item_code": "rice", "quantity": "500", "to_place_code": "KHO-TP-1"})
    short = text("en", "err.insufficient_free_stock", item="Rice", free="10", unit=text("en", "unit.kg"), wanted="500")
    assert await phone.inner_text("#e-transfer-quantity") == short
    await checker.check(phone, "stock-04-transfer-error-en")
    await phone.goto(f"{base}/kho?lang=vi")

    # The district official's table: days of cover "—" (nothing issued yet), the milk near its expiry.
    await sign_in(desk, base, district.username)
    await desk.goto(f"{base}/ton-kho")
    assert await desk.inner_text(f"td[data-cover='{POINT}']") == "—"
    assert await desk.inner_text(f"td[data-free='{POINT}:food_bag']") == "2"
    assert "Sữa tiệt trùng" in await desk.inner_text("#near-h + div table")
    await checker.check(desk, "stock-05-district-overview")

    # The public's totals, without signing in.
    public = await (await browser.new_context(viewport=PHONE, locale="vi-VN")).new_page()
    await public.goto(f"{base}/hang-cuu-tro")
    row = public.locator("section[aria-labelledby=city-h] tr[data-item=uht_milk] td")
    assert await row.all_inner_texts() == ["24", "0", "20", "4"]
    await checker.check(public, "stock-06-public")
    assert not checker.problems, "\n".join(checker.problems)
