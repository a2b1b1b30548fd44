"""The one-time code says what the system does: a wrong code says how many tries are left, a new code comes only
after the stated wait (a real limit, not a text), and none of it tells a registered phone from an unknown one."""

from collections.abc import AsyncIterator
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import update
from temporalio.client import Client

from common.keyed_hash import phone_hash
from common.settings import get_settings
from db.base import transaction
from db.otp import OtpChallenge
from server import create_app
from tests.factories import DISTRICT, WARD
from tests.sms import last_code_sent_to
from tests.trust_fixtures import in_process, insert_request
from texts import text
from web.csrf import CSRF_COOKIE, form_token

KNOWN, UNKNOWN = "+84903555111", "+84903555000"
NONCE = "otp-tries-nonce"


@pytest.fixture
async def http(db: None, client: Client) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(get_settings())
    app.state.temporal = client
    async for http_client in in_process(app):
        yield http_client


async def send(http: httpx.AsyncClient, phone: str) -> httpx.Response:
    return await http.post("/api/v1/citizen/otp", json={"phone": phone})


async def verify(http: httpx.AsyncClient, phone: str, code: str) -> httpx.Response:
    return await http.post("/api/v1/citizen/otp/verification", json={"phone": phone, "code": code})


async def wait_over(phone: str) -> None:
    """The resend wait passes: the phone's challenges are moved back in time by it."""
    wait = timedelta(seconds=get_settings().otp_resend_seconds + 1)
    async with transaction() as session:
        await session.execute(
            update(OtpChallenge)
            .where(OtpChallenge.phone_hash == phone_hash(phone))
            .values(created_at=OtpChallenge.created_at - wait)
        )


def shape(answer: httpx.Response) -> tuple[int, object, str | None]:
    return answer.status_code, answer.json(), answer.headers.get("Retry-After")


async def test_a_wrong_code_says_the_tries_left_and_they_are_true(http: httpx.AsyncClient) -> None:
    await insert_request(WARD, DISTRICT, KNOWN)
    tries = get_settings().otp_max_attempts
    sent = await send(http, KNOWN)
    assert sent.status_code == 202 and sent.json()["tries"] == tries
    code = await last_code_sent_to(KNOWN)
    assert code is not None
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for left in range(tries - 1, 0, -1):
        answer = await verify(http, KNOWN, wrong)
        assert answer.status_code == 401 and answer.json()["code"] == "unauthenticated"
        assert answer.json()["detail"] == text("vi", "track.wrong_tries", tries=left)
    last = await verify(http, KNOWN, wrong)
    assert last.json()["detail"] == text("vi", "track.no_tries")
    assert (await verify(http, KNOWN, code)).status_code == 401  # no tries left: the right code is dead too


async def test_a_new_code_waits_as_long_as_said(http: httpx.AsyncClient) -> None:
    await insert_request(WARD, DISTRICT, KNOWN)
    wait = get_settings().otp_resend_seconds
    first = await send(http, KNOWN)
    assert first.json()["resend_after_seconds"] == wait
    code = await last_code_sent_to(KNOWN)
    too_soon = await send(http, KNOWN)
    assert too_soon.status_code == 429 and wait - 5 <= int(too_soon.headers["Retry-After"]) <= wait
    assert await last_code_sent_to(KNOWN) == code  # no SMS went
    await wait_over(KNOWN)
    assert (await send(http, KNOWN)).status_code == 202
    assert (await verify(http, KNOWN, str(code))).status_code == 401  # the new code replaced the old
    new_code = await last_code_sent_to(KNOWN)
    assert new_code is not None and (await verify(http, KNOWN, new_code)).status_code == 200


async def test_an_unknown_phone_answers_exactly_as_a_known_one(http: httpx.AsyncClient) -> None:
    await insert_request(WARD, DISTRICT, KNOWN)
    # Before any code, after a code, after a wrong try, and too soon for a new one: answer for answer.
    assert shape(await verify(http, KNOWN, "000000")) == shape(await verify(http, UNKNOWN, "000000"))
    assert shape(await send(http, KNOWN)) == shape(await send(http, UNKNOWN))
    assert await last_code_sent_to(UNKNOWN) is None
    code = await last_code_sent_to(KNOWN)
    wrong = f"{(int(str(code)) + 1) % 1_000_000:06d}"
    for _ in range(2):
        assert shape(await verify(http, KNOWN, wrong)) == shape(await verify(http, UNKNOWN, wrong))
    known_again, unknown_again = await send(http, KNOWN), await send(http, UNKNOWN)
    assert known_again.status_code == 429
    assert known_again.json() == unknown_again.json()
    assert abs(int(known_again.headers["Retry-After"]) - int(unknown_again.headers["Retry-After"])) <= 1


async def post_form(http: httpx.AsyncClient, path: str, form: dict[str, str]) -> httpx.Response:
    return await http.post(
        path,
        data={"csrf_token": form_token(get_settings(), NONCE), **form},
        headers={"Cookie": f"{CSRF_COOKIE}={NONCE}"},
    )


async def test_the_code_page_says_the_tries_left_and_the_wait(http: httpx.AsyncClient) -> None:
    await insert_request(WARD, DISTRICT, KNOWN)
    settings = get_settings()
    page = await post_form(http, "/tra-cuu", {"phone": "0903 555 111"})
    assert page.status_code == 200
    assert f"Bạn được nhập sai tối đa {settings.otp_max_attempts} lần." in page.text
    assert f"xin mã mới {settings.otp_resend_seconds} giây sau lần gửi trước" in page.text
    code = await last_code_sent_to(KNOWN)
    other = f"{(int(str(code)) + 1) % 1_000_000:06d}"
    wrong = await post_form(http, "/tra-cuu/xac-thuc", {"phone": "0903 555 111", "otp": other})
    assert wrong.status_code == 422 and "<title>Lỗi: " in wrong.text
    assert f"Bạn còn {settings.otp_max_attempts - 1} lần thử." in wrong.text
    assert 'href="#f-otp"' in wrong.text
    blank = await post_form(http, "/tra-cuu/xac-thuc", {"phone": "0903 555 111", "otp": ""})
    assert "Nhập mã xác thực gồm 6 chữ số trong tin nhắn" in blank.text
    resend = await post_form(http, "/tra-cuu", {"phone": "0903 555 111"})
    assert resend.status_code == 429 and "Vui lòng chờ" in resend.text
