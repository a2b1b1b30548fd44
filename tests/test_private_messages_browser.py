"""In Chromium on a phone: a household opens the conversation beside its pledge, a refused empty message names the
field, the household and the helper write to each other, both agree to show their numbers and each then sees the
other's; the household reports the conversation, and its ward's official reads it and closes it. Every page is
checked at 360 px and by axe-core, with screenshots in test-artifacts/."""

import uuid
from typing import Any
from urllib.parse import urlparse

import pytest

from common.settings import get_settings
from db.base import transaction
from domain.roles import Role
from services import cash_ledger
from tests.factories import WARD, make_staff
from tests.pledge_fixtures import a_helper, published_need
from tests.test_pages_browser import PHONE, Checker, browser, sign_in
from usecases.trust.tokens import SESSION_COOKIE, issue_citizen_token, issue_helper_token

pytestmark = [pytest.mark.timeout(180), pytest.mark.usefixtures("loaded_geography")]
__all__ = ["browser"]  # the live stack's fixtures, shared with the pages' story


async def _signed_in(browser: Any, base_url: str, token: str) -> Any:
    context = await browser.new_context(viewport=PHONE, locale="vi-VN")
    host = urlparse(base_url).hostname
    await context.add_cookies([{"name": SESSION_COOKIE, "value": token, "domain": host, "path": "/"}])
    return context


async def test_a_household_and_its_helper_talk_and_the_ward_closes_a_reported_conversation(
    browser: Any, base_url: str
) -> None:
    settings = get_settings()
    need = await published_need(600_000)
    helper_id, _ = await a_helper(settings)
    code = f"B{uuid.uuid4().hex[:9].upper()}"
    async with transaction() as session:
        await cash_ledger.pledge(session, code, need.request_id, helper_id, 200_000)
    checker = Checker()
    household_context = await _signed_in(browser, base_url, issue_citizen_token(settings, [need.household_id]))
    helper_context = await _signed_in(browser, base_url, issue_helper_token(settings, helper_id))
    household, helper = await household_context.new_page(), await helper_context.new_page()

    await household.goto(f"{base_url}/yeu-cau/{need.request_code}")
    await household.click(f"#cam-ket a[href='/cam-ket/{code}/tin-nhan']")
    await household.wait_for_selector("#f-body")
    await checker.check(household, "messages-01-household-empty")
    await household.click("#viet button[type=submit]")
    await household.wait_for_selector("#e-body")
    assert "nội dung" in await household.inner_text("#e-body")
    assert (await household.title()).startswith("Lỗi")
    await checker.check(household, "messages-02-refused")
    await household.fill("#f-body", "Cảm ơn chị Lan, nhà em đã nhận được tiền")
    await household.click("#viet button[type=submit]")
    await household.wait_for_selector("text=Cảm ơn chị Lan, nhà em đã nhận được tiền")

    await helper.goto(f"{base_url}/nguoi-giup/cam-ket/{code}")
    await helper.click(f"a[href='/cam-ket/{code}/tin-nhan']")
    await helper.wait_for_selector("text=Cảm ơn chị Lan, nhà em đã nhận được tiền")
    await helper.fill("#f-body", "Chúc cả nhà mạnh khỏe!")
    await helper.click("#viet button[type=submit]")
    await helper.wait_for_selector("text=Chúc cả nhà mạnh khỏe!")
    await helper.click("text=Đồng ý chia sẻ số điện thoại")
    await helper.wait_for_selector("text=Rút lại đồng ý")
    assert await helper.locator("#other-phone").count() == 0  # the household has not agreed yet
    await checker.check(helper, "messages-03-helper")

    await household.reload()
    assert "Bên kia đã đồng ý" in await household.content()
    await household.click("text=Đồng ý chia sẻ số điện thoại")
    await household.wait_for_selector("#other-phone")
    await checker.check(household, "messages-04-phones-shared")
    await helper.reload()
    assert await helper.inner_text("#other-phone") == "+84912345678"

    await household.fill("#f-reason", "hỏi thêm chuyện riêng")
    await household.click("text=Báo cáo cho phường")
    await household.wait_for_selector("text=Bạn đã báo cáo cuộc trò chuyện này cho phường.")

    official = await make_staff(Role.WARD_OFFICIAL, WARD)
    ward_context = await browser.new_context(viewport=PHONE, locale="vi-VN")
    ward = await ward_context.new_page()
    await sign_in(ward, base_url, official.username)
    await ward.goto(f"{base_url}/can-bo/tin-nhan")
    await checker.check(ward, "messages-05-moderation-list")
    await ward.click(f"a[href='/can-bo/tin-nhan/{code}']")
    await ward.wait_for_selector("text=hỏi thêm chuyện riêng")
    assert "Chúc cả nhà mạnh khỏe!" in await ward.content()
    await checker.check(ward, "messages-06-moderated")
    await ward.check("input[name=outcome][value=closed]")
    await ward.click("form.card button[type=submit]")
    await ward.wait_for_selector("text=Đã ghi nhận quyết định.")

    await household.reload()
    await household.wait_for_selector("#closed")
    assert await household.locator("#f-body").count() == 0
    await checker.check(household, "messages-07-closed")
    for context in (household_context, helper_context, ward_context):
        await context.close()
    assert not checker.problems, "\n".join(checker.problems)
