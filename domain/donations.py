"""Donors and donations: their vocabulary, the donation workflow's policy, input, messages and answers.

A donation is announced by its donor (lines of item, quantity, expiry, estimated value; a warehouse and a day),
then waits for the goods: a reminder to the donor before the day, and expiry if they never come. Warehouse staff
of that place record what arrived, line by line (counted, accepted or rejected with a reason), and the accepted
lines become lots in the stock ledger. Until then the donor may cancel it.
"""

from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, model_validator

from domain.roles import Role


class DonorKind(StrEnum):
    ORGANISATION = "organisation"
    PERSON = "person"


class DonorOrigin(StrEnum):
    DOMESTIC = "domestic"
    OVERSEAS = "overseas"


class DonationStage(StrEnum):
    ANNOUNCED = "announced"
    STOCKED = "stocked"  # received and inspected; every accepted line is a lot
    REJECTED = "rejected"  # received, and every line was refused at inspection
    EXPIRED = "expired"  # the goods never came
    CANCELLED = "cancelled"  # the donor withdrew it before it arrived

    @property
    def is_final(self) -> bool:
        return self != DonationStage.ANNOUNCED


class DonationEvent(StrEnum):
    ANNOUNCED = "donation_announced"
    REMINDER = "donation_reminder"
    STOCKED = "donation_stocked"
    REJECTED = "donation_rejected"
    EXPIRED = "donation_expired"
    CANCELLED = "donation_cancelled"


class Inspection(StrEnum):
    ACCEPTED = "accepted"
    REJECTED = "rejected"


class DonationPolicy(BaseModel):
    """Durations of a donation's wait, as data: the workflow keeps the policy it started with."""

    model_config = ConfigDict(frozen=True)

    reminder_before: timedelta = Field(timedelta(days=1), description="the donor is reminded this long before the day")
    expiry_after: timedelta = Field(
        timedelta(days=3), description="after the start of the expected day: then a donation never received expires"
    )
    step_max_attempts: int = Field(12, ge=1, le=100)
    step_retry_within: timedelta = timedelta(minutes=2)

    @model_validator(mode="after")
    def _positive(self) -> "DonationPolicy":
        if self.reminder_before <= timedelta(0) or self.expiry_after <= timedelta(days=1):
            raise ValueError("the reminder comes before the day, and expiry at least a day after its start")
        return self


class _Message(BaseModel):
    model_config = ConfigDict(frozen=True)


class AnnouncedLine(_Message):
    """What the workflow's validator needs to judge a receipt of this line."""

    line_id: UUID
    line_no: int
    item_code: str
    perishable: bool
    whole_units: bool


class DonationInput(_Message):
    """Everything the donation's workflow needs; the donor's contact stays in the database."""

    donation_id: UUID
    code: str
    place_code: str
    district_code: str
    due_at: datetime  # the start of the expected day, city time
    lines: tuple[AnnouncedLine, ...]
    policy: DonationPolicy = Field(default_factory=DonationPolicy)


class DonationActor(_Message):
    """Who acts on a donation, as the application authenticated them; the validator checks the place again."""

    role: Role | None = None  # None: the donor, through their follow link
    user_id: UUID | None = None
    place_code: str | None = None


class LineReceipt(_Message):
    line_id: UUID
    received_quantity: Decimal = Field(ge=0)
    inspection: Inspection
    rejection_reason: str | None = None
    expires_on: date | None = None


class DonationReceipt(_Message):
    """Warehouse staff's counts and inspection, one entry per announced line."""

    actor: DonationActor
    lines: tuple[LineReceipt, ...]
    signature: str | None = None


class DonorCancellation(_Message):
    actor: DonationActor = Field(default_factory=DonationActor)
    reason: str | None = None
    signature: str | None = None


class DonationAnswer(_Message):
    stage: DonationStage
    lots: int = 0  # lots created from the accepted lines


class DonationStep(_Message):
    """One stage change or event of a donation, written once by its (donation, seq) key."""

    donation_id: UUID
    code: str
    seq: int
    at: datetime
    stage: DonationStage
    event: DonationEvent


class StockDonationInput(_Message):
    step: DonationStep
    place_code: str
    receipt: DonationReceipt


def refusal_of_receipt(inp: DonationInput, receipt: DonationReceipt, city_today: date) -> str | None:
    """Why this receipt cannot be recorded for this donation (None: it can). Checked by the workflow's validator;
    the use case checks the same, field by field, before sending it."""
    announced = {line.line_id: line for line in inp.lines}
    seen = [line.line_id for line in receipt.lines]
    if len(set(seen)) != len(seen):
        return "a line is received twice"
    if set(seen) != set(announced):
        return "the receipt must cover every announced line, and no other"
    for line in receipt.lines:
        spec = announced[line.line_id]
        if line.inspection == Inspection.REJECTED:
            if not (line.rejection_reason or "").strip():
                return f"line {spec.line_no}: a rejected line needs a reason"
            continue
        if line.received_quantity <= 0:
            return f"line {spec.line_no}: an accepted line has a quantity above zero"
        if spec.whole_units and line.received_quantity != line.received_quantity.to_integral_value():
            return f"line {spec.line_no}: {spec.item_code} is counted in whole units"
        if spec.perishable and line.expires_on is None:
            return f"line {spec.line_no}: a perishable line needs its expiry date"
        if line.expires_on is not None and line.expires_on < city_today:
            return f"line {spec.line_no}: the goods are past their expiry date"
    return None


# The most one donation line can carry, by unit: more is a typing slip (an extra zero or two), not a donation.
_MOST_PER_UNIT = {"kg": Decimal(200_000), "L": Decimal(100_000)}
_MOST_OF_WHOLE_UNITS = Decimal(1_000_000)
MOST_VALUE_VND = 1_000_000_000_000  # a thousand billion đồng


def most_quantity(unit: str) -> Decimal:
    return _MOST_PER_UNIT.get(unit, _MOST_OF_WHOLE_UNITS)
