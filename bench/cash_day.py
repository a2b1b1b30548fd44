"""The cash share of the peak day (2021: 30,000 of the first 50,000 registrations asked for cash): a household
asks for an amount, its ward verifies it, the need is published, a helper pledges it all, pays by the VietQR
code and says so, the household confirms, and the request closes as supported. Helpers sign in through the real
API with a one-time code, read back from the stack's SMS outbox (the bench runs with the stack's keys)."""

import asyncio
import itertools
import re
import time
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

from bench.load import Api, bearer
from bench.metrics import Series
from bench.population import Household
from bench.staffing import WardStaff
from common.keyed_hash import phone_hash
from db.otp import SmsOutbox

PLEDGES_PER_HELPER = 8  # under the policy's pledges per helper phone a day
AMOUNTS = (300_000, 500_000, 800_000, 1_000_000, 1_500_000)


@dataclass
class CashResult:
    lifecycle_s: list[float] = field(default_factory=list)  # registration to supported
    supported: Series = field(default_factory=Series)
    pledged_vnd: int = 0


def cash_registration(household: Household) -> dict[str, object]:
    """The household's cash need: an amount under the cap, a bank account in the holder's own name."""
    return household.registration() | {
        "kind": "cash_support",
        "amount_vnd": AMOUNTS[household.index % len(AMOUNTS)],
        "situation": "lost_income",
        "payout_method": "bank_account",
        "bank_bin": "970436",
        "account_number": f"0071{household.index:09d}",
        "holder_name": household.full_name,
        "consent_to_publish": True,
    }


async def code_sent_to(database_url: str, phone: str) -> str:
    """The one-time code the stack last sent to `phone`, read from its SMS outbox."""
    engine = create_async_engine(database_url)
    try:
        async with AsyncSession(engine) as session:
            message = await session.scalar(
                select(SmsOutbox.message)
                .where(SmsOutbox.phone_hash == phone_hash(phone))
                .order_by(SmsOutbox.id.desc())
                .limit(1)
            )
    finally:
        await engine.dispose()
    found = re.search(r"\b(\d{6})\b", message or "")
    if found is None:
        raise RuntimeError("no one-time code was sent to the phone")
    return found.group(1)


async def signed_in(api: Api, database_url: str, door: str, body: dict[str, object]) -> dict[str, str]:
    """Headers for whoever signs in at `door` ("/helper/otp" or "/citizen/otp") with a code sent to their phone."""
    sent = await api.call("POST", door, what="otp", json={"phone": body["phone"]})
    if sent.status_code != 202:
        raise RuntimeError(f"{door} answered {sent.status_code}: {sent.text[:200]}")
    code = await code_sent_to(database_url, str(body["phone"]))
    signed = await api.call("POST", f"{door}/verification", what="otp-sign-in", json=body | {"code": code})
    if signed.status_code != 200:
        raise RuntimeError(f"{door}/verification answered {signed.status_code}: {signed.text[:200]}")
    return bearer(signed.json()["access_token"])


async def sign_in_helpers(api: Api, database_url: str, count: int) -> list[dict[str, str]]:
    """`count` helpers through the sign-in route, each with its own phone."""
    return [
        await signed_in(api, database_url, "/helper/otp", {"phone": f"+8498{n:07d}", "display_name": f"Nhóm {n + 1}"})
        for n in range(count)
    ]


class CashDay:
    """Serves the households the peak day hands it, each through its whole cash lifecycle."""

    def __init__(self, api: Api, staff: dict[str, WardStaff], helpers: list[dict[str, str]]) -> None:
        self.api = api
        self.staff = staff
        self.helpers = itertools.cycle(helpers)
        self.result = CashResult()

    async def serve(self, household: Household, register: Any) -> None:
        """`register` is the peak day's registration call (its latency and answers are the day's)."""
        started = time.monotonic()
        body = await register(household, cash_registration(household))
        if body["stage"] != "awaiting_verification":
            raise RuntimeError(f"a new household's cash need was answered {body['stage']}")
        code, citizen = body["code"], bearer(body["citizen_token"])
        official = bearer(self.staff[household.ward.code].official_token)
        await self._ok("approve", "POST", f"/requests/{code}/verification", json={"approve": True}, headers=official)
        need = await self._published(code, citizen)
        helper = next(self.helpers)
        pledged = await self._ok(
            "pledge", "POST", f"/cash-needs/{need['public_ref']}/pledges",
            json={"amount_vnd": need["amount_asked_vnd"]}, headers=helper,
        )  # fmt: skip
        pledge = pledged.json()["code"]
        await self._ok("pledge-read", "GET", f"/helper/pledges/{pledge}", headers=helper)  # the QR, as a helper reads
        await self._ok("transferred", "POST", f"/helper/pledges/{pledge}/transfer", headers=helper)
        answer = {"arrived": True}
        await self._ok("confirm", "POST", f"/citizen/pledges/{pledge}/confirmation", json=answer, headers=citizen)
        await self._until_supported(code, official)
        self.result.lifecycle_s.append(time.monotonic() - started)
        self.result.supported.mark()
        self.result.pledged_vnd += int(need["amount_asked_vnd"])

    async def _ok(self, what: str, method: str, path: str, **kwargs: Any) -> Any:
        answer = await self.api.call(method, path, what=what, **kwargs)
        if answer.status_code not in (200, 201):
            raise RuntimeError(f"{what} answered {answer.status_code}: {answer.text[:200]}")
        return answer

    async def _published(self, code: str, citizen: dict[str, str]) -> dict[str, Any]:
        delay = 0.3
        for _ in range(200):
            await asyncio.sleep(delay)
            need: dict[str, Any] = (
                await self._ok("need-poll", "GET", f"/requests/{code}/cash-need", headers=citizen)
            ).json()
            if need and need["state"] == "published":
                return need
            delay = min(delay * 2, 5.0)
        raise RuntimeError(f"{code}'s need was never published")

    async def _until_supported(self, code: str, official: dict[str, str]) -> None:
        delay = 0.3
        for _ in range(200):
            await asyncio.sleep(delay)
            view = (await self._ok("support-poll", "GET", f"/requests/{code}", headers=official)).json()
            if view["stage"] == "supported":
                return
            delay = min(delay * 2, 5.0)
        raise RuntimeError(f"{code} was never supported")


def helpers_needed(cash_households: int) -> int:
    return max(1, -(-cash_households // PLEDGES_PER_HELPER))
