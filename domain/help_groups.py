"""Help groups: charity groups, free-meal kitchens, mobile medical teams and each district's own An Sinh centre, who
register with where they help, what they offer and when, and appear in the public directory once a district official
of their coverage has verified them.

A group's opening hours are intervals per weekday in the city's time (Asia/Ho_Chi_Minh), or "always open" (24/7);
"open now" is the city's weekday and minute of now inside one of them, whatever the server's time zone.
"""

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, model_validator

from common.city_time import CITY_TZ
from texts.validation import TextError

MINUTES_PER_DAY = 24 * 60


class GroupKind(StrEnum):
    CHARITY = "charity"  # nhóm thiện nguyện
    FREE_MEALS = "free_meals"  # bếp ăn 0 đồng
    MEDICAL_TEAM = "medical_team"  # đội y tế lưu động
    DISTRICT_CENTRE = "district_centre"  # a district's An Sinh centre
    OTHER = "other"


class HelpKind(StrEnum):
    FOOD = "food"
    MEDICINE = "medicine"
    TRANSPORT = "transport"
    CASH = "cash"
    OTHER = "other"


class GroupState(StrEnum):
    """pending → verified | refused; verified → suspended. Only a verified group is in the directory."""

    PENDING = "pending"
    VERIFIED = "verified"
    REFUSED = "refused"
    SUSPENDED = "suspended"


class Weekday(StrEnum):
    """ISO order: datetime.weekday() is the index."""

    MON = "mon"
    TUE = "tue"
    WED = "wed"
    THU = "thu"
    FRI = "fri"
    SAT = "sat"
    SUN = "sun"


WEEKDAYS: tuple[Weekday, ...] = tuple(Weekday)


class OpeningInterval(BaseModel):
    """[opens, closes) in minutes after the city's midnight of one weekday. A group open past midnight gives the
    next day its own interval from 0."""

    model_config = ConfigDict(frozen=True)

    weekday: Weekday
    opens_minute: int = Field(ge=0, lt=MINUTES_PER_DAY)
    closes_minute: int = Field(gt=0, le=MINUTES_PER_DAY)

    @model_validator(mode="after")
    def _opens_before_closing(self) -> "OpeningInterval":
        if self.closes_minute <= self.opens_minute:
            raise TextError("closes_before_opening")
        return self


class CityMoment(BaseModel):
    """Where a moment falls in the city's week."""

    model_config = ConfigDict(frozen=True)

    weekday: Weekday
    minute: int


def city_moment(now: datetime) -> CityMoment:
    local = now.astimezone(CITY_TZ)
    return CityMoment(weekday=WEEKDAYS[local.weekday()], minute=local.hour * 60 + local.minute)


def is_open(always_open: bool, hours: list[OpeningInterval], now: datetime) -> bool:
    """The same rule as services.help_groups' SQL filter, for one group in hand."""
    if always_open:
        return True
    moment = city_moment(now)
    return any(h.weekday == moment.weekday and h.opens_minute <= moment.minute < h.closes_minute for h in hours)


class HelpGroupPolicy(BaseModel):
    """Limits of a group's registration; HELP_GROUP_POLICY='{"max_coverage_units": 40}' for a city."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name_min: int = Field(3, ge=1)
    name_max: int = Field(120, ge=10, le=200)
    description_min: int = Field(20, ge=0)
    description_max: int = Field(1000, ge=50, le=4000)
    # Districts and wards together: a group that says it covers the whole city lists its districts (at most 22),
    # a ward-level kitchen its few wards; more is a list nobody checks.
    max_coverage_units: int = Field(30, ge=1, le=400)
    max_intervals_per_day: int = Field(3, ge=1, le=6)
    reason_min: int = Field(5, ge=1)
    reason_max: int = Field(500, ge=20, le=2000)
    directory_page_max: int = Field(50, ge=1, le=100)
