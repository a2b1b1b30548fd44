"""Shipments under the fault suite's faults: a few district warehouses each send goods to one of their wards' points.

The workflows start before the faults, as the allocation round starts them (by name, with an order). Shipment i is
dispatched i fault-spacings into the load and received one spacing later, so each one is on the road across a fault
(a worker SIGKILLed, Temporal or PostgreSQL restarted); every action is sent twice at once with one key, through the
API's retries. Every other receipt counts one unit short, so differences are written too. The checks then find each
shipment received once: every dispatched movement has exactly one receipt movement, and each line's count is what
arrived plus or minus its own adjustment (tests/system/checks.py checks every balance against its movements).
"""

import asyncio
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import httpx
from argon2 import PasswordHasher
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine
from temporalio.client import Client

from bench.load import Api, bearer
from bench.population import Ward
from bench.staffing import PASSWORD, sign_in
from db.staff import StaffUser
from domain.names import TASK_QUEUE, shipment_workflow_id
from domain.roles import Role
from domain.shipments import SHIPMENT_WORKFLOW, ShipmentLine, ShipmentOrder, shipment_code
from services.supply_seed import district_warehouse_code, ward_point_code

# Goods the districts' warehouses hold before the faults (tests/system/stock.py stocks them for the movers).
LINES = (
    ShipmentLine(item_code="rice", quantity=Decimal(20)),
    ShipmentLine(item_code="canned_fish", quantity=Decimal(10)),
)
DRIVER = {"driver_name": "Trần Văn Xe", "driver_phone": "0912345678", "vehicle_plate": "51C-123.45"}
Twice = Callable[..., Awaitable[None]]
HAND_MADE = 900  # the first shipment number this module uses
GIVE_UP_S = 300.0  # after its receipt was due: the shipment is reported never received


@dataclass(frozen=True)
class Shipment:
    code: str
    source: str  # the source's staff's token
    destination: str


def staff_name(place: str) -> str:
    return f"bench-ship-{place}"


async def add_staff(database_url: str, staff: Sequence[tuple[str, Role, str, str | None]]) -> None:
    """Staff users (username, role, unit, place), signed in with bench.staffing's password; added once."""
    password_hash = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash(PASSWORD)
    engine = create_async_engine(database_url)
    try:
        async with AsyncSession(engine) as session, session.begin():
            for username, role, unit, place in staff:
                await session.execute(
                    insert(StaffUser)
                    .values(
                        username=username,
                        full_name=username,
                        password_hash=password_hash,
                        role=role.value,
                        unit_code=unit,
                        place_code=place,
                        active=True,
                    )
                    .on_conflict_do_nothing(index_elements=["username"])
                )
    finally:
        await engine.dispose()


async def place_staff(database_url: str, http: httpx.AsyncClient, places: Sequence[tuple[str, str]]) -> dict[str, str]:
    """A warehouse staff member at each (place, unit), signed in: place → token."""
    await add_staff(database_url, [(staff_name(p), Role.WAREHOUSE_STAFF, unit, p) for p, unit in places])
    return {place: await sign_in(http, staff_name(place)) for place, _ in places}


async def prepare(
    database_url: str, client: Client, http: httpx.AsyncClient, wards: Sequence[Ward], count: int
) -> list[Shipment]:
    """Staff at both ends of `count` shipments (one ward of each of the first districts), signed in; the shipments'
    workflows started and picking."""
    chosen: dict[str, Ward] = {}
    for ward in sorted(wards, key=lambda w: w.code):
        chosen.setdefault(ward.district_code, ward)
    ends = [(district_warehouse_code(d), ward_point_code(w.code), d, w.code) for d, w in sorted(chosen.items())]
    ends = ends[:count]
    tokens = await place_staff(
        database_url, http, [end for s, d, district, ward in ends for end in ((s, district), (d, ward))]
    )
    day = time.strftime("%Y%m%d")
    shipments = []
    for n, (source, destination, _, _) in enumerate(ends, start=1):
        # Numbered above any day's round's shipments (tests/system/allocation_round.py), which are named alike.
        order = ShipmentOrder(
            code=shipment_code(day, HAND_MADE + n), from_place=source, to_place=destination, lines=LINES
        )
        await client.start_workflow(
            SHIPMENT_WORKFLOW, order, id=shipment_workflow_id(order.code), task_queue=TASK_QUEUE
        )
        shipments.append(Shipment(order.code, tokens[source], tokens[destination]))
    return shipments


class ShipmentRuns:
    def __init__(self, api: Api, shipments: list[Shipment], outcomes: Counter[str], twice: Twice) -> None:
        self.api = api
        self.shipments = shipments
        self.outcomes = outcomes
        self.twice = twice

    async def run(self, spacing: float) -> None:
        await asyncio.gather(*(self._one(n, s, spacing) for n, s in enumerate(self.shipments)))

    async def _one(self, n: int, shipment: Shipment, spacing: float) -> None:
        started = time.monotonic()
        url = f"/shipments/{shipment.code}"
        attempt = 0
        while time.monotonic() < started + (n + 1) * spacing + GIVE_UP_S:
            attempt += 1
            view = await self._json(url, shipment.destination)
            stage = view["stage"]
            if stage == "received":
                self.outcomes["shipment:received"] += 1
                return
            if stage in ("unfilled", "cancelled", "lost"):
                self.outcomes[f"error:shipment {stage}"] += 1
                return
            key = {"Idempotency-Key": f"{shipment.code}-{stage}-{attempt}"}
            if stage == "picked" and time.monotonic() >= started + n * spacing:
                await self.twice("POST", f"{url}/dispatch", json=DRIVER, headers=bearer(shipment.source) | key)
            elif stage == "in_transit" and time.monotonic() >= started + (n + 1) * spacing:
                counts = [
                    {"line_no": line["line_no"], "received_quantity": self._counted(n, line)} for line in view["items"]
                ]
                await self.twice(
                    "POST", f"{url}/receipt", json={"lines": counts}, headers=bearer(shipment.destination) | key
                )
            await asyncio.sleep(0.5)
        self.outcomes["error:shipment never received"] += 1

    @staticmethod
    def _counted(n: int, line: dict[str, Any]) -> str:
        sent = Decimal(line["dispatched"])
        return str(sent - 1 if n % 2 and line["line_no"] == 1 and sent >= 1 else sent)

    async def _json(self, path: str, token: str) -> Any:
        answer = await self.api.call("GET", path, what="shipment-read", headers=bearer(token))
        if answer.status_code != 200:
            raise RuntimeError(f"{path} answered {answer.status_code}: {answer.text[:200]}")
        return answer.json()
