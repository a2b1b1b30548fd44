"""A shipment's way, as the shipment workflow (workflows/shipment.py) carries it: its stages, its policy, the people's
actions (dispatch, receipt) and the rules that judge them, shared by the use case (field by field, before sending)
and the workflow's validators (again, before anything is written).

created ─► picked (FEFO, short lines recorded) ─► in transit (dispatched) ─► received
   └─ nothing to pick ─► unfilled      └─ not dispatched by the deadline ─► cancelled   └─ never received ─► lost
"""

import re
from datetime import datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, model_validator

from domain.identity import normalise_mobile_phone
from domain.roles import Role
from domain.shipments import ShipmentOrder

SHIPMENT_KIND = "shipment"


class ShipmentStage(StrEnum):
    CREATED = "created"
    PICKED = "picked"  # lots chosen at the source, waiting for the driver
    IN_TRANSIT = "in_transit"  # dispatched: the goods left the source (transferred_out)
    RECEIVED = "received"  # counted at the destination (transferred_in, differences adjusted)
    UNFILLED = "unfilled"  # the source held none of the goods
    CANCELLED = "cancelled"  # never dispatched: nothing moved
    LOST = "lost"  # never received: the goods are written off at the destination as missing

    @property
    def is_final(self) -> bool:
        return self in (ShipmentStage.RECEIVED, ShipmentStage.UNFILLED, ShipmentStage.CANCELLED, ShipmentStage.LOST)


class ShipmentPolicy(BaseModel):
    """A shipment's durations and limits, as data; the workflow keeps the one its first step answered."""

    model_config = ConfigDict(frozen=True)

    dispatch_escalate_after: timedelta = Field(timedelta(hours=24), description="picked, not dispatched: the city")
    dispatch_deadline: timedelta = Field(timedelta(days=3), description="picked, not dispatched: cancelled")
    transit_escalate_after: timedelta = Field(timedelta(hours=12), description="in transit this long: the city")
    transit_deadline: timedelta = Field(timedelta(days=7), description="in transit this long: lost")
    # A count above this many times what was dispatched is a typing slip (an extra zero), not goods.
    most_received_ratio: Decimal = Field(Decimal(2), gt=1)
    # Lots that expire sooner than this are not picked: they would expire on the road.
    least_days_left_at_pick: int = Field(1, ge=0, le=30)
    step_max_attempts: int = Field(12, ge=1, le=100)
    step_retry_within: timedelta = timedelta(minutes=2)

    @model_validator(mode="after")
    def _ordered(self) -> "ShipmentPolicy":
        if not (timedelta(0) < self.dispatch_escalate_after < self.dispatch_deadline):
            raise ValueError("the dispatch escalation comes before its deadline")
        if not (timedelta(0) < self.transit_escalate_after < self.transit_deadline):
            raise ValueError("the transit escalation comes before its deadline")
        return self


class _Message(BaseModel):
    model_config = ConfigDict(frozen=True)


class ShipmentActor(_Message):
    """Who acts on a shipment, as the application authenticated them; the validator checks the place again."""

    role: Role
    user_id: UUID
    place_code: str | None = None


# A Vietnamese plate: province (2 digits), series (1-2 letters, maybe a digit), then 4 or 5 digits. "51C-123.45",
# "51LD-12345", "29A1-234.56"; spaces, dots and dashes are the writer's choice, so the plate is kept without them.
_PLATE = re.compile(r"^(1[1-9]|[2-9][0-9])[A-Z]{1,2}[0-9]?[0-9]{4,5}$")


def normalise_plate(value: str) -> str | None:
    """The plate without separators, upper case; None when it is not a Vietnamese plate."""
    plain = re.sub(r"[\s.\-]", "", value).upper()
    return plain if _PLATE.match(plain) else None


def shown_plate(plain: str) -> str:
    """51C12345 → 51C-123.45, 59C112345 → 59C1-123.45, 51C1234 → 51C-1234: the number is the last five digits
    when there are five or more (today's plates), else four."""
    letters = re.match(r"^[0-9]{2}[A-Z]{1,2}", plain)
    assert letters is not None
    digits = plain[letters.end() :]
    size = 5 if len(digits) >= 5 else 4
    series, number = plain[: len(plain) - size], digits[-size:]
    return f"{series}-{number[:3]}.{number[3:]}" if size == 5 else f"{series}-{number}"


class Dispatch(_Message):
    """The source's staff hand the goods to a driver. Name and phone are personal data: encrypted in the payload and
    the database, never in a search attribute, a log or a refusal's message."""

    actor: ShipmentActor
    driver_name: str = Field(min_length=2, max_length=100)
    driver_phone: str  # E.164, as the use case normalised it
    vehicle_plate: str  # normalised (normalise_plate)
    signature: str | None = None


class LineCount(_Message):
    line_no: int = Field(ge=1)
    received_quantity: Decimal = Field(ge=0)


class Receipt(_Message):
    """The destination's staff count what arrived, one entry per line of the shipment."""

    actor: ShipmentActor
    lines: tuple[LineCount, ...]
    note: str | None = Field(None, max_length=300)
    signature: str | None = None


class LineOutcome(_Message):
    line_no: int
    item_code: str
    ordered: Decimal
    picked: Decimal
    dispatched: Decimal | None = None
    received: Decimal | None = None


class ShipmentAnswer(_Message):
    stage: ShipmentStage
    lines: tuple[LineOutcome, ...] = ()

    @property
    def differences(self) -> int:
        return sum(1 for line in self.lines if line.received is not None and line.received != line.dispatched)


class ShipmentOpened(_Message):
    """What the first step found: where the goods go (for the search attributes) and the policy to keep."""

    to_district: str
    policy: ShipmentPolicy


class ShipmentEvent(StrEnum):
    OPENED = "opened"
    PICKED = "picked"
    UNFILLED = "unfilled"
    DISPATCH_LATE = "dispatch_late"
    CANCELLED = "cancelled"
    DISPATCHED = "dispatched"
    TRANSIT_LATE = "transit_late"
    RECEIVED = "received"
    LOST = "lost"


class ShipmentStep(_Message):
    """One step of a shipment, written once by its (shipment, seq) key."""

    code: str
    seq: int
    at: datetime
    event: ShipmentEvent


class PickInput(_Message):
    step: ShipmentStep
    policy: ShipmentPolicy


class DispatchInput(_Message):
    step: ShipmentStep
    dispatch: Dispatch


class ReceiptInput(_Message):
    step: ShipmentStep
    receipt: Receipt


class OpenInput(_Message):
    order: ShipmentOrder
    at: datetime


def refusal_of_dispatch(action: Dispatch) -> str | None:
    """Why this dispatch cannot be recorded (None: it can); the use case says the same per field. No personal data
    in the answer."""
    if not action.driver_name.strip():
        return "the driver's name is missing"
    try:
        if normalise_mobile_phone(action.driver_phone) != action.driver_phone:
            return "the driver's phone is not in its normal form"
    except ValueError:
        return "the driver's phone is not a Vietnamese mobile number"
    if normalise_plate(action.vehicle_plate) != action.vehicle_plate:
        return "the vehicle plate is not a Vietnamese plate"
    return None


def refusal_of_receipt(answer: ShipmentAnswer, receipt: Receipt, policy: ShipmentPolicy) -> str | None:
    """Why these counts cannot be recorded for this shipment (None: they can). The message carries no personal
    data; the use case says the same per field."""
    dispatched = {line.line_no: line.dispatched or Decimal(0) for line in answer.lines}
    seen = [line.line_no for line in receipt.lines]
    if len(set(seen)) != len(seen):
        return "a line is counted twice"
    if set(seen) != set(dispatched):
        return "the receipt must count every line of the shipment, and no other"
    for line in receipt.lines:
        if line.received_quantity > most_received(dispatched[line.line_no], policy):
            return f"line {line.line_no}: more than {policy.most_received_ratio}× what was dispatched"
    return None


def most_received(dispatched: Decimal, policy: ShipmentPolicy) -> Decimal:
    return dispatched * policy.most_received_ratio
