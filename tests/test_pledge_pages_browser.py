"""A helper pays a household from a phone: on a 360×740 screen in headless Chromium, they open a need's pledge
page, sign in with the code sent to their phone, pledge, and see the VietQR code with the bank, holder, account
number and reference to type it by hand; then report the transfer; the ward's page lists it. Each page is checked
at 360 px and by axe-core (tests/test_pages_browser.py's checker)."""

from typing import Any

import pytest

from domain.roles import Role
from tests.factories import WARD, make_staff
from tests.pledge_fixtures import ACCOUNT_NUMBER, HOLDER, published_need
from tests.sms import last_code_sent_to
from tests.test_pages_browser import PHONE, Checker, browser, sign_in  # noqa: F401 - fixtures

pytestmark = [pytest.mark.timeout(180), pytest.mark.usefixtures("loaded_geography")]


async def test_a_helper_pledges_and_sees_the_qr_code_on_a_phone(browser: Any, base_url: str) -> None:  # noqa: F811
    need = await published_need(800_000)
    checker = Checker()
    page = await browser.new_page(viewport=PHONE)
    await page.goto(f"{base_url}/ho-tro-tien-mat/{need.ref}/cam-ket")
    await checker.check(page, "pledge-01-need")
    await page.click("text=Đăng nhập bằng số điện thoại để cam kết")
    await page.fill("#f-phone", "0913222444")
    await page.click("form.card button[type=submit]")
    await page.wait_for_selector("#f-otp")
    await checker.check(page, "pledge-02-code")
    code = await last_code_sent_to("+84913222444")
    assert code is not None
    await page.fill("#f-otp", code)
    await page.fill("#f-display_name", "Nhóm Bếp Yêu Thương")
    await page.check("input[name=kind][value=group]")
    await page.click("form.card button[type=submit]")
    await page.wait_for_selector("#f-amount_vnd")  # back on the need's page, signed in
    await page.fill("#f-amount_vnd", "0")
    await page.click("form.card button[type=submit]")
    await page.wait_for_selector(".error-summary")
    await checker.check(page, "pledge-03-refused")
    await page.fill("#f-amount_vnd", "200.000")
    await page.click("form.card button[type=submit]")
    qr = page.locator("svg.vietqr")
    await qr.wait_for()
    await checker.check(page, "pledge-04-qr")
    box = await qr.bounding_box()
    assert box is not None and 200 <= box["width"] <= PHONE["width"] and box["x"] >= 0
    assert await page.text_content("#account") == ACCOUNT_NUMBER
    assert HOLDER in await page.content()
    reference = await page.text_content("#reference")
    assert reference is not None and reference.startswith("ANSINH ")
    await page.click("text=Tôi đã chuyển khoản")
    await page.wait_for_selector("text=Đã báo chuyển, chờ hộ xác nhận")
    await checker.check(page, "pledge-05-paid")
    assert await page.locator("svg.vietqr").count() == 0 and ACCOUNT_NUMBER not in await page.content()
    # The ward's list of paid pledges the household has not confirmed, with its decide form.
    official = await make_staff(Role.WARD_OFFICIAL, WARD)
    ward = await browser.new_page(viewport=PHONE)
    await sign_in(ward, base_url, official.username)
    await ward.goto(f"{base_url}/can-bo/ho-tro-tien-mat")
    await ward.wait_for_selector(f"text={reference}")
    await checker.check(ward, "pledge-06-ward")
    assert not checker.problems, "\n".join(checker.problems)
