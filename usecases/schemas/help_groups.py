"""Help groups: the registration's body, the officials' decisions, and what each reader sees of a group (the public
never its private contact phone nor who registered it). The shape is checked here; the policy's limits (lengths,
coverage size, intervals per day) and the units' existence by the use case, which names the field."""

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints, field_validator

from domain.help_groups import GroupKind, GroupState, HelpKind, Weekday
from domain.identity import VietnamesePhone, plain_text
from domain.roles import UnitLevel
from usecases.schemas.text import CODE_PATTERN, Printable

# Upper bounds of the body itself (the policy's are tighter): nothing larger is even read.
_Text = Annotated[str, BeforeValidator(plain_text), Printable, StringConstraints(max_length=4000)]
_Clock = Annotated[str, StringConstraints(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$|^24:00$")]
UnitCode = Annotated[str, StringConstraints(min_length=1, max_length=16, pattern=CODE_PATTERN)]


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class HoursBody(_Body):
    weekday: Weekday
    opens: _Clock = Field(description="HH:MM in the city's time (Asia/Ho_Chi_Minh)")
    closes: _Clock = Field(description="HH:MM, after `opens`; 24:00 for midnight")


class HelpGroupRegistration(_Body):
    name: _Text
    kind: GroupKind
    help_kinds: list[HelpKind] = Field(min_length=1, max_length=len(HelpKind))
    description: _Text
    coverage: list[UnitCode] = Field(min_length=1, max_length=400, description="district and/or ward codes")
    always_open: bool = Field(False, description="open 24/7: no hours needed")
    hours: list[HoursBody] = Field(default_factory=list, max_length=7 * 6)
    public_hotline: VietnamesePhone | None = Field(None, description="shown in the directory, because you publish it")
    contact_phone: VietnamesePhone = Field(description="for the district official only; never shown publicly")

    @field_validator("help_kinds")
    @classmethod
    def _once_each(cls, kinds: list[HelpKind]) -> list[HelpKind]:
        return sorted(set(kinds))


Reason = Annotated[str, BeforeValidator(plain_text), Printable, StringConstraints(max_length=2000)]


class VerificationBody(_Body):
    approve: bool
    reason: Reason | None = Field(None, description="required to refuse: the group reads it")


class SuspensionBody(_Body):
    reason: Reason


class CoveredUnitView(BaseModel):
    code: str
    name: str
    level: UnitLevel


class HoursView(BaseModel):
    weekday: Weekday
    opens: str
    closes: str


class HelpGroupCard(BaseModel):
    """What anyone sees of a verified group."""

    code: str
    name: str
    kind: GroupKind
    help_kinds: list[HelpKind]
    description: str
    coverage: list[CoveredUnitView]
    always_open: bool
    hours: list[HoursView]
    open_now: bool
    public_hotline: str | None = Field(None, description="only when the group chose to publish it (E.164)")
    public_hotline_display: str | None = Field(None, description="the same as people dial it: 028 3822 1234")
    verified_by_unit: str | None = Field(None, description="the district (or city) whose official verified it")
    verified_at: datetime | None = None
    emergencies_helped: int = Field(0, description="emergencies its accounts took and brought help to")
    page_url: str


class HelpGroupDirectory(BaseModel):
    items: list[HelpGroupCard]
    limit: int
    offset: int
    has_more: bool


class OwnHelpGroup(HelpGroupCard):
    """The group's own view: its state and the decision's reason."""

    state: GroupState
    refusal_reason: str | None = None
    suspension_reason: str | None = None
    contact_phone_masked: str | None = None


class HelpGroupForReview(HelpGroupCard):
    """A district official's view: the contact phone, to call the group before verifying (each reading audited)."""

    state: GroupState
    contact_phone: str | None = None
    registered_at: datetime


class DecisionAnswer(BaseModel):
    code: str
    state: GroupState
