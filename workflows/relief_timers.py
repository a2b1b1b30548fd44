"""The timers of each open stage of a relief request, from its policy: when each fires and what it does.

Every open stage ends in a last deadline, so no request (and no household claim) waits for ever:
- a registration whose admission step failed expires unless a supervisor's retry admits it in time;
- verification expires: nobody decided, and the household may register again;
- waiting for stock expires likewise: no bag was ever held, and the household may register again;
- dispatch expires: nothing has left the warehouse yet, and the household, already on the ward's verified list,
  goes straight back to dispatch if it registers again, with fresh timers;
- delivery returns to the ward: a bag may be on the road, so the ward must learn from the courier what became of
  it before the household is served again; the verification stage's own deadline then ends the request if the
  ward does nothing.
Requests started before the dispatch and delivery deadlines existed keep their timers (relief_versions).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from domain.policy import Policy
from domain.stages import EventType, Stage


class TimerAction(StrEnum):
    REMIND = "remind"
    ESCALATE = "escalate"
    EXPIRE = "expire"
    RETURN_TO_WARD = "return_to_ward"


LAST_DEADLINE_ACTIONS = frozenset({TimerAction.EXPIRE, TimerAction.RETURN_TO_WARD})


@dataclass(frozen=True)
class StageTimer:
    after: timedelta  # since the wait began
    action: TimerAction
    event: EventType  # the event the action writes


def stage_timers(stage: Stage, policy: Policy, with_last_deadlines: bool) -> list[StageTimer]:
    """The timers of `stage`, earliest first; the last one, if it is a last deadline, ends the wait."""
    match stage:
        case Stage.REGISTERED if with_last_deadlines:  # only while a failed admission waits for a retry
            return [StageTimer(policy.registration_expiry_after, TimerAction.EXPIRE, EventType.REGISTRATION_EXPIRED)]
        case Stage.AWAITING_VERIFICATION:
            return [
                StageTimer(policy.verification_reminder_after, TimerAction.REMIND, EventType.VERIFICATION_REMINDER),
                StageTimer(policy.verification_escalation_after, TimerAction.ESCALATE, EventType.ESCALATED),
                StageTimer(policy.verification_expiry_after, TimerAction.EXPIRE, EventType.EXPIRED),
            ]
        case Stage.AWAITING_STOCK:  # only requests that take bags from stock reach it
            return [
                StageTimer(policy.stock_reminder_after, TimerAction.REMIND, EventType.STOCK_REMINDER),
                StageTimer(policy.stock_escalation_after, TimerAction.ESCALATE, EventType.STOCK_ESCALATED),
                StageTimer(policy.stock_expiry_after, TimerAction.EXPIRE, EventType.STOCK_EXPIRED),
            ]
        case Stage.AWAITING_DISPATCH:
            timers = [StageTimer(policy.dispatch_escalation_after, TimerAction.ESCALATE, EventType.ESCALATED)]
            if with_last_deadlines:
                timers.append(StageTimer(policy.dispatch_expiry_after, TimerAction.EXPIRE, EventType.DISPATCH_EXPIRED))
            return timers
        case Stage.OUT_FOR_DELIVERY:
            timers = [
                StageTimer(policy.delivery_reminder_after, TimerAction.REMIND, EventType.DELIVERY_REMINDER),
                StageTimer(policy.delivery_escalation_after, TimerAction.ESCALATE, EventType.ESCALATED),
            ]
            if with_last_deadlines:
                timers.append(
                    StageTimer(policy.delivery_expiry_after, TimerAction.RETURN_TO_WARD, EventType.DELIVERY_OVERDUE)
                )
            return timers
        case _:
            return []


@dataclass(frozen=True)
class Deadline:
    at: datetime
    timer: StageTimer


def last_deadline(timers: list[StageTimer], since: datetime) -> Deadline | None:
    """When the stage whose wait began at `since` ends at the latest, and how."""
    if timers and timers[-1].action in LAST_DEADLINE_ACTIONS:
        return Deadline(since + timers[-1].after, timers[-1])
    return None


class DeadlinePassed(Exception):
    """The stage's last deadline passed while a failed step waited for a supervisor: the workflow's run loop
    ends the stage instead (it catches this, so it never fails a workflow task)."""

    def __init__(self, timer: StageTimer) -> None:
        super().__init__(timer.event.value)
        self.timer = timer
