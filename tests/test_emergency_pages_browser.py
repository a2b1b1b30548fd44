"""An emergency from a phone: on a 360×740 screen in headless Chromium, a neighbour posts one (district, then what,
how urgent, where, the phone, then the SMS code) and lands on its follow page; a helper signs in from the public
list, takes it and sees the address; the ward's queue lists it. Each page is checked at 360 px and by axe-core
(tests/test_pages_browser.py's checker)."""

from typing import Any

import pytest
from sqlalchemy import select

from db.base import transaction
from db.emergencies import Emergency
from db.geography import AdminUnit
from domain.roles import Role
from tests.factories import DISTRICT, WARD, make_staff
from tests.sms import last_code_sent_to
from tests.test_pages_browser import PHONE, Checker, browser, sign_in  # noqa: F401 - fixtures

pytestmark = [pytest.mark.timeout(180), pytest.mark.usefixtures("loaded_geography")]


async def test_an_emergency_posted_and_taken_on_phones(browser: Any, base_url: str) -> None:  # noqa: F811
    checker = Checker()
    page = await browser.new_page(viewport=PHONE)
    await page.goto(f"{base_url}/khan-cap/moi")
    await checker.check(page, "sos-01-district")
    await page.select_option("#f-district", DISTRICT)
    await page.click("text=Tiếp tục")
    await page.wait_for_selector("#f-description")
    await page.check("input[name=category][value=infant_milk]")
    await page.fill("#f-description", "!!!!!!")
    await page.select_option("#f-ward_code", WARD)
    await page.fill("#f-address", "Hẻm 7 Đồng Khởi, lầu 2")
    await page.fill("#f-phone", "0913555777")
    await page.click("form[method=post] button[type=submit]")
    await page.wait_for_selector(".error-summary")
    await checker.check(page, "sos-02-refused")
    await page.fill("#f-description", "Cần sữa cho bé 1 tháng, nhà hết sữa từ hôm qua")
    await page.click("form[method=post] button[type=submit]")
    await page.wait_for_selector("#f-otp")
    await checker.check(page, "sos-03-code")
    code = await last_code_sent_to("+84913555777")
    assert code is not None
    await page.fill("#f-otp", code)
    await page.click("form.card button[type=submit]")
    await page.wait_for_selector("[data-testid=state]")
    await checker.check(page, "sos-04-follow")
    assert "Đang chờ người giúp" in await page.content()
    emergency = page.url.split("/khan-cap/")[1].split("?")[0]
    # A helper on the public list: the area only, then sign in and take it.
    helper = await browser.new_page(viewport=PHONE)
    await helper.goto(f"{base_url}/khan-cap")
    await checker.check(helper, "sos-05-list")
    assert "Đồng Khởi" not in await helper.content()
    await helper.click("text=Đăng nhập để nhận giúp")
    await helper.fill("#f-phone", "0913555888")
    await helper.click("form.card button[type=submit]")
    await helper.wait_for_selector("#f-otp")
    helper_code = await last_code_sent_to("+84913555888")
    assert helper_code is not None
    await helper.fill("#f-otp", helper_code)
    await helper.fill("#f-display_name", "Anh Minh")
    await helper.click("form.card button[type=submit]")
    await helper.wait_for_selector(f'[data-code="{emergency}"] button')
    await helper.click(f'[data-code="{emergency}"] button')
    await helper.wait_for_selector("[data-testid=address]")
    await checker.check(helper, "sos-06-mine")
    assert "Hẻm 7 Đồng Khởi, lầu 2" in await helper.content()
    # The ward's queue: the emergency, its address, and the close and hide forms.
    official = await make_staff(Role.WARD_OFFICIAL, WARD)
    ward = await browser.new_page(viewport=PHONE)
    await sign_in(ward, base_url, official.username)
    await ward.goto(f"{base_url}/can-bo/khan-cap")
    await ward.wait_for_selector(f'[data-code="{emergency}"]')
    await checker.check(ward, "sos-07-queue")
    assert not checker.problems, "\n".join(checker.problems)


async def test_the_phones_location_goes_with_the_post_when_the_person_allows_it(
    browser: Any,  # noqa: F811
    base_url: str,
) -> None:
    async with transaction() as session:
        ward = await session.get(AdminUnit, WARD)
        assert ward is not None and ward.latitude is not None and ward.longitude is not None
        here = {"latitude": ward.latitude + 0.0011, "longitude": ward.longitude - 0.0007}
    context = await browser.new_context(viewport=PHONE, geolocation=here, permissions=["geolocation"])
    page = await context.new_page()
    await page.goto(f"{base_url}/khan-cap/moi?district={DISTRICT}")
    await page.check("input[name=category][value=medicine]")
    await page.fill("#f-description", "Cần thuốc hạ sốt cho ông 80 tuổi sống một mình")
    await page.select_option("#f-ward_code", WARD)
    await page.fill("#f-address", "12 Hàm Nghi, lầu 3")
    await page.fill("#f-phone", "0913555999")
    await page.click("button[data-locate]")  # hidden without script: the script shows it where a phone can locate
    await page.wait_for_selector("text=Đã lấy vị trí")
    await Checker().check(page, "sos-08-located")
    await page.click("form[method=post] button[type=submit]")
    await page.wait_for_selector("#f-otp")
    code = await last_code_sent_to("+84913555999")
    assert code is not None
    await page.fill("#f-otp", code)
    await page.click("form.card button[type=submit]")
    await page.wait_for_selector("[data-testid=state]")
    emergency_code = page.url.split("/khan-cap/")[1].split("?")[0]
    await context.close()
    async with transaction() as session:
        emergency = await session.scalar(select(Emergency).where(Emergency.code == emergency_code))
        assert emergency is not None
        assert emergency.exact_point == f"{here['latitude']:.6f},{here['longitude']:.6f}"
        # The public point is the ~200 m cell's, not the ward's centre nor the exact one.
        assert (emergency.approx_latitude, emergency.approx_longitude) != (ward.latitude, ward.longitude)
        assert abs(emergency.approx_latitude - here["latitude"]) < 0.002
