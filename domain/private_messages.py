"""Private messages between the two parties of a subject (a cash pledge: the household and its helper; an
emergency: its poster and the helper who claimed it), and the policy that bounds them, as data.

A thread belongs to one subject (`SubjectKind` + the subject's id) and has two sides. Neither side sees the other's
phone number unless both have said they agree; either may block (no more messages either way) or report (the
thread goes to its ward's moderators once it holds `reports_to_moderate` reports). Messages are kept as long as the
subject's personal data: the retention purge (services/retention.py) takes their text with it.
"""

from datetime import timedelta
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from common.limits import Limit


class SubjectKind(StrEnum):
    PLEDGE = "pledge"  # the household of the need and the helper who pledged
    EMERGENCY = "emergency"  # the poster (by the follow link) and a helper who claimed it: one thread per helper


class Side(StrEnum):
    HOUSEHOLD = "household"  # the household (a citizen's session) or, for an emergency, its poster (its follow link)
    HELPER = "helper"  # the community helper

    @property
    def other(self) -> "Side":
        return Side.HELPER if self is Side.HOUSEHOLD else Side.HOUSEHOLD


class ThreadState(StrEnum):
    OPEN = "open"
    BLOCKED = "blocked"  # one side blocked the other: no more messages either way
    CLOSED = "closed"  # the ward's moderator closed it


class Moderation(StrEnum):
    CLEARED = "cleared"  # looked at: nothing wrong, the thread goes on
    CLOSED = "closed"  # looked at: the thread is closed for good


class MessagePolicy(BaseModel):
    """Set e.g. MESSAGE_POLICY='{"max_length": 500, "notify_every": "PT30M"}'."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    max_length: int = Field(1000, ge=1)
    # Per side of a thread's sender: a phone-signed helper, or a household; both windows count every message.
    per_minute: Limit = Limit(count=6, window=timedelta(minutes=1))
    per_hour: Limit = Limit(count=60, window=timedelta(hours=1))
    # At most one notification (an SMS in production) per thread and recipient in this time: a chat is not a flood.
    notify_every: timedelta = timedelta(minutes=15)
    # How many reports (one per side) put a thread on its ward's moderation list.
    reports_to_moderate: int = Field(1, ge=1, le=2)
