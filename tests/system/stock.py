"""The fault suite's stock: the ledger is under the same faults as the requests.

Before the faults, every ward the load registers in gets a food bag for each of its households and a few more
(goods received at the ward's distribution point and assembled there), so a request that reserves a bag at
dispatch finds one; each district's warehouse gets goods for more. Through the faults, movers take goods from a
district's warehouse to one of its ward points and assemble a bag there, each such unit of work one transaction
retried with the same keys until it goes through, as a worker's activity would be. A PostgreSQL restart cuts some
mid-transaction or at their commit; the checks then find every balance equal to the sum of its movements.
"""

import asyncio
import itertools
import random
import time
from collections import Counter
from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine

from bench.population import Household, Ward
from services import kits, stock_ledger
from services.stock_errors import InsufficientStock
from services.supply_seed import district_warehouse_code, ward_point_code

SPARE_BAGS = 2  # per ward, beyond one per household
WAREHOUSE_BAGS = 200  # goods for this many bags in each district's warehouse, for the movers
RETRY_S = 90.0  # a unit of work not through after this long fails the suite (a fault lasts a few seconds)
# What a dropped connection, a restarting server or a pick that lost a race to another mover raise.
PASSING = (DBAPIError, OSError, TimeoutError, InsufficientStock)


def _expiry() -> date:
    return date.today() + timedelta(days=60)


async def stock_wards(database_url: str, households: Sequence[Household]) -> int:
    """Receives and assembles each ward's bags, and stocks the districts' warehouses; returns the bags made."""
    per_ward = Counter(h.ward for h in households)
    engine = create_async_engine(database_url)
    try:
        async with AsyncSession(engine) as session, session.begin():
            _, per_bag = await kits.current_kit(session)
            for ward, count in sorted(per_ward.items(), key=lambda item: item[0].code):
                place = ward_point_code(ward.code)
                await _receive_for(session, place, per_bag, count + SPARE_BAGS)
                await kits.assemble(session, f"faults:{place}:bags", place, count + SPARE_BAGS, actor_id=None)
            for district in sorted({ward.district_code for ward in per_ward}):
                await _receive_for(session, district_warehouse_code(district), per_bag, WAREHOUSE_BAGS)
        return sum(per_ward.values()) + SPARE_BAGS * len(per_ward)
    finally:
        await engine.dispose()


async def _receive_for(session: AsyncSession, place: str, per_bag: dict[str, Decimal], bags: int) -> None:
    for item, quantity in sorted(per_bag.items()):
        await stock_ledger.receive(session, f"faults:{place}:{item}", place, item, quantity * bags, _expiry())


class StockMovers:
    """Goods moved and bags assembled while the faults happen; outcomes go to the load's counter ("error:" ones
    fail the suite)."""

    def __init__(
        self, database_url: str, wards: Sequence[Ward], outcomes: Counter[str], movers: int = 2, pause: float = 1.0
    ) -> None:
        # Pre-ping: connections the pool kept across a PostgreSQL restart are replaced instead of failing once more.
        self.engine = create_async_engine(database_url, pool_pre_ping=True)
        self.sessions = async_sessionmaker(self.engine)
        self.wards = sorted(set(wards), key=lambda w: w.code)
        self.outcomes = outcomes
        self.movers = movers
        self.pause = pause
        self.rng = random.Random(7)
        self.serial = itertools.count(1)

    async def run(self, stop: asyncio.Event) -> None:
        try:
            await asyncio.gather(*(self._mover(stop) for _ in range(self.movers)))
        finally:
            await self.engine.dispose()

    async def _mover(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            ward = self.rng.choice(self.wards)
            key = f"faults:restock-{next(self.serial)}"
            await self._through_faults(ward, key)
            await asyncio.sleep(self.pause)

    async def _restock(self, session: AsyncSession, ward: Ward, key: str) -> None:
        """One bag's goods from the district's warehouse to the ward's point, and the bag assembled there."""
        place = ward_point_code(ward.code)
        _, per_bag = await kits.current_kit(session)
        for item, quantity in sorted(per_bag.items()):
            await stock_ledger.transfer(
                session, f"{key}:{item}", district_warehouse_code(ward.district_code), place, item, quantity
            )
        await kits.assemble(session, f"{key}:bags", place, 1, actor_id=None)

    async def _through_faults(self, ward: Ward, key: str) -> None:
        given_up_at = time.monotonic() + RETRY_S
        while True:
            try:
                async with self.sessions() as session, session.begin():
                    await self._restock(session, ward, key)
            except PASSING as exc:
                self.outcomes[f"stock:retried:{type(exc).__name__}"] += 1
                if time.monotonic() > given_up_at:
                    self.outcomes[f"error:stock movement not through in {RETRY_S:.0f} s: {str(exc)[:80]}"] += 1
                    return
                await asyncio.sleep(0.5)
            except Exception as exc:
                self.outcomes[f"error:stock movement failed:{type(exc).__name__}:{str(exc)[:80]}"] += 1
                return
            else:
                self.outcomes["stock:restocked"] += 1
                return
