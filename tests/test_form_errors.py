"""Errors the GOV.UK way on the forms that can fail: a summary at the top ("Có lỗi cần sửa") linking each message
to its field's input, focused on load; "Lỗi: " before the page's title; messages that say what to do; and a
landline refused as the phone the SMS goes to, on the pages and by the API alike."""

import re
from collections.abc import AsyncIterator

import httpx
import pytest
from temporalio.client import Client

from common.settings import get_settings
from domain.identity import normalise_mobile_phone, normalise_phone
from domain.roles import Role
from server import create_app
from tests.factories import WARD, make_staff
from tests.trust_fixtures import in_process
from texts import text
from texts.validation import TextError
from web.csrf import CSRF_COOKIE, form_token

NONCE = "form-errors-nonce"
LANDLINE = "028 3822 1234"  # a Ho Chi Minh City fixed line


@pytest.fixture
async def http(db: None, client: Client) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(get_settings())
    app.state.temporal = client
    async for http_client in in_process(app):
        yield http_client


async def post_form(http: httpx.AsyncClient, path: str, form: dict[str, str], lang: str = "vi") -> httpx.Response:
    return await http.post(
        path,
        data={"csrf_token": form_token(get_settings(), NONCE), **form},
        headers={"Cookie": f"{CSRF_COOKIE}={NONCE}; lang={lang}"},
    )


def title(page: str) -> str:
    found = re.search(r"<title>(.*?)</title>", page, re.DOTALL)
    assert found
    return found.group(1)


def summary_links(page: str) -> dict[str, str]:
    """{the input's id: the message} of each link in the error summary; the summary must take the focus."""
    found = re.search(r'<div class="error-summary"([^>]*)>(.*?)</div>', page, re.DOTALL)
    assert found, "no error summary"
    assert 'tabindex="-1"' in found.group(1) and "autofocus" in found.group(1)
    return dict(re.findall(r'<a href="#(f-[a-z_]+)">([^<]*)</a>', found.group(2)))


def test_a_landline_is_no_phone_for_sms_but_stays_a_phone() -> None:
    assert normalise_phone(LANDLINE) == "+842838221234"  # a ward's list may carry one
    assert normalise_mobile_phone("0912 345 678") == "+84912345678"
    with pytest.raises(TextError) as landline:
        normalise_mobile_phone(LANDLINE)
    assert landline.value.code == "phone_landline"


async def test_registration_lists_every_problem_with_what_to_do(http: httpx.AsyncClient) -> None:
    page = await post_form(http, "/dang-ky", {"ward_code": WARD, "phone": LANDLINE})
    assert page.status_code == 422
    assert title(page.text).startswith("Lỗi: ")
    links = summary_links(page.text)
    assert list(links) == ["f-full_name", "f-national_id", "f-phone", "f-address", "f-household_size"]
    assert links["f-full_name"] == "Nhập họ và tên"
    assert links["f-phone"] == text("vi", "err.phone_landline")
    assert links["f-household_size"] == "Nhập số người trong hộ, ví dụ 4"
    for field_id in links:  # every link lands on an input of the page
        assert f'id="{field_id}"' in page.text
    assert "Có lỗi cần sửa" in page.text

    bad_number = await post_form(http, "/dang-ky", {"ward_code": WARD, "phone": "0912 345"})
    assert summary_links(bad_number.text)["f-phone"] == "Số điện thoại di động gồm 10 chữ số, ví dụ 0912 345 678"

    english = await post_form(http, "/dang-ky", {"ward_code": WARD}, lang="en")
    assert title(english.text).startswith("Error: ") and "There is a problem" in english.text
    assert summary_links(english.text)["f-full_name"] == "Enter your full name"


async def test_a_page_without_errors_has_no_summary_and_no_prefix(http: httpx.AsyncClient) -> None:
    page = await http.get(f"/dang-ky/thong-tin?ward={WARD}")
    assert page.status_code == 200
    assert "error-summary" not in page.text and not title(page.text).startswith("Lỗi")


async def test_the_api_refuses_a_landline_naming_the_field(http: httpx.AsyncClient) -> None:
    form = {"full_name": "Lê Hoa", "national_id": "079203004005", "phone": LANDLINE,
            "address": "1 Lê Lợi", "ward_code": WARD, "household_size": 1}  # fmt: skip
    answer = await http.post("/api/v1/requests", json=form)
    assert answer.status_code == 422, answer.text
    problems = answer.json()["detail"]
    assert [(p["loc"], p["type"]) for p in problems] == [(["body", "phone"], "phone_landline")]
    assert problems[0]["msg"] == text("vi", "err.phone_landline")
    otp = await http.post("/api/v1/citizen/otp", json={"phone": LANDLINE}, headers={"Accept-Language": "en"})
    assert otp.status_code == 422 and otp.json()["detail"][0]["loc"] == ["body", "phone"]
    assert otp.json()["detail"][0]["msg"] == text("en", "err.phone_landline")


async def test_tracking_says_what_to_type(http: httpx.AsyncClient) -> None:
    blank = await post_form(http, "/tra-cuu", {"phone": ""})
    assert blank.status_code == 422 and title(blank.text).startswith("Lỗi: ")
    assert summary_links(blank.text) == {"f-phone": "Nhập số điện thoại di động gồm 10 chữ số, ví dụ 0912 345 678"}
    landline = await post_form(http, "/tra-cuu", {"phone": LANDLINE})
    assert landline.status_code == 422
    assert summary_links(landline.text)["f-phone"] == text("vi", "err.phone_landline")


async def test_sign_in_names_the_blank_fields_and_never_which_one_was_wrong(http: httpx.AsyncClient) -> None:
    blank = await post_form(http, "/dang-nhap", {"username": "", "password": ""})
    assert blank.status_code == 422 and title(blank.text).startswith("Lỗi: ")
    assert summary_links(blank.text) == {"f-username": "Nhập tên đăng nhập", "f-password": "Nhập mật khẩu"}
    official = await make_staff(Role.WARD_OFFICIAL, WARD)
    wrong = await post_form(http, "/dang-nhap", {"username": official.username, "password": "sai-mat-khau"})
    assert wrong.status_code == 401 and title(wrong.text).startswith("Lỗi: ")
    assert list(summary_links(wrong.text)) == ["f-username"]
