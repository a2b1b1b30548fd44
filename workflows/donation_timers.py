"""The timers of an announced donation, from its policy: a reminder to the donor before the day it is due, and
its expiry if the goods never come. The expiry is the last: no donation waits for ever."""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from domain.donations import DonationEvent, DonationInput, DonationStage


class DonationTimerAction(StrEnum):
    REMIND = "remind"
    EXPIRE = "expire"


@dataclass(frozen=True)
class DonationTimer:
    at: datetime
    action: DonationTimerAction
    event: DonationEvent
    stage: DonationStage  # the stage the timer's step writes


def donation_timers(inp: DonationInput, announced_at: datetime) -> list[DonationTimer]:
    """Earliest first; a reminder whose time had passed when the donation was announced is not sent."""
    remind_at = inp.due_at - inp.policy.reminder_before
    timers = []
    if remind_at > announced_at:
        timers.append(
            DonationTimer(remind_at, DonationTimerAction.REMIND, DonationEvent.REMINDER, DonationStage.ANNOUNCED)
        )
    timers.append(
        DonationTimer(
            inp.due_at + inp.policy.expiry_after,
            DonationTimerAction.EXPIRE,
            DonationEvent.EXPIRED,
            DonationStage.EXPIRED,
        )
    )
    return timers
