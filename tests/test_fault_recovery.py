"""The fault suite's recovery time (tests/system/recovery.py): from a fault's end until registrations are admitted
at the pre-fault rate again, to within one window."""

from tests.system.recovery import LIMIT_S, WINDOW_S, FaultWindow, recoveries


def stream(per_s: float, until: float, stalled: tuple[float, float]) -> list[float]:
    """Admissions evenly spaced, none while `stalled`."""
    times = [n / per_s for n in range(int(until * per_s))]
    return [t for t in times if not stalled[0] <= t < stalled[1]]


def test_a_stall_past_the_fault_s_end_is_its_recovery_time() -> None:
    fault = FaultWindow("worker", began=50.0, ended=52.0)
    [recovery] = recoveries(stream(10, 100, stalled=(50, 60)), [fault], load_ended=100)
    assert recovery.before_per_s == 10
    assert 8 - WINDOW_S <= recovery.seconds <= 8  # type: ignore[operator]
    assert recovery.passed


def test_a_rate_that_never_comes_back_before_the_next_fault_fails() -> None:
    faults = [FaultWindow("temporal", 50.0, 55.0), FaultWindow("postgres", 80.0, 85.0)]
    # Back at 78 s: the last whole window before the next fault (75-80 s) holds half the rate.
    first, _ = recoveries(stream(10, 150, stalled=(50, 78)), faults, load_ended=150)
    assert first.seconds is None and not first.passed


def test_a_recovery_longer_than_the_limit_fails() -> None:
    fault = FaultWindow("postgres", 50.0, 53.0)
    [recovery] = recoveries(stream(10, 200, stalled=(50, 53 + LIMIT_S + 2 * WINDOW_S)), [fault], load_ended=200)
    assert recovery.seconds is not None and recovery.seconds > LIMIT_S
    assert not recovery.passed
