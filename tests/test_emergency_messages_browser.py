"""In Chromium on a phone: the poster of an emergency, with no account, opens the conversation from their follow
link's page, a refused empty message names the field, they write to the helper who claimed it; the helper answers
from their claimed emergencies; the poster reports it and the ward's official reads it from the moderation list.
Every page is checked at 360 px and by axe-core, with screenshots in test-artifacts/."""

from typing import Any
from urllib.parse import urlparse

import httpx
import pytest

from common.settings import get_settings
from domain.roles import Role
from tests.emergency_fixtures import V, post
from tests.factories import WARD, make_staff
from tests.pledge_fixtures import a_helper
from tests.test_pages_browser import PHONE, Checker, browser, sign_in
from usecases.trust.tokens import SESSION_COOKIE, issue_helper_token

pytestmark = [pytest.mark.timeout(180), pytest.mark.usefixtures("loaded_geography")]
__all__ = ["browser"]  # the live stack's fixtures, shared with the pages' story


async def test_the_poster_writes_from_the_follow_link_and_the_helper_answers(browser: Any, base_url: str) -> None:
    settings = get_settings()
    helper_id, helper_headers = await a_helper(settings)
    async with httpx.AsyncClient(base_url=base_url) as http:
        made = (await post(http)).json()
        code, follow = made["code"], made["follow_path"]
        claimed = await http.post(f"{V}/emergencies/{code}/claim", headers=helper_headers)
        assert claimed.json() == {"state": "claimed"}, claimed.text
    checker = Checker()
    poster_context = await browser.new_context(viewport=PHONE, locale="vi-VN")  # no account: the link only
    poster = await poster_context.new_page()
    await poster.goto(f"{base_url}{follow}")
    await poster.click("#nhan-tin")
    await poster.wait_for_selector("#f-body")
    assert (await poster.title()).startswith("Tin nhắn về yêu cầu khẩn cấp")
    await checker.check(poster, "sos-messages-01-poster-empty")
    await poster.click("#viet button[type=submit]")
    await poster.wait_for_selector("#e-body")
    assert "nội dung" in await poster.inner_text("#e-body")
    await checker.check(poster, "sos-messages-02-refused")
    await poster.fill("#f-body", "Bé đói lắm, anh tới trước 5 giờ được không?")
    await poster.click("#viet button[type=submit]")
    await poster.wait_for_selector("text=Bé đói lắm, anh tới trước 5 giờ được không?")

    helper_context = await browser.new_context(viewport=PHONE, locale="vi-VN")
    host = urlparse(base_url).hostname
    token = issue_helper_token(settings, helper_id)
    await helper_context.add_cookies([{"name": SESSION_COOKIE, "value": token, "domain": host, "path": "/"}])
    helper = await helper_context.new_page()
    await helper.goto(f"{base_url}/nguoi-giup/khan-cap")
    await helper.click(f"a[href='/khan-cap/{code}/tin-nhan']")
    await helper.wait_for_selector("text=Bé đói lắm, anh tới trước 5 giờ được không?")
    assert "Trò chuyện với người cần giúp" in await helper.content()
    await helper.fill("#f-body", "Em tới lúc 4 giờ, mang 2 hộp sữa")
    await helper.click("#viet button[type=submit]")
    await helper.wait_for_selector("text=Em tới lúc 4 giờ, mang 2 hộp sữa")
    await checker.check(helper, "sos-messages-03-helper")

    await poster.reload()
    await poster.wait_for_selector("text=Em tới lúc 4 giờ, mang 2 hộp sữa")
    await poster.fill("#f-reason", "hỏi số nhà nhiều lần")
    await poster.click("text=Báo cáo cho phường")
    await poster.wait_for_selector("text=Bạn đã báo cáo cuộc trò chuyện này cho phường.")
    assert "?t=" in poster.url  # the forms kept the link's token
    await checker.check(poster, "sos-messages-04-reported")

    official = await make_staff(Role.WARD_OFFICIAL, WARD)
    ward_context = await browser.new_context(viewport=PHONE, locale="vi-VN")
    ward = await ward_context.new_page()
    await sign_in(ward, base_url, official.username)
    await ward.goto(f"{base_url}/can-bo/tin-nhan")
    await ward.click(f"a[href='/can-bo/tin-nhan/khan-cap/{code}']")
    await ward.wait_for_selector("text=hỏi số nhà nhiều lần")
    assert "Em tới lúc 4 giờ" in await ward.content()
    await checker.check(ward, "sos-messages-05-moderated")
    for context in (poster_context, helper_context, ward_context):
        await context.close()
    assert not checker.problems, "\n".join(checker.problems)
