"""How long after a fault registrations are admitted at the pre-fault rate again.

The rate is that of the steady stream of households (one every 1/rate s, open loop; the crowds' bursts are left
out): before a fault, admitted answers per second over the `BEFORE_S` before it began; after it, the first whole
`WINDOW_S` from which the rate is back to `TOLERANCE` of that, so the time is exact to within a window. The stream
is evenly spaced, so a healthy window differs from the mean only by the answers' latency jitter (a few of the ~40
a 5 s window holds at 8/s): a window 20 % short is a stall, not jitter.
"""

import bisect
from collections.abc import Sequence
from dataclasses import dataclass

BEFORE_S = 10.0
WINDOW_S = 5.0
TOLERANCE = 0.8
LIMIT_S = 30.0  # a recovery longer than this fails the suite
STEP_S = 0.1


@dataclass(frozen=True)
class FaultWindow:
    name: str
    began: float
    ended: float


@dataclass(frozen=True)
class Recovery:
    fault: FaultWindow
    before_per_s: float
    seconds: float | None  # None: not back before `observed_until`

    @property
    def passed(self) -> bool:
        return self.seconds is not None and self.seconds <= LIMIT_S


def _count(admitted: Sequence[float], start: float, end: float) -> int:
    return bisect.bisect_left(admitted, end) - bisect.bisect_left(admitted, start)


def recovery(admitted: Sequence[float], fault: FaultWindow, observed_until: float) -> Recovery:
    """`admitted`: sorted times of admitted registrations; `observed_until`: when the next fault began or the load
    ended, after which a window says nothing about this fault."""
    before = _count(admitted, fault.began - BEFORE_S, fault.began) / BEFORE_S
    start = fault.ended
    while start + WINDOW_S <= observed_until:
        if _count(admitted, start, start + WINDOW_S) / WINDOW_S >= TOLERANCE * before:
            return Recovery(fault, before, start - fault.ended)
        start += STEP_S
    return Recovery(fault, before, None)


def recoveries(admitted: Sequence[float], faults: Sequence[FaultWindow], load_ended: float) -> list[Recovery]:
    times = sorted(admitted)
    ends = [f.began for f in faults[1:]] + [load_ended]
    return [recovery(times, fault, until) for fault, until in zip(faults, ends, strict=True)]
