"""Rate limits as fixed-window counters in PostgreSQL.

Why not a library: the well-kept ones (`limits`, `slowapi`) count in process memory unless given Redis
or Memcached, and the API runs as N processes with PostgreSQL as its only shared store. One upsert for
all of a call's buckets (per IP, per phone or username) is cheap at registration/sign-in rates, and every
process sees the same counts.

A hit is counted in its own short transaction, committed whatever the request then does: a failed
sign-in must count. Keys are keyed hashes, so the table holds no IP address or phone number.
"""

from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from common.keyed_hash import keyed_hash
from common.limits import Limit
from db.base import transaction
from db.rate_limits import RateLimitCounter


class RateLimited(Exception):
    def __init__(self, bucket: str, retry_after_seconds: int) -> None:
        super().__init__(f"rate limit {bucket} reached")
        self.bucket = bucket
        self.retry_after_seconds = retry_after_seconds


def window_start(now: datetime, window: timedelta) -> datetime:
    seconds = int(window.total_seconds())
    epoch = int(now.timestamp())
    return datetime.fromtimestamp(epoch - epoch % seconds, UTC)


# Built once: executed with one parameter set per bucket, it is compiled once per process and sent as one
# INSERT ... VALUES (...), (...) (SQLAlchemy's "insertmanyvalues"). A multi-row `.values([...])` is never cached:
# it was compiled anew on every registration and sign-in (2.8 % of the API's main thread in a peak-day profile).
_COUNTING = (
    insert(RateLimitCounter)
    .on_conflict_do_update(
        index_elements=["bucket", "key_hash", "window_start"], set_={"hits": RateLimitCounter.hits + 1}
    )
    .returning(RateLimitCounter.bucket, RateLimitCounter.hits)
)


async def hit(*tries: tuple[str, str, Limit], now: datetime | None = None) -> None:
    """Counts one try in each (bucket, key, limit), all in one statement; raises RateLimited for the first
    whose window's count passes its limit. Every bucket counts the try, whichever one refuses it."""
    now = now or datetime.now(UTC)
    starts = [window_start(now, limit.window) for _, _, limit in tries]
    rows = [
        {"bucket": bucket, "key_hash": keyed_hash(f"rate:{bucket}", key), "window_start": start, "hits": 1}
        for (bucket, key, _), start in zip(tries, starts, strict=True)
    ]
    async with transaction() as session:
        counts: dict[str, int] = {bucket: hits for bucket, hits in await session.execute(_COUNTING, rows)}
    for (bucket, _, limit), start in zip(tries, starts, strict=True):
        if counts.get(bucket, 0) > limit.count:
            retry = start + limit.window - now
            raise RateLimited(bucket, max(1, int(retry.total_seconds())))


async def check(*tries: tuple[str, str, Limit], now: datetime | None = None) -> None:
    """Raises RateLimited if any (bucket, key)'s window already holds its limit; counts nothing (for limits on
    failures, counted with `hit` once a try has failed)."""
    now = now or datetime.now(UTC)
    async with transaction() as session:
        for bucket, key, limit in tries:
            start = window_start(now, limit.window)
            hits = await session.scalar(
                select(RateLimitCounter.hits).where(
                    RateLimitCounter.bucket == bucket,
                    RateLimitCounter.key_hash == keyed_hash(f"rate:{bucket}", key),
                    RateLimitCounter.window_start == start,
                )
            )
            if hits is not None and hits >= limit.count:
                raise RateLimited(bucket, max(1, int((start + limit.window - now).total_seconds())))


async def forget_old_windows(session: AsyncSession, now: datetime, keep: timedelta = timedelta(days=2)) -> int:
    result = await session.execute(delete(RateLimitCounter).where(RateLimitCounter.window_start < now - keep))
    return int(getattr(result, "rowcount", 0) or 0)
