"""A busy process keeps its database connections: a burst past the pool's size waits for one instead of opening
backends that are closed again as soon as they are returned (the peak day saw ~6 new backends a second)."""

import asyncio

from sqlalchemy import text
from sqlalchemy.pool import QueuePool

from db.base import get_engine, transaction


async def _backend_of_one_transaction() -> int:
    async with transaction() as session:
        pid = int(await session.scalar(text("SELECT pg_backend_pid()")) or 0)
        await asyncio.sleep(0.05)  # the burst overlaps, so it needs more connections than the pool holds
        return pid


async def test_a_burst_past_the_pool_reuses_the_same_backends(db: None) -> None:
    pool = get_engine().pool
    assert isinstance(pool, QueuePool)
    burst = pool.size() + 10
    first = set(await asyncio.gather(*(_backend_of_one_transaction() for _ in range(burst))))
    second = set(await asyncio.gather(*(_backend_of_one_transaction() for _ in range(burst))))
    assert len(first) <= pool.size()
    assert second <= first, f"{len(second - first)} backends opened again"
