"""Admission control: new registrations wait outside while the workers are behind.

A registration is answered by its workflow's first task, which waits in Temporal's task queue for a worker. When
registrations arrive faster than the workers admit them (a launch day: 50,000 in two days, in bursts), that queue
grows, every registration waits tens of seconds, phones time out and send again, and every bag costs more
(bench/README.md, "Overload").

So each API process keeps no more registrations waiting than it has been answering in `max_wait` (Little's law:
waiting = rate × wait), and never fewer than `MIN_IN_FLIGHT`. Past that it answers 503 at once, with a Retry-After
spread around the wait it expects, so the retries do not come back together. The rate is measured over the last
few seconds, so the bound follows what the workers manage now: when they stall, it falls to the floor at once.
A latency signal alone would learn only as late as the slow answers arrive, and let a crowd in meanwhile.

Only new work waits: officials' decisions and couriers' proofs go to the workflows already admitted and are never
held here, so what is in flight finishes first.
"""

import logging
import math
import random
import time
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

log = logging.getLogger("ansinh.api")

MIN_IN_FLIGHT = 10  # a quiet API answers a burst of this many before it has measured anything
MAX_RETRY_AFTER_S = 60
LOG_EVERY_S = 10.0


class RegistrationsPaused(Exception):
    def __init__(self, retry_after_seconds: int) -> None:
        super().__init__(f"registrations paused; retry after {retry_after_seconds} s")
        self.retry_after_seconds = retry_after_seconds


class RegistrationGate:
    def __init__(self, max_wait: timedelta) -> None:
        self._max_wait = max_wait.total_seconds()
        self._window = max(1.0, 2 * self._max_wait)  # over which the answer rate is measured
        self._answered: deque[float] = deque()  # when each registration of the window was answered
        self._in_flight = 0
        self._paused_since_log = 0
        self._logged_at = -LOG_EVERY_S  # the first pause is logged at once

    @contextmanager
    def admitted(self) -> Iterator[None]:
        """The block runs one registration; RegistrationsPaused instead, before anything is done, while as many
        are waiting as this API answers in `max_wait`. A limit of 0 admits all and measures nothing."""
        if self._max_wait <= 0:
            yield
            return
        self._check(time.monotonic())
        self._in_flight += 1
        try:
            yield
        finally:
            self._in_flight -= 1
        self._answered.append(time.monotonic())  # answered, not failed: only answers measure the rate

    def _check(self, now: float) -> None:
        answered = self._answered
        while answered and answered[0] < now - self._window:
            answered.popleft()
        rate = len(answered) / self._window
        if self._in_flight < max(MIN_IN_FLIGHT, rate * self._max_wait):
            return
        expected_wait = self._in_flight / rate if rate else self._window
        low = min(MAX_RETRY_AFTER_S // 2, max(1, math.ceil(expected_wait)))
        self._paused_since_log += 1
        if now - self._logged_at >= LOG_EVERY_S:
            log.warning(
                "registrations paused %d times since the last report; %d waiting, %.1f answered/s (limit %.1f s)",
                self._paused_since_log,
                self._in_flight,
                rate,
                self._max_wait,
            )
            self._paused_since_log, self._logged_at = 0, now
        raise RegistrationsPaused(random.randint(low, 2 * low))
