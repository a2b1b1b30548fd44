"""Citizens sign in with a one-time code; registration, codes and sign-ins are rate-limited."""

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import delete, select, update
from temporalio.client import Client

from common.limits import Limit, RateLimits
from common.settings import get_settings
from db.base import transaction
from db.otp import OtpChallenge
from db.rate_limits import RateLimitCounter
from domain.roles import Role
from server import create_app
from tests.factories import DISTRICT, OTHER_DISTRICT, OTHER_DISTRICT_WARD, WARD, make_staff
from tests.sms import last_code_sent_to
from tests.trust_fixtures import in_process, insert_request

PHONE = "+84903555111"
TIGHT = RateLimits(
    registration_per_ip=Limit(count=2, window=timedelta(hours=1)),
    login_failures_per_username_ip=Limit(count=3, window=timedelta(minutes=15)),
    login_failures_per_ip=Limit(count=150, window=timedelta(minutes=15)),
    otp_send_per_phone=Limit(count=2, window=timedelta(minutes=15)),
    otp_verify_per_ip=Limit(count=10, window=timedelta(hours=1)),
)


@pytest.fixture
async def http(db: None, client: Client) -> AsyncIterator[httpx.AsyncClient]:
    # No resend wait here: these tests are about the per-window limits (tests/test_otp_tries.py has the wait).
    app = create_app(get_settings().model_copy(update={"rate_limits": TIGHT, "otp_resend_seconds": 0}))
    app.state.temporal = client
    async for http_client in in_process(app):
        yield http_client


async def code_for(http: httpx.AsyncClient, phone: str = PHONE) -> str:
    assert (await http.post("/api/v1/citizen/otp", json={"phone": phone})).status_code == 202
    code = await last_code_sent_to(phone)
    assert code is not None
    return code


async def verify(http: httpx.AsyncClient, code: str, phone: str = PHONE) -> httpx.Response:
    return await http.post("/api/v1/citizen/otp/verification", json={"phone": phone, "code": code})


async def test_a_code_opens_every_household_of_the_phone_and_nothing_else(http: httpx.AsyncClient) -> None:
    first = await insert_request(WARD, DISTRICT, PHONE)
    second = await insert_request(OTHER_DISTRICT_WARD, OTHER_DISTRICT, PHONE)  # the same phone, another household
    stranger = await insert_request(WARD, DISTRICT, "+84903555999")
    answer = await verify(http, await code_for(http))
    assert answer.status_code == 200, answer.text
    assert set(answer.json()["household_ids"]) == {str(first.household_id), str(second.household_id)}
    headers = {"Authorization": f"Bearer {answer.json()['access_token']}"}
    listed = (await http.get("/api/v1/citizen/requests", headers=headers)).json()
    assert {r["code"] for r in listed} == {first.code, second.code}
    assert (await http.get(f"/api/v1/requests/{second.code}", headers=headers)).status_code == 200
    assert (await http.get(f"/api/v1/requests/{stranger.code}", headers=headers)).status_code == 404


async def test_codes_are_single_use_short_lived_hashed_and_few_tries(http: httpx.AsyncClient) -> None:
    await insert_request(WARD, DISTRICT, PHONE)
    code = await code_for(http)
    async with transaction() as session:
        stored = (await session.scalars(select(OtpChallenge))).all()
    assert len(stored) == 1 and code not in stored[0].code_hash  # only a keyed hash is kept
    assert (await verify(http, code)).status_code == 200
    assert (await verify(http, code)).status_code == 401  # used once

    code = await code_for(http)
    async with transaction() as session:
        await session.execute(update(OtpChallenge).values(expires_at=OtpChallenge.created_at))
    assert (await verify(http, code)).status_code == 401  # expired

    # A new code replaces the old; five wrong tries kill it, even for the right code after them.
    assert (await http.post("/api/v1/citizen/otp", json={"phone": PHONE})).status_code == 429  # 2 per window
    async with transaction() as session:
        await session.execute(update(OtpChallenge).values(expires_at=OtpChallenge.created_at + timedelta(minutes=5)))
        latest = await session.scalar(select(OtpChallenge).order_by(OtpChallenge.created_at.desc()).limit(1))
        assert latest is not None
        await session.execute(
            update(OtpChallenge).where(OtpChallenge.id != latest.id).values(used_at=latest.created_at)
        )
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for _ in range(get_settings().otp_max_attempts):
        assert (await verify(http, wrong)).status_code == 401
    assert (await verify(http, code)).status_code == 401


async def test_an_unknown_phone_gets_the_same_answer_and_no_sms(http: httpx.AsyncClient) -> None:
    known = await insert_request(WARD, DISTRICT, PHONE)
    assert known.household_id
    unknown = await http.post("/api/v1/citizen/otp", json={"phone": "0903 555 000"})
    sent = await http.post("/api/v1/citizen/otp", json={"phone": PHONE})
    assert unknown.status_code == sent.status_code == 202 and unknown.json() == sent.json()
    assert await last_code_sent_to("+84903555000") is None


async def test_registration_is_rate_limited_per_ip(http: httpx.AsyncClient) -> None:
    form = {"full_name": "Lê Hoa", "national_id": "079203004005", "phone": "0912345678",
            "address": "1 Lê Lợi", "ward_code": "99999", "household_size": 1}  # fmt: skip
    for i in range(2):
        form["phone"] = f"091234567{i}"
        assert (await http.post("/api/v1/requests", json=form)).status_code == 422  # counted, then refused
    limited = await http.post("/api/v1/requests", json={**form, "phone": "0912345679"})
    assert limited.status_code == 429 and int(limited.headers["Retry-After"]) > 0
    assert limited.json()["kind"] == "RateLimited"


def from_address(app: FastAPI, ip: str) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=(ip, 40000))
    return httpx.AsyncClient(transport=transport, base_url="http://ansinh.test", timeout=30)


async def sign_in(http: httpx.AsyncClient, username: str, password: str) -> int:
    return (await http.post("/api/v1/auth/token", data={"username": username, "password": password})).status_code


async def test_guessing_a_password_slows_the_guesser_not_the_owner(client: Client, db: None) -> None:
    """Failures count per username at one address: the guessing address waits, even with the right password
    after its tries; guesses from many addresses (each under the limit) never lock the owner out; a shared
    office address takes many failures before anyone behind it waits."""
    app = create_app(get_settings().model_copy(update={"rate_limits": TIGHT}))
    app.state.temporal = client
    official, colleague = await make_staff(Role.WARD_OFFICIAL, WARD), await make_staff(Role.WARD_OFFICIAL, WARD)
    async with from_address(app, "203.0.113.7") as attacker:
        assert [await sign_in(attacker, official.username, "guess") for _ in range(3)] == [401] * 3
        assert await sign_in(attacker, official.username, "matkhau-123") == 429
    for n in range(11):  # eleven addresses, two wrong guesses each
        async with from_address(app, f"198.51.100.{n}") as guesser:
            assert [await sign_in(guesser, official.username, "guess") for _ in range(2)] == [401, 401]
    async with from_address(app, "192.0.2.10") as office:  # the owner's own ward office
        assert await sign_in(office, official.username, "matkhau-123") == 200
        for n in range(100):  # a hundred failures behind the office's one address, for other names
            assert await sign_in(office, f"someone-{n}", "guess") == 401
        assert await sign_in(office, colleague.username, "matkhau-123") == 200


async def test_guessing_codes_is_rate_limited_per_ip(http: httpx.AsyncClient) -> None:
    answers = [(await verify(http, f"{n:06d}", f"+8490355{n:04d}")).status_code for n in range(12)]
    assert answers[:10] == [401] * 10 and answers[10:] == [429, 429]


async def test_a_household_ends_every_session_of_its_own(http: httpx.AsyncClient) -> None:
    """A lost or shared phone: the citizen ends every session at once instead of waiting for TOKEN_MINUTES."""
    request = await insert_request(WARD, DISTRICT, PHONE)
    first = await verify(http, await code_for(http))
    other_device = {"Authorization": f"Bearer {first.json()['access_token']}"}
    assert (await http.get(f"/api/v1/requests/{request.code}", headers=other_device)).status_code == 200
    second = await verify(http, await code_for(http))
    this_device = {"Authorization": f"Bearer {second.json()['access_token']}"}
    ended = await http.post("/api/v1/citizen/sessions/revocation", headers=this_device)
    assert ended.status_code == 204, ended.text
    for headers in (other_device, this_device):
        assert (await http.get(f"/api/v1/requests/{request.code}", headers=headers)).status_code == 401
    await asyncio.sleep(1.1)
    async with transaction() as session:  # past this test's tight limit on codes sent to one phone
        await session.execute(delete(RateLimitCounter))
    again = await verify(http, await code_for(http))
    assert again.status_code == 200
    fresh = {"Authorization": f"Bearer {again.json()['access_token']}"}
    assert (await http.get(f"/api/v1/requests/{request.code}", headers=fresh)).status_code == 200
