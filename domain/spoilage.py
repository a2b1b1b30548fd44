"""The spoilage watch's vocabulary and policy: how many days before its expiry a perishable lot is flagged, by
the item's category, and the two kinds of flag.

A lot is usable up to and including its expiry date (the database refuses it from the day after, migration
0008). Days before expiry are counted in city days: a lot of vegetables expiring on the 10th is flagged from
the 8th with the default two days.
"""

from datetime import date
from decimal import Decimal
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

# The schedule that runs the watch (common/schedules.py), and the id each run's workflow starts from.
SPOILAGE_SCHEDULE_ID = "ansinh-spoilage-watch"


class FlagKind(StrEnum):
    EXPIRING = "expiring"  # inside its category's warning window: use it or move it first
    WRITE_OFF = "write_off"  # past its expiry with stock on hand: blocked, must be written off


class SpoilagePolicy(BaseModel):
    """Days of warning before expiry, per item category; a category not listed gets `other_days`."""

    model_config = ConfigDict(frozen=True)

    warning_days: dict[str, int] = Field(
        default_factory=lambda: {"fresh_produce": 2, "protein": 3, "dairy": 7, "kit": 2}
    )
    other_days: int = Field(14, ge=0)

    def days_for(self, category: str) -> int:
        return self.warning_days.get(category, self.other_days)


class SpoilageRun(BaseModel):
    """One round of the watch, as its schedule starts it."""

    model_config = ConfigDict(frozen=True)

    policy: SpoilagePolicy = SpoilagePolicy()


class WatchReport(BaseModel):
    """How many flags a round raised (flags raised before are not counted again)."""

    model_config = ConfigDict(frozen=True)

    expiring: int = 0
    write_off: int = 0


class ExpiryFlag(BaseModel):
    """A flag still open: the lot still has stock at the place."""

    model_config = ConfigDict(frozen=True)

    kind: FlagKind
    place_code: str
    place_name: str
    district_code: str | None
    lot_id: str
    item_code: str
    item_name_vi: str
    item_name_en: str
    unit: str
    expires_on: date
    on_hand: Decimal


class SpoiledWeek(BaseModel):
    """What one place wrote off in one ISO week (Monday to Sunday, city time): kg of the items counted in kg,
    units (cans, packs, litres, bags) of the others."""

    model_config = ConfigDict(frozen=True)

    place_code: str
    place_name: str
    district_code: str | None
    week_start: date
    kg: Decimal
    units: Decimal

    @property
    def iso_week(self) -> str:
        return iso_week(self.week_start)


def iso_week(day: date) -> str:
    """The ISO week a day falls in, as people write it: 2026-W49."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"
