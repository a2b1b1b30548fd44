"""Admission control: new registrations wait outside while the workers are behind.

A registration is answered by its workflow's first task, which waits in Temporal's task queue for a worker. When
registrations arrive faster than the workers admit them (a launch day: 50,000 in two days, in bursts), that queue
grows, every registration waits tens of seconds, phones time out and send again, and every bag costs more
(bench/README.md, "Overload"). So each API process watches how long its own registrations take: when every one
answered in the last two `max_wait`s took longer than `max_wait`, the queue is standing, and new registrations are
answered 503 at once, with a Retry-After spread so the retries do not come back together. The first one answered
within `max_wait` again, or two `max_wait`s with none answered, opens the gate.

Only new work waits: officials' decisions and couriers' proofs go to the workflows already admitted and are never
held here, so what is in flight finishes first. The measure is the API's own, not Temporal's task-queue statistics:
those are cached by the server for seconds, and a registration's wait is what the citizen sees.
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

MAX_RETRY_AFTER_S = 60


class RegistrationsPaused(Exception):
    def __init__(self, retry_after_seconds: int) -> None:
        super().__init__(f"registrations paused; retry after {retry_after_seconds} s")
        self.retry_after_seconds = retry_after_seconds


class RegistrationGate:
    def __init__(self, max_wait: timedelta) -> None:
        self._max_wait = max_wait.total_seconds()
        # Long enough that one quick answer among slow ones (a repeat refused from the household's own row) is
        # not taken for a queue that has drained.
        self._window = 2 * self._max_wait
        self._answered: deque[tuple[float, float]] = deque()  # (when, how long it took), oldest first
        self._paused = False

    def admit(self) -> None:
        """RegistrationsPaused while the queue is standing; called before anything of the registration is done."""
        if self._max_wait > 0:
            self._decide(time.monotonic())

    @contextmanager
    def timed(self) -> Iterator[None]:
        """The block waits for one registration's answer from its workflow."""
        start = time.monotonic()
        try:
            yield
        finally:
            end = time.monotonic()
            self._answered.append((end, end - start))

    def _decide(self, now: float) -> None:
        answered = self._answered
        while answered and answered[0][0] < now - self._window:
            answered.popleft()
        shortest = min((took for _, took in answered), default=None)
        paused = shortest is not None and shortest > self._max_wait
        if paused != self._paused:
            self._paused = paused
            log.warning(
                "registrations %s: the quickest registration of the last %.1f s took %s (limit %.1f s)",
                "paused" if paused else "open again",
                self._window,
                "-" if shortest is None else f"{shortest:.1f} s",
                self._max_wait,
            )
        if paused:
            assert shortest is not None
            low = max(1, math.ceil(shortest))
            raise RegistrationsPaused(random.randint(low, min(MAX_RETRY_AFTER_S, 2 * low)))
