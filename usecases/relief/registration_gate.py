"""Admission control: new registrations wait outside while the workers are behind.

A registration is answered by its workflow's first task, which waits in Temporal's task queue for a worker. When
registrations arrive faster than the workers admit them (a launch day: 50,000 in two days, in bursts), that queue
grows, every registration waits tens of seconds, phones time out and send again, and every bag costs more
(bench/README.md, "Overload").

So each API process keeps no more registrations waiting than it has been answering in `max_wait` (Little's law:
waiting = rate × wait), plus `MIN_IN_FLIGHT`. Past that it answers 503 at once, with a Retry-After spread around
the wait it expects, so the retries do not come back together. The rate is measured over the last few seconds, so
the bound follows what the workers manage now: when they stall, it falls to the floor at once. A latency signal
alone would learn only as late as the slow answers arrive, and let a crowd in meanwhile. The Retry-After grows with
the refusals per answer: a crowd outside told to come back in a few seconds comes back as a storm of refusals.

The floor is added, not a minimum: with `max(MIN_IN_FLIGHT, rate × max_wait)`, once each answer takes longer than
`max_wait` for any reason (a busy machine, not a queue of registrations) the bound equals what is waiting, can never
grow, and the API answers MIN_IN_FLIGHT / latency registrations a second however much more the workers could take.
Added, waiting settles where each is answered in `max_wait` + MIN_IN_FLIGHT / rate when registrations queue, and at
MIN_IN_FLIGHT / (1 - max_wait / latency) when the answers are slow by themselves.

No registration waits longer than `LONGEST_WAIT_FACTOR × max_wait`: past that it is answered 503 as well. During
an outage (Temporal restarting, PostgreSQL down, a killed worker's task not yet timed out) the waiting ones are
not answered and the measured rate falls to zero, so only the floor's few are let in; without a bound, those few
could wait on a lost call for ever and hold the gate shut after the outage ends. Stopping the wait is safe: the
workflow, if it started, goes on, and the same registration sent again (with the same Idempotency-Key) finds it.

Only new work waits: officials' decisions and couriers' proofs go to the workflows already admitted and are never
held here, so what is in flight finishes first.
"""

import asyncio
import logging
import math
import random
import time
from collections import deque
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

log = logging.getLogger("ansinh.api")

MIN_IN_FLIGHT = 10  # let in beyond what is answered in max_wait: a quiet API answers a burst of this many at once
# A registration that waits this many times the wait the gate aims at is held by a fault, not by the queue.
LONGEST_WAIT_FACTOR = 5
MAX_RETRY_AFTER_S = 60
LOG_EVERY_S = 10.0


class RegistrationsPaused(Exception):
    def __init__(self, retry_after_seconds: int) -> None:
        super().__init__(f"registrations paused; retry after {retry_after_seconds} s")
        self.retry_after_seconds = retry_after_seconds


class RegistrationGate:
    def __init__(self, max_wait: timedelta) -> None:
        self._max_wait = max_wait.total_seconds()
        self._longest_wait = LONGEST_WAIT_FACTOR * self._max_wait
        self._window = max(1.0, 2 * self._max_wait)  # over which the answer rate is measured
        self._answered: deque[float] = deque()  # when each registration of the window was answered
        self._refused: deque[float] = deque()  # when each registration of the window was told to come back
        self._in_flight = 0
        self._paused_since_log = 0
        self._timed_out_since_log = 0
        self._logged_at = -LOG_EVERY_S  # the first pause is logged at once

    @asynccontextmanager
    async def admitted(self) -> AsyncIterator[None]:
        """The block runs one registration; RegistrationsPaused instead, before anything is done, while as many
        are waiting as this API answers in `max_wait` (plus the floor), or once the block has waited
        `LONGEST_WAIT_FACTOR × max_wait`. A limit of 0 admits all, bounds nothing and measures nothing."""
        if self._max_wait <= 0:
            yield
            return
        self._check(time.monotonic())
        self._in_flight += 1
        try:
            async with asyncio.timeout(self._longest_wait) as bound:
                yield
        except TimeoutError:
            if not bound.expired():
                raise
            self._timed_out_since_log += 1
            raise self._paused(time.monotonic()) from None
        finally:
            self._in_flight -= 1
        self._answered.append(time.monotonic())  # answered, not failed: only answers measure the rate

    def _rate(self, now: float) -> float:
        for times in (self._answered, self._refused):
            while times and times[0] < now - self._window:
                times.popleft()
        return len(self._answered) / self._window

    def _check(self, now: float) -> None:
        if self._in_flight < MIN_IN_FLIGHT + self._rate(now) * self._max_wait:
            return
        self._paused_since_log += 1
        raise self._paused(now)

    def _paused(self, now: float) -> RegistrationsPaused:
        rate = self._rate(now)
        expected_wait = self._in_flight / rate if rate else self._window
        # Those told to come back wait their turn too: while each answer is matched by many refusals, a crowd is
        # outside, and coming back sooner only adds refusals, which cost the API the time it answers with.
        crowd = len(self._refused) / max(1, len(self._answered))
        self._refused.append(now)
        low = min(MAX_RETRY_AFTER_S // 2, max(1, math.ceil(expected_wait * max(1.0, crowd))))
        if now - self._logged_at >= LOG_EVERY_S:
            log.warning(
                "registrations paused %d times and stopped after %.0f s %d times since the last report; %d waiting,"
                " %.1f answered/s (limit %.1f s)",
                self._paused_since_log,
                self._longest_wait,
                self._timed_out_since_log,
                self._in_flight,
                rate,
                self._max_wait,
            )
            self._paused_since_log, self._timed_out_since_log, self._logged_at = 0, 0, now
        return RegistrationsPaused(random.randint(low, 2 * low))
