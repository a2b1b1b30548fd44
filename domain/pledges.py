"""A pledge's workflow messages: its input, the people's actions, the steps its activities write, its answer.

Nothing here names the household's account or anyone's phone or name: the workflow knows the pledge by its code,
the need by its request, and the people by their ids; the account is read from the database by the one page that
shows it to the pledging helper.
"""

from datetime import datetime
from enum import StrEnum
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from domain.cash import CashPolicy, PledgeState
from domain.roles import Role


class _Message(BaseModel):
    model_config = ConfigDict(frozen=True)


class PledgeEvent(StrEnum):
    """What happened to a pledge: each writes its move (if any) and the messages of the people concerned."""

    PLEDGED = "pledged"
    TRANSFERRED = "transferred"
    RELEASED = "released"  # by the helper before paying
    EXPIRED = "expired"
    CONFIRM_REMINDER = "confirm_reminder"
    WARD_ASKED = "ward_asked"  # the household has not confirmed in time
    CONFIRMED = "confirmed"
    DISPUTED = "disputed"
    RESOLVED_ARRIVED = "resolved_arrived"
    RESOLVED_NEVER_ARRIVED = "resolved_never_arrived"


class PledgeInput(_Message):
    pledge_id: UUID
    code: str
    request_id: UUID
    request_code: str  # the relief request the need belongs to: its workflow hears of every change
    helper_id: UUID
    household_id: UUID | None
    amount: int
    ward_code: str
    district_code: str
    policy: CashPolicy = Field(default_factory=CashPolicy)


class PledgeActor(_Message):
    """Who acts on a pledge, as the application authenticated them; the validator checks them again."""

    role: Role
    user_id: UUID | None = None  # an official
    helper_id: UUID | None = None
    household_ids: tuple[UUID, ...] = ()
    ward_code: str | None = None
    district_code: str | None = None


class PledgeAction(_Message):
    """The helper's "transferred" or release, the household's "confirm" or "not_arrived"."""

    actor: PledgeActor
    note: str | None = Field(None, max_length=500)
    signature: str | None = None


class WardResolution(PledgeAction):
    """The ward's decision on a disputed or unconfirmed pledge: did the money arrive?"""

    arrived: bool


class PledgeAnswer(_Message):
    state: PledgeState


class PledgeStep(_Message):
    """One event of a pledge, written once: its move (`to`, None for a reminder) and its messages keyed by seq."""

    pledge_id: UUID
    code: str
    seq: int
    at: datetime
    event: PledgeEvent
    to: PledgeState | None = None
    decided_by: UUID | None = None
    note: str | None = None
    policy: CashPolicy = Field(default_factory=CashPolicy)
