"""An allocation round under the fault suite's faults: the round is approved across one and its shipments travel
across the next ones.

Before the faults, two hospitals' latest reports ask for goods the city's warehouse holds, so today's round has
something to propose; a centre official starts it through the API and it is solved and proposed. One fault-spacing
into the load, as the first fault begins, the official approves it, twice at once with one key; the round then
starts its shipments (ShipmentWorkflow children), which are dispatched and received as the other shipments are
(tests/system/shipments.py). tests/system/checks.py then finds the round approved once, each of its shipments
started once, and each received once.
"""

import asyncio
import time
import uuid
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

from bench.load import Api, bearer
from bench.staffing import sign_in
from common.city_time import CITY_TZ
from db.place_reports import PlaceReport, PlaceReportProposal
from db.staff import StaffUser
from domain.roles import Role
from services import stock_ledger
from tests.system.shipments import GIVE_UP_S, Shipment, ShipmentRuns, Twice, add_staff, place_staff, staff_name

SOURCE = ("KHO-TP-1", "766")
# (hospital, its district, item, quantity asked): each hospital's shipment carries one item.
ASKED = (("BV-115", "771", "rice", Decimal(30)), ("BV-CHO-RAY", "774", "canned_fish", Decimal(12)))
OFFICIAL = "bench-round-official"
PROPOSED_WITHIN_S = 120.0


async def prepare_round(database_url: str, http: httpx.AsyncClient) -> tuple[str, dict[str, str]]:
    """The city warehouse's goods and the hospitals' reports asking for them; the official's token and the
    warehouse staff's tokens by place."""
    await add_staff(database_url, [(OFFICIAL, Role.CITY_OFFICIAL, "79", None)])
    tokens = await place_staff(database_url, http, [SOURCE, *((h, d) for h, d, _, _ in ASKED)])
    now = datetime.now(UTC)
    engine = create_async_engine(database_url)
    try:
        async with AsyncSession(engine) as session, session.begin():
            for hospital, district, item, quantity in ASKED:
                expires = now.date() + timedelta(days=60)
                await stock_ledger.receive(session, f"faults:round:{item}", SOURCE[0], item, 2 * quantity, expires)
                nurse = await session.scalar(select(StaffUser.id).where(StaffUser.username == staff_name(hospital)))
                report = PlaceReport(
                    id=uuid.uuid4(),
                    place_code=hospital,
                    district_code=district,
                    report_date=now.astimezone(CITY_TZ).date(),
                    filed_by=nurse,
                    filed_at=now,
                    deadline_at=now,
                    late=False,
                )
                session.add(report)
                await session.flush()
                session.add(
                    PlaceReportProposal(
                        report_id=report.id, line_no=1, item_code=item, quantity=quantity, days=5, reason="bệnh nhân"
                    )
                )
    finally:
        await engine.dispose()
    return await sign_in(http, OFFICIAL), tokens


class RoundRun:
    """Today's round started, approved across a fault, and its shipments driven to received; outcomes go to the
    load's counter ("error:" ones fail the suite)."""

    def __init__(
        self,
        api: Api,
        official: str,
        tokens: dict[str, str],
        outcomes: Counter[str],
        twice: Twice,
        note: Callable[[str], None],
    ) -> None:
        self.api = api
        self.note = note
        self.official = official
        self.tokens = tokens
        self.outcomes = outcomes
        self.twice = twice
        self.day = ""
        self.codes: list[str] = []

    async def start(self) -> str:
        """Starts today's round and waits for its proposal; returns the round's day."""
        answer = await self.api.call("POST", "/allocation-rounds", what="round", headers=bearer(self.official))
        if answer.status_code != 202:
            raise RuntimeError(f"starting the round answered {answer.status_code}: {answer.text[:200]}")
        self.day = str(answer.json()["round_date"])
        view = await self._until(lambda v: v["stage"] != "solving", PROPOSED_WITHIN_S)
        if view["stage"] != "proposed" or not view["proposed"]:
            raise RuntimeError(f"the round was not proposed: {view['stage']} {view['reason']} {view['proposed']}")
        self.outcomes["round:proposed"] += 1
        self.note(f"allocation round {self.day} proposed: {len(view['proposed'])} lines")
        return self.day

    async def run(self, approve_after: float, spacing: float) -> None:
        """Approves `approve_after` seconds from now, then ships, each shipment across a fault as the others."""
        try:
            await asyncio.sleep(approve_after)
            key = {"Idempotency-Key": f"round-{self.day}-approval"}
            self.note(f"approving allocation round {self.day}, twice at once")
            await self.twice(
                "POST",
                f"/allocation-rounds/{self.day}/approval",
                json={"edits": []},
                headers=bearer(self.official) | key,
            )
            view = await self._until(lambda v: v["stage"] != "proposed", GIVE_UP_S)
            if view["stage"] != "approved":
                raise RuntimeError(f"the round ended {view['stage']}: {view['reason']}")
            self.outcomes["round:approved"] += 1
            ends = {line["shipment_code"]: (line["from_place"], line["to_place"]) for line in view["approved"]}
            self.codes = sorted(ends)
            self.note(f"allocation round {self.day} approved: shipments {self.codes}")
            shipments = [Shipment(code, self.tokens[s], self.tokens[d]) for code, (s, d) in sorted(ends.items())]
            await asyncio.gather(*(self._recorded(s) for s in shipments))
            await ShipmentRuns(self.api, shipments, self.outcomes, self.twice).run(spacing)
        except Exception as exc:
            self.outcomes[f"error:round:{type(exc).__name__}:{str(exc)[:80]}"] += 1

    async def _recorded(self, shipment: Shipment) -> None:
        """The round answers once its shipments' workflows are due to start: each is recorded a moment later."""
        given_up_at = time.monotonic() + GIVE_UP_S
        while True:
            answer = await self.api.call(
                "GET", f"/shipments/{shipment.code}", what="shipment-read", headers=bearer(shipment.destination)
            )
            if answer.status_code == 200:
                return
            if answer.status_code != 404 or time.monotonic() > given_up_at:
                raise RuntimeError(f"{shipment.code} answered {answer.status_code}: {answer.text[:200]}")
            await asyncio.sleep(0.5)

    async def _until(self, done: Callable[[dict[str, Any]], bool], seconds: float) -> dict[str, Any]:
        """The round's view, read every half second (each read retried through the faults) until `done`."""
        given_up_at = time.monotonic() + seconds
        while True:
            answer = await self.api.call(
                "GET", f"/allocation-rounds/{self.day}", what="round-read", headers=bearer(self.official)
            )
            if answer.status_code != 200:
                raise RuntimeError(f"reading the round answered {answer.status_code}: {answer.text[:200]}")
            view: dict[str, Any] = answer.json()
            if done(view) or time.monotonic() > given_up_at:
                return view
            await asyncio.sleep(0.5)
