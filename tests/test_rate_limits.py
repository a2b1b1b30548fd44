"""Rate-limit counters in PostgreSQL: one call counts a try in every bucket it names, in one statement."""

from datetime import UTC, datetime, timedelta

import pytest

from common.limits import Limit
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
