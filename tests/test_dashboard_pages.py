"""The dashboard in Chromium: every district listed (zeros too), columns that add up to each area's total,
colours with a legend, breadcrumbs city → district → ward, a ward filter, chart text of one size on a phone and
a desktop, and cash support (asked, pledged, confirmed, expired) by district and by ward."""

from typing import Any

import pytest

from db.base import transaction
from domain.cash import PledgeState
from domain.roles import Role, UnitLevel
from services import cash_ledger
from services.geography import child_units
from tests.cash_factories import NOW, a_helper, a_need
from tests.factories import DISTRICT, WARD, make_staff
from tests.test_pages_browser import DESK, PHONE, Checker, browser, sign_in
from tests.trust_fixtures import insert_request

pytestmark = pytest.mark.timeout(180)
__all__ = ["browser"]  # the live stack's fixtures, shared with the pages' story


async def text_sizes(page: Any) -> tuple[str, float]:
    """The bars' label font size, and the height a day column's label takes on the screen."""
    label = await page.evaluate("getComputedStyle(document.querySelector('.bar-label')).fontSize")
    height = await page.evaluate("document.querySelector('svg.columns text').getBoundingClientRect().height")
    return label, round(height, 1)


async def test_the_dashboard_lists_every_area_and_adds_up(base_url: str, browser: Any, db: None) -> None:
    city = await make_staff(Role.CITY_OFFICIAL, "79")
    for i, stage in enumerate(["delivered", "refused", "awaiting_verification", "cancelled", "expired"]):
        await insert_request(WARD, DISTRICT, f"+8491200{i:04d}", stage=stage)
    # A cash need in the same ward: 300,000 confirmed, 200,000 expired unpaid, 100,000 pledged.
    need, helper = await a_need(1_000_000), await a_helper()
    async with transaction() as session:
        districts = await child_units(session, "79", UnitLevel.DISTRICT)
        for code, amount, moves in (
            ("C1", 300_000, [PledgeState.TRANSFERRED, PledgeState.CONFIRMED]),
            ("E1", 200_000, [PledgeState.EXPIRED]),
            ("L1", 100_000, []),
        ):
            await cash_ledger.pledge(session, code, need, helper, amount)
            for to in moves:
                await cash_ledger.move_pledge(session, code, to, NOW)
    checker = Checker()
    context = await browser.new_context(viewport=DESK, locale="vi-VN")
    page = await context.new_page()
    await sign_in(page, base_url, city.username)
    await page.goto(f"{base_url}/bang-dieu-khien")
    await checker.check(page, "dash-01-city")

    # Every district of the city, those without a request with zeros.
    assert await page.locator("table.areas tr[data-area]").count() == len(districts) > 20
    empty = next(d.code for d in districts if d.code != DISTRICT)
    assert await page.text_content(f"tr[data-area='{empty}'] td[data-total]") == "0"
    # open + delivered + refused + closed = total, for the district with requests.
    row = page.locator(f"tr[data-area='{DISTRICT}']")
    cells = {
        k: int(await row.locator(f"td[data-{k}]").inner_text())
        for k in ("total", "open", "delivered", "refused", "closed")
    }
    assert cells == {"total": 6, "open": 2, "delivered": 1, "refused": 1, "closed": 2}
    cash = page.locator(f"tr[data-cash-area='{DISTRICT}']")
    figures = [
        await cash.locator(f"td[data-{k}]").inner_text() for k in ("needs", "asked", "pledged", "confirmed", "expired")
    ]
    assert figures == ["1", "1.000.000 đ", "100.000 đ", "300.000 đ", "200.000 đ"]
    assert await page.locator("ul.legend li").first.inner_text() == "Đang xử lý"
    assert await page.locator(f"tr[data-area='{DISTRICT}'] svg.stack rect").count() == 4

    # The chart's text keeps its size on a desktop and on a phone.
    desk = await text_sizes(page)
    await page.set_viewport_size(PHONE)
    assert await text_sizes(page) == desk
    assert desk[0] == "14px"
    # Fourteen days, a column each, fit the phone's card without hiding any.
    assert await page.locator("svg.columns rect").count() == 14
    card = await page.evaluate("document.querySelector('svg.columns').parentElement.clientWidth")
    assert await page.evaluate("document.querySelector('svg.columns').getBoundingClientRect().width") <= card
    await page.set_viewport_size(DESK)

    # Down to the district: breadcrumbs back to the city, every ward, and a filter that ignores accents.
    await page.click(f"tr[data-area='{DISTRICT}'] a")
    await page.wait_for_load_state()
    assert await page.locator("nav.crumbs a[href='/bang-dieu-khien']").count() == 1
    assert await page.inner_text("nav.crumbs [aria-current=page]") == "Quận 1"
    wards = await page.locator("table.areas tr[data-area]").count()
    assert wards >= 10
    await checker.check(page, "dash-02-district")
    await page.fill("#q", "ben nghe")
    await page.click("form.filter button")
    await page.wait_for_load_state()
    assert [await r.get_attribute("data-area") for r in await page.locator("table.areas tr[data-area]").all()] == [WARD]
    assert await page.locator(f"tr[data-cash-area='{WARD}'] td[data-confirmed]").inner_text() == "300.000 đ"

    # And to the ward: city → district → ward.
    await page.click(f"tr[data-area='{WARD}'] a")
    await page.wait_for_load_state()
    crumbs = [await a.get_attribute("href") for a in await page.locator("nav.crumbs a").all()]
    assert crumbs == ["/bang-dieu-khien", f"/bang-dieu-khien/quan/{DISTRICT}"]
    assert "Bến Nghé" in await page.inner_text("nav.crumbs [aria-current=page]")
    await checker.check(page, "dash-03-ward")
    await context.close()
    assert not checker.problems, "\n".join(checker.problems)
