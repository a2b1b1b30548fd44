"""Rate-limit counters in PostgreSQL: one call counts a try in every bucket it names, in one statement."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import event

from common.limits import Limit
from db.base import get_engine
from services import rate_limits
from services.rate_limits import RateLimited

PER_IP = Limit(count=3, window=timedelta(hours=1))
PER_PHONE = Limit(count=1, window=timedelta(minutes=15))
NOW = datetime(2026, 11, 29, 10, 7, tzinfo=UTC)


def tries(phone: str) -> tuple[tuple[str, str, Limit], ...]:
    return ("test_ip", "10.0.0.1", PER_IP), ("test_phone", phone, PER_PHONE)


async def test_a_refused_try_still_counts_in_every_bucket(db: None) -> None:
    await rate_limits.hit(*tries("+84912345678"), now=NOW)
    for _ in range(2):  # the phone's second and third tries in its window: refused, until 10:15
        with pytest.raises(RateLimited) as refused:
            await rate_limits.hit(*tries("+84912345678"), now=NOW)
        assert refused.value.bucket == "test_phone" and refused.value.retry_after_seconds == 8 * 60
    # Those refused tries counted for the IP too: its fourth try in the hour is refused, with another phone.
    with pytest.raises(RateLimited) as refused:
        await rate_limits.hit(*tries("+84912345000"), now=NOW)
    assert refused.value.bucket == "test_ip" and refused.value.retry_after_seconds == 53 * 60
    # A new window starts afresh.
    await rate_limits.hit(*tries("+84912345678"), now=NOW + timedelta(hours=1))


async def test_a_hit_is_one_statement_compiled_once_per_process(db: None) -> None:
    # A multi-row `.values([...])` is never cached by SQLAlchemy: it was compiled anew on every registration.
    sent: list[tuple[str, bool]] = []

    def record(conn: Any, cursor: Any, statement: str, params: Any, context: Any, executemany: bool) -> None:
        if "rate_limit_counters" in statement:
            sent.append((statement, context.cache_hit == context.dialect.CACHE_HIT))

    engine = get_engine().sync_engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        for phone in ("+84912345001", "+84912345002", "+84912345003"):
            await rate_limits.hit(*tries(phone), now=NOW)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert len(sent) == 3, sent  # one statement a hit, both buckets in it
    assert all(statement.count("VALUES") == 1 and statement.count("), (") == 1 for statement, _ in sent), sent
    assert [cached for _, cached in sent][1:] == [True, True]
