"""A help group's way on a 360×740 screen in headless Chromium, against the live stack: a helper signs in with the
code sent to their phone and registers their kitchen (first with a mistake, named at the top of the form); the
district official of its coverage verifies it from the queue, with the private contact phone to call; then anyone
finds it in "Danh bạ nhóm hỗ trợ" by district and opens its page, with the verified badge and the public hotline
and never the private phone. Each page is screenshotted, checked at 360 px and by axe-core."""

from typing import Any

import pytest

from domain.roles import Role
from tests.factories import DISTRICT, make_staff
from tests.sms import last_code_sent_to
from tests.test_pages_browser import PHONE, Checker, browser, sign_in  # noqa: F401 - fixtures

pytestmark = [pytest.mark.timeout(180), pytest.mark.usefixtures("loaded_geography")]

NAME = "Bếp Cơm Yêu Thương Bến Nghé"
REGISTER_BUTTON = "form[action='/nguoi-giup/nhom'] button[type=submit]"


async def test_a_kitchen_registers_is_verified_and_is_found_in_the_directory(
    browser: Any,  # noqa: F811
    base_url: str,
    db: None,  # a directory of this test's groups only: earlier tests' verified groups would fill its first page
) -> None:
    checker = Checker()
    helper = await browser.new_page(viewport=PHONE)
    await helper.goto(f"{base_url}/nguoi-giup/nhom")
    await checker.check(helper, "group-01-sign-in-link")
    await helper.click("text=Đăng nhập bằng số điện thoại để đăng ký nhóm")
    await helper.fill("#f-phone", "0913555777")
    await helper.click("form.card button[type=submit]")
    await helper.wait_for_selector("#f-otp")
    code = await last_code_sent_to("+84913555777")
    assert code is not None
    await helper.fill("#f-otp", code)
    await helper.fill("#f-display_name", "Chị Mai")
    await helper.check("input[name=kind][value=group]")
    await helper.click("form.card button[type=submit]")
    await helper.wait_for_selector("#f-name")  # back on the registration form, signed in
    await checker.check(helper, "group-02-form")

    await helper.fill("#f-name", "!!!")
    await helper.click(REGISTER_BUTTON)
    await helper.wait_for_selector(".error-summary")
    await checker.check(helper, "group-03-refused")
    assert "Lỗi:" in await helper.title()

    await helper.fill("#f-name", NAME)
    await helper.check("input[name=kind][value=free_meals]")
    await helper.check("input[name=help_kinds][value=food]")
    await helper.fill("#f-description", "Phát cơm trưa miễn phí cho người lao động và người già neo đơn.")
    await helper.click("#f-coverage summary")
    await helper.check(f"input[name=districts][value='{DISTRICT}']")
    await helper.fill("input[name=opens-mon]", "10:00")
    await helper.fill("input[name=closes-mon]", "13:00")
    await helper.fill("#f-public_hotline", "028 3822 1234")
    await helper.fill("#f-contact_phone", "0912 345 670")
    await helper.click(REGISTER_BUTTON)
    await helper.wait_for_selector("#own-group")
    await checker.check(helper, "group-04-pending")
    assert "Chờ quận xác minh" in await helper.text_content("#own-group") or ""

    official = await make_staff(Role.DISTRICT_OFFICIAL, DISTRICT)
    district = await browser.new_page(viewport=PHONE)
    await sign_in(district, base_url, official.username)
    await district.goto(f"{base_url}/can-bo/nhom-ho-tro")
    await district.wait_for_selector(f"text={NAME}")
    assert "+84912345670" in await district.content()
    await checker.check(district, "group-05-queue")
    await district.click("button[name=decision][value=approve]")
    await district.wait_for_selector("text=Đã ghi nhận quyết định.")
    await checker.check(district, "group-06-verified")

    public = await browser.new_page(viewport=PHONE)
    await public.goto(f"{base_url}/")
    await public.click("main >> text=Danh bạ nhóm hỗ trợ")
    await public.select_option("#f-quan", DISTRICT)
    await public.check("input[name=dang_mo]")
    await public.uncheck("input[name=dang_mo]")
    await public.click("form[role=search] button[type=submit]")
    await public.wait_for_selector(f"text={NAME}")
    await checker.check(public, "group-07-directory")
    await public.click(f"text={NAME}")
    await public.wait_for_selector("h1")
    await checker.check(public, "group-08-page")
    page = await public.content()
    assert "Đã được Quận 1 xác minh" in page and "028 3822 1234" in page
    assert "912345670" not in page and "Chị Mai" not in page
    assert not checker.problems, "\n".join(checker.problems)
