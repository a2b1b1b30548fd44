"""Cash lifecycles under the fault suite's faults: a share of the households ask for cash, and each is driven,
with every action sent twice at once, from wherever it stands to supported: the ward approves, a helper pledges
the need in full, says it is paid, and the household confirms. Pledges must come through the faults with none
lost and none counted twice (tests/system/checks.py)."""

import asyncio
from collections import Counter
from collections.abc import Awaitable, Callable
from typing import Any

from bench.cash_day import signed_in
from bench.load import Api, bearer
from bench.population import Household
from bench.staffing import WardStaff

FINAL = ("supported", "refused", "rejected", "expired", "cancelled")
Twice = Callable[..., Awaitable[None]]


class CashLifecycles:
    def __init__(
        self,
        api: Api,
        database_url: str,
        staff: dict[str, WardStaff],
        helpers: list[dict[str, str]],
        outcomes: Counter[str],
        twice: Twice,
    ) -> None:
        self.api = api
        self.database_url = database_url
        self.staff = staff
        self.helpers = helpers
        self.outcomes = outcomes
        self.twice = twice
        self._next_helper = 0

    async def household_headers(self, household: Household) -> dict[str, str]:
        """The household's own sign-in with a code to its phone: it opens every request carrying that phone, the
        one whose registration answer a fault lost too."""
        return await signed_in(self.api, self.database_url, "/citizen/otp", {"phone": household.phone})

    async def finish(self, code: str, household: Household, citizen: dict[str, str] | None = None) -> None:
        official = bearer(self.staff[household.ward.code].official_token)
        citizen = citizen or await self.household_headers(household)
        pledge: str | None = None
        helper = self._helper()
        for _ in range(400):
            view = await self._json("GET", f"/requests/{code}", headers=official)
            stage = view["stage"]
            if stage in FINAL:
                self.outcomes[f"cash-final:{stage}"] += 1
                return
            if stage == "awaiting_verification":
                await self.twice("POST", f"/requests/{code}/verification", json={"approve": True}, headers=official)
            elif stage == "awaiting_support":
                pledge = pledge or await self._pledge(code, citizen, helper)
                if pledge is not None:
                    await self.twice("POST", f"/helper/pledges/{pledge}/transfer", headers=helper)
                    await self.twice(
                        "POST", f"/citizen/pledges/{pledge}/confirmation", json={"arrived": True}, headers=citizen
                    )
            await asyncio.sleep(0.5)
        self.outcomes["error:cash never final"] += 1

    async def _pledge(self, code: str, citizen: dict[str, str], helper: dict[str, str]) -> str | None:
        """The need's whole remaining amount, pledged once (a retried pledge the fault answered is found again in
        the helper's list rather than made twice)."""
        need = await self._json("GET", f"/requests/{code}/cash-need", headers=citizen)
        if need is None or need["state"] != "published" or not need.get("public_ref"):
            return None
        mine = await self._json("GET", "/helper/pledges", headers=helper)
        for p in mine:
            if p["need_ref"] == need["public_ref"] and p["state"] in ("pledged", "transferred", "disputed"):
                return str(p["code"])
        remaining = need["amount_asked_vnd"] - need["amount_pledged_vnd"]
        if remaining <= 0:
            return None
        answer = await self.api.call(
            "POST",
            f"/cash-needs/{need['public_ref']}/pledges",
            what="pledge",
            json={"amount_vnd": remaining},
            headers=helper,
        )
        self.outcomes[f"pledge:{answer.status_code}"] += 1
        if answer.status_code == 201:
            return str(answer.json()["code"])
        if answer.status_code not in (404, 409, 422):  # a need closing or another pledge first: looked at again
            raise RuntimeError(f"a pledge answered {answer.status_code}: {answer.text[:200]}")
        return None

    def _helper(self) -> dict[str, str]:
        self._next_helper += 1
        return self.helpers[self._next_helper % len(self.helpers)]

    async def _json(self, method: str, path: str, **kwargs: Any) -> Any:
        answer = await self.api.call(method, path, what="cash-read", **kwargs)
        if answer.status_code != 200:
            raise RuntimeError(f"{path} answered {answer.status_code}: {answer.text[:200]}")
        return answer.json()
