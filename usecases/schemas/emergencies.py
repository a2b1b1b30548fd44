"""Emergencies: the API's bodies and answers (the pages fill the same models from their forms).

A description must say something: long enough to act on, not only punctuation, not one key held down. The
public answers carry the approximate point and the ward, never the description, the address or the phone.
"""

from collections.abc import Callable
from datetime import datetime
from enum import StrEnum
from itertools import pairwise
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints, model_validator

from domain.emergency import EmergencyCategory, EmergencyEvent, EmergencyState, EmergencyUrgency
from domain.identity import MobilePhone, plain_text
from texts import Lang
from texts.validation import TextError
from usecases.schemas.text import CODE_PATTERN, Printable

DESCRIPTION_MIN = 10
DESCRIPTION_MAX = 1000
ADDRESS_MIN, ADDRESS_MAX = 3, 300
_LONGEST_RUN = 6  # the same character this many times in a row is a key held down, not a word


def _meaningful(value: str) -> str:
    if len(value) < DESCRIPTION_MIN:
        raise TextError("description_too_short", least=DESCRIPTION_MIN)
    if len(value) > DESCRIPTION_MAX:
        raise TextError("description_too_long", most=DESCRIPTION_MAX)
    letters = [ch.casefold() for ch in value if ch.isalnum()]
    if not letters:
        raise TextError("description_only_punctuation")
    if len(set(letters)) < 4:
        raise TextError("description_says_nothing")
    run = 1
    for before, ch in pairwise(value):
        run = run + 1 if ch == before and not ch.isspace() else 1
        if run >= _LONGEST_RUN:
            raise TextError("description_repeated_character")
    return value


def _address(value: str) -> str:
    if not ADDRESS_MIN <= len(value) <= ADDRESS_MAX:
        raise TextError("address_length", least=ADDRESS_MIN, most=ADDRESS_MAX)
    return value


def _one_of(kind: type[StrEnum], code: str) -> Callable[[Any], Any]:
    def known(value: Any) -> Any:
        if value not in {k.value for k in kind}:
            raise TextError(code, choices=", ".join(k.value for k in kind))
        return value

    return known


Description = Annotated[str, BeforeValidator(plain_text), Printable, AfterValidator(_meaningful)]
Address = Annotated[str, BeforeValidator(plain_text), Printable, AfterValidator(_address)]
Category = Annotated[EmergencyCategory, BeforeValidator(_one_of(EmergencyCategory, "unknown_category"))]
Urgency = Annotated[EmergencyUrgency, BeforeValidator(_one_of(EmergencyUrgency, "unknown_urgency"))]
Note = Annotated[str, BeforeValidator(plain_text), StringConstraints(max_length=500), Printable]
Reason = Annotated[str, BeforeValidator(plain_text), StringConstraints(min_length=3, max_length=500), Printable]
OtpCode = Annotated[str, BeforeValidator(plain_text), StringConstraints(pattern=r"^[0-9]{6}$")]


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class EmergencyCodeRequest(_Body):
    phone: MobilePhone = Field(description="the phone the emergency is posted from: a one-time code is sent to it")


class EmergencyPost(_Body):
    phone: MobilePhone
    code: OtpCode = Field(description="the six digits received by SMS")
    category: Category
    urgency: Urgency
    description: Description = Field(description="what is needed now (shown only to the claimer and the ward)")
    ward_code: Annotated[str, StringConstraints(min_length=1, max_length=16, pattern=CODE_PATTERN)]
    address: Address = Field(description="where: shown only to the claimer and the ward")
    latitude: float | None = Field(None, ge=-90, le=90, description="the exact point, e.g. the phone's location")
    longitude: float | None = Field(None, ge=-180, le=180)
    lang: Lang = Field("vi", description="the language the poster's notices (by SMS) are written in")

    @model_validator(mode="after")
    def _both_or_neither(self) -> "EmergencyPost":
        if (self.latitude is None) != (self.longitude is None):
            raise TextError("latitude_and_longitude")
        return self


class EmergencyNote(_Body):
    note: Note | None = None


class EmergencyReason(_Body):
    reason: Reason = Field(description="why the ward closes or hides it (kept in its history)")


class FollowToken(_Body):
    token: Annotated[str, StringConstraints(min_length=1, max_length=100)]


class EmergencyPosted(BaseModel):
    code: str
    state: EmergencyState
    follow_token: str = Field(description="opens the requester's page (keep it: it is the only key)")
    follow_path: str


class PublicEmergency(BaseModel):
    """What anyone sees: the need's kind, urgency and ward, and a point rounded to ~200 m (or the ward's centre)."""

    code: str
    category: EmergencyCategory
    urgency: EmergencyUrgency
    state: EmergencyState
    ward_code: str
    ward_name: str
    district_code: str
    district_name: str
    latitude: float
    longitude: float
    posted_at: datetime


class EmergencyHistoryEntry(BaseModel):
    event: EmergencyEvent
    at: datetime
    state: EmergencyState


class EmergencyDetail(PublicEmergency):
    """The exact emergency: for the requester (their link), its claimer and the ward in scope."""

    description: str
    address: str
    exact_latitude: float | None = None
    exact_longitude: float | None = None
    claimed_at: datetime | None = None
    # A community helper holds the claim: the poster and they can talk (private messages); a staff claim has none.
    claimed_by_helper: bool = False
    fulfilled_at: datetime | None = None
    fulfilment_note: str | None = None
    has_fulfilment_photo: bool = Field(False, description="the claimer showed what was brought: GET …/fulfilment/photo")
    closed_at: datetime | None = None
    close_reason: str | None = None
    history: list[EmergencyHistoryEntry] = Field(default_factory=list)


class WardEmergency(EmergencyDetail):
    """An emergency on the ward's or the SOS team's queue, late ones first."""

    late: bool = Field(description="unclaimed past the escalation time")
    escalated_at: datetime | None = None
    claimed_by_staff: bool = False
    releases: int = 0
    posts_by_same_poster: int = Field(description="this post and the poster's earlier ones within the window")
    repeated: bool = Field(description="the poster's posts reach the policy's repeated-posts threshold")
    claimer_flagged: bool = Field(False, description="the claimer's claims lapsed often (policy)")
