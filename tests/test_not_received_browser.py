"""In Chromium on a phone: the household says its bag never came, the ward official sees its word beside the photo
and records the finding, and the household reads it."""

from typing import Any
from urllib.parse import urlparse

import pytest

from common.settings import get_settings
from domain.roles import Role
from tests.factories import WARD, make_staff
from tests.test_not_received import delivered
from tests.test_pages_browser import PHONE, Checker, browser, sign_in
from usecases.trust.tokens import SESSION_COOKIE, issue_citizen_token

pytestmark = pytest.mark.timeout(180)
__all__ = ["browser"]  # the live stack's fixtures, shared with the pages' story


async def test_a_household_says_the_bag_never_came_and_reads_the_ward_s_finding(
    base_url: str, browser: Any, db: None
) -> None:
    request = await delivered("+84903777111")
    assert request.household_id is not None
    official = await make_staff(Role.WARD_OFFICIAL, WARD)
    checker = Checker()
    citizen_context = await browser.new_context(viewport=PHONE, locale="vi-VN")
    token = issue_citizen_token(get_settings(), [request.household_id])
    await citizen_context.add_cookies(
        [{"name": SESSION_COOKIE, "value": token, "domain": urlparse(base_url).hostname, "path": "/"}]
    )
    citizen = await citizen_context.new_page()
    await citizen.goto(f"{base_url}/yeu-cau/{request.code}")
    await checker.check(citizen, "notrec-01-delivered")
    await citizen.fill("#f-notrec_note", "chưa thấy ai đến")
    await citizen.click("text=Tôi chưa nhận được túi")
    await citizen.wait_for_load_state()
    assert "phường đang xem xét" in await citizen.inner_text("[data-testid=not-received]")
    await checker.check(citizen, "notrec-02-said")

    ward_context = await browser.new_context(viewport=PHONE, locale="vi-VN")
    ward = await ward_context.new_page()
    await sign_in(ward, base_url, official.username)
    await ward.goto(f"{base_url}/yeu-cau/{request.code}")
    review = ward.locator("[data-testid=review]")
    assert "chưa thấy ai đến" in await review.inner_text() and await review.locator("img.photo").count() == 1
    await checker.check(ward, "notrec-03-ward")
    await ward.check("input[name=received][value=yes]")
    await ward.click("text=Ghi kết luận")
    await ward.wait_for_load_state()
    assert "Hộ đã nhận túi" in await ward.inner_text("[data-testid=finding]")

    await citizen.reload()
    assert "túi đã được giao đến hộ" in await citizen.inner_text("[data-testid=not-received]")
    await checker.check(citizen, "notrec-04-answered")
    await citizen_context.close()
    await ward_context.close()
    assert not checker.problems, "\n".join(checker.problems)
