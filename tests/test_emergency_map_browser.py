"""The community map in headless Chromium at 360 px, offline (no tile server, as on these machines and in a city's
fallback): clusters with their counts and the places' names on a plain background, filters that redraw it, the
list beside it, and the list alone without script. Photographed into test-artifacts/."""

from collections.abc import AsyncIterator
from typing import Any

import pytest
from temporalio.client import Client

from common.settings import get_settings
from domain.emergency import EmergencyCategory, EmergencyUrgency
from server import create_app
from tests.emergency_map_fixtures import an_emergency
from tests.live_stack import served_app
from tests.test_pages_browser import ARTIFACTS, PHONE, Checker, browser
from usecases.emergency import map as emergency_map

pytestmark = pytest.mark.timeout(180)
__all__ = ["browser"]  # the Chromium fixture, shared with the household's story

OTHER_DISTRICT_WARD = "27238"  # a ward of Quận Tân Bình, far from Bến Nghé


@pytest.fixture
async def base_url(client: Client, db: None, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[str]:
    """The app served by uvicorn in this event loop (the map needs no worker)."""
    monkeypatch.setattr(emergency_map, "MAP_SNAPSHOT_MAX_AGE", 0.0)
    app = create_app(get_settings())
    app.state.temporal = client
    async with served_app(app) as base:
        yield base


async def ready(page: Any) -> dict[str, str]:
    await page.wait_for_selector("#emergency-map[data-state=ready]")
    return dict(await page.eval_on_selector("#emergency-map", "e => ({...e.dataset})"))


async def test_the_map_draws_clusters_and_names_offline_and_the_filters_redraw_it(base_url: str, browser: Any) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    for _ in range(12):
        await an_emergency()
    for _ in range(3):
        await an_emergency(EmergencyCategory.MEDICINE, EmergencyUrgency.NOW)
    await an_emergency(state="claimed")
    await an_emergency(ward=OTHER_DISTRICT_WARD, point=None)
    checker = Checker()
    context = await browser.new_context(viewport=PHONE, locale="vi-VN")
    page = await context.new_page()
    failed: list[str] = []
    page.on("requestfailed", lambda r: failed.append(r.url))
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    await page.goto(f"{base_url}/ban-do-khan-cap")
    shown = await ready(page)
    assert shown["shown"] == "17" and 1 <= int(shown["markers"]) < 17, shown
    assert await page.locator("#emergency-map.map-offline").count() == 1
    assert "Quận 1" in await page.locator(".map-label-district").all_text_contents()
    cluster = page.locator(".map-cluster").first
    assert int(await cluster.inner_text()) > 1
    assert "17 yêu cầu trong vùng đang xem" in await page.locator("#map-status").inner_text()
    assert await page.locator("[data-testid=map-list] li").count() == 17
    await checker.check(page, "map-01-offline-360")

    # A filter redraws the map at once; the list follows when the form is sent.
    await page.check("input[name=loai][value=medicine]")
    await page.wait_for_selector("#emergency-map[data-state=ready][data-shown='3']")
    await page.check("input[name=chua_nhan]")
    await page.click("#map-filters button[type=submit]")
    shown = await ready(page)
    assert shown["shown"] == "3" and await page.locator("[data-testid=map-list] li").count() == 3
    assert "loai=medicine" in page.url and "chua_nhan=true" in page.url

    # A cluster zooms in when tapped, and the place names become the wards'.
    await page.goto(f"{base_url}/ban-do-khan-cap")
    await ready(page)
    await page.locator(".map-cluster").first.click()
    await page.wait_for_selector(".map-label-ward")
    await ready(page)
    assert "Phường Bến Nghé" in await page.locator(".map-label-ward").all_text_contents()
    await checker.check(page, "map-02-zoomed-360")
    assert not failed, failed
    assert not checker.problems, checker.problems


async def test_without_script_the_list_is_the_page(base_url: str, browser: Any) -> None:
    code = await an_emergency(EmergencyCategory.INFANT_MILK, EmergencyUrgency.NOW)
    context = await browser.new_context(viewport=PHONE, locale="vi-VN", java_script_enabled=False)
    page = await context.new_page()
    await page.goto(f"{base_url}/ban-do-khan-cap?loai=infant_milk")
    assert await page.locator(f"[data-testid=map-list] li[data-code={code}]").count() == 1
    assert "Sữa cho trẻ sơ sinh" in await page.locator("[data-testid=map-list]").inner_text()
    assert "12 Lê Lợi" not in await page.content()
