"""Emergency requests: what is needed now, how urgent, and the policy whose timers count in minutes and hours.

An emergency is not a relief request: no household is verified first and no 14-day rule holds it. Anyone with a
verified phone posts one (a neighbour may post for someone); a community helper, a ward official or the city's SOS
team (city officials) claims it, brings what is needed and says so; the requester confirms, or the ward closes it.
What the public sees is approximate: a point rounded to about 200 m (or the ward's centre), never the address.
"""

from datetime import timedelta
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from common.limits import Limit


class EmergencyCategory(StrEnum):
    FOOD_TODAY = "food_today"
    MEDICINE = "medicine"
    ELDERLY_ALONE = "elderly_alone"  # a sick elderly person alone
    INFANT_MILK = "infant_milk"  # a newborn's milk
    OTHER = "other"


class EmergencyUrgency(StrEnum):
    NOW = "now"  # within the hour
    TODAY = "today"
    SOON = "soon"  # within a day or two


# The order a queue shows urgencies in: the most urgent first.
URGENCY_ORDER = {EmergencyUrgency.NOW: 0, EmergencyUrgency.TODAY: 1, EmergencyUrgency.SOON: 2}


class EmergencyState(StrEnum):
    OPEN = "open"  # waiting for someone to claim it (again, after a claim lapsed)
    CLAIMED = "claimed"  # one helper, ward official or SOS member is on the way
    FULFILLED = "fulfilled"  # the claimer says it was brought; the requester has not confirmed
    CONFIRMED = "confirmed"  # the requester says it arrived
    CLOSED = "closed"  # by the ward (with a reason), unconfirmed in time, or unclaimed/unfulfilled for good
    HIDDEN = "hidden"  # taken down by the ward (abuse, a false post): shown to nobody but the ward

    @property
    def is_final(self) -> bool:
        return self in FINAL_EMERGENCY_STATES

    @property
    def is_public(self) -> bool:
        """Listed to the public (approximately): still needing or getting help."""
        return self in (EmergencyState.OPEN, EmergencyState.CLAIMED)


FINAL_EMERGENCY_STATES = frozenset({EmergencyState.CONFIRMED, EmergencyState.CLOSED, EmergencyState.HIDDEN})
# Where the ward or the SOS team may still step in: close it with a reason, or hide it.
ACTIVE_EMERGENCY_STATES = frozenset({EmergencyState.OPEN, EmergencyState.CLAIMED, EmergencyState.FULFILLED})
# Someone holds the claim: the claimer may still act (fulfil, add a photo, talk with the poster).
CLAIM_HELD_STATES = frozenset({EmergencyState.CLAIMED, EmergencyState.FULFILLED})


class EmergencyEvent(StrEnum):
    """What happened to an emergency: each is one append-only row of its history."""

    POSTED = "posted"
    ESCALATED = "escalated"  # unclaimed past `escalate_after`: on the ward's and the SOS team's queue, late
    CLAIMED = "claimed"
    RELEASED = "released"  # a claim not fulfilled in time: offered again, the claimer's lapse counted
    FULFILLED = "fulfilled"
    CONFIRMED = "confirmed"
    CLOSED = "closed"  # by the ward, with its reason
    UNCONFIRMED_CLOSED = "unconfirmed_closed"  # fulfilled, and the requester did not answer in time
    UNFULFILLED_CLOSED = "unfulfilled_closed"  # nobody claimed it in time, or its claims lapsed too often
    HIDDEN = "hidden"


class EmergencyPolicy(BaseModel):
    """Durations and limits of emergencies; e.g. EMERGENCY_POLICY='{"escalate_after": "PT15M"}'. A running
    emergency keeps the policy it was posted with."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    escalate_after: timedelta = timedelta(minutes=30)
    # The last deadline of an emergency nobody claims: it closes as unfulfilled and the ward sees it so.
    open_for: timedelta = timedelta(hours=48)
    fulfil_within: timedelta = timedelta(hours=4)
    # Claims that lapsed before the emergency closes as unfulfilled (the ward has seen it late since the first).
    max_releases: int = Field(3, ge=1)
    confirm_within: timedelta = timedelta(hours=24)
    # A claimer whose claims lapse this often is slowed (no new claim for `helper_slowed_for`), then flagged.
    helper_lapses_to_slow: int = Field(2, ge=1)
    helper_slowed_for: timedelta = timedelta(hours=12)
    helper_lapses_to_flag: int = Field(3, ge=1)
    post_per_phone: Limit = Limit(count=3, window=timedelta(days=1))
    post_per_ip: Limit = Limit(count=30, window=timedelta(hours=1))
    claim_per_helper: Limit = Limit(count=10, window=timedelta(hours=1))
    # Posts by one phone or household within `repeated_within` that flag it on the ward's queue (not refused).
    repeated_posts: int = Field(3, ge=2)
    repeated_within: timedelta = timedelta(days=7)


EMERGENCY_POLICY = EmergencyPolicy()

# The public point is rounded to this grid: 0.002° is about 220 m north-south and 218 m east-west in Saigon.
APPROXIMATE_STEP_DEGREES = 0.002


def approximate(degrees: float) -> float:
    """A coordinate rounded to the public grid (to the cell's centre, so no point sits on a cell's edge)."""
    step = APPROXIMATE_STEP_DEGREES
    return round((degrees // step) * step + step / 2, 6)
