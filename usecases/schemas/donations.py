"""What donors send and read, and what warehouse staff send and read about a donation.

The forms check what needs no database (shapes, signs, lengths), each refusal a stable code with the catalogue's
words (texts.validation.TextError); the use cases check the rest against the catalogue of goods
(usecases/supply/donations.py), field by field.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

import phonenumbers
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, field_validator

from domain.donations import DonationStage, DonorKind, DonorOrigin, Inspection
from domain.identity import plain_text
from texts.validation import TextError
from usecases.schemas.text import Printable

_Text = Annotated[str, StringConstraints(strip_whitespace=True), Printable]


def _any_phone(value: str) -> str:
    """A Vietnamese number, or an overseas one written with its country code (+…)."""
    value = plain_text(value)
    try:
        parsed = phonenumbers.parse(value, "VN")
    except phonenumbers.NumberParseException as exc:
        raise TextError("donor_phone_invalid") from exc
    if not phonenumbers.is_valid_number(parsed):
        raise TextError("donor_phone_invalid")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def positive_quantity(value: Decimal) -> Decimal:
    if not value.is_finite() or value <= 0:
        raise TextError("quantity_not_positive")
    if value.as_tuple().exponent < -3:  # type: ignore[operator]  # finite, so an int
        raise TextError("quantity_too_precise")
    return value


def _not_negative(value: Decimal) -> Decimal:
    if not value.is_finite() or value < 0:
        raise TextError("counted_negative")
    return value if value == 0 else positive_quantity(value)


AnyPhone = Annotated[str, AfterValidator(_any_phone)]
Quantity = Annotated[Decimal, AfterValidator(positive_quantity)]
Counted = Annotated[Decimal, AfterValidator(_not_negative)]
PlaceCode = Annotated[str, StringConstraints(pattern=r"^[A-Z0-9-]{2,32}$")]
ItemCode = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{1,31}$")]


class DonorForm(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    kind: DonorKind
    origin: DonorOrigin = DonorOrigin.DOMESTIC
    name: Annotated[_Text, StringConstraints(min_length=1, max_length=200)]
    contact_name: Annotated[_Text, StringConstraints(max_length=200)] | None = None
    phone: AnyPhone
    email: Annotated[_Text, StringConstraints(max_length=200, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")] | None = None


class DonationLineForm(BaseModel):
    model_config = ConfigDict(extra="forbid")

    item_code: ItemCode
    quantity: Quantity = Field(description="in the item's unit: kg and L may be fractional, the others whole")
    expires_on: date | None = Field(None, description="required for perishable items")
    estimated_value_vnd: int | None = Field(None, description="what the donor estimates the line is worth, in VND")

    @field_validator("estimated_value_vnd")
    @classmethod
    def _value(cls, value: int | None) -> int | None:
        if value is not None and value < 0:
            raise TextError("estimated_value_negative")
        return value


class DonationForm(BaseModel):
    model_config = ConfigDict(extra="forbid")

    donor: DonorForm
    place_code: PlaceCode = Field(description="the warehouse the goods are brought to")
    expected_on: date = Field(description="the day the goods arrive")
    lines: list[DonationLineForm] = Field(min_length=1, max_length=50)


class DonationAnnounced(BaseModel):
    code: str
    stage: DonationStage
    follow_token: str = Field(description="keep it: it opens the donation's page, without an account")
    follow_url: str


class LineReceiptForm(BaseModel):
    model_config = ConfigDict(extra="forbid")

    line_no: int = Field(ge=1, le=50)
    received_quantity: Counted
    inspection: Inspection
    rejection_reason: Annotated[_Text, StringConstraints(max_length=300)] | None = None
    expires_on: date | None = None


class ReceiptForm(BaseModel):
    model_config = ConfigDict(extra="forbid")

    lines: list[LineReceiptForm] = Field(min_length=1, max_length=50)


class DonorCancellationForm(BaseModel):
    model_config = ConfigDict(extra="forbid")

    token: str = Field(min_length=8, max_length=100)
    reason: Annotated[_Text, StringConstraints(max_length=300)] | None = None


class DonationLineView(BaseModel):
    line_no: int
    item_code: str
    item_name_vi: str
    item_name_en: str
    unit: str
    perishable: bool
    whole_units: bool
    announced_quantity: Decimal
    expires_on: date | None
    estimated_value_vnd: int | None
    received_quantity: Decimal | None
    inspection: Inspection | None
    rejection_reason: str | None


class DonationView(BaseModel):
    """A donation as its donor, its warehouse's staff and the officials over it see it: no contact details."""

    code: str
    stage: DonationStage
    place_code: str
    place_name: str
    district_code: str
    expected_on: date
    announced_at: datetime
    received_at: datetime | None
    lines: list[DonationLineView]


class DonationSummary(BaseModel):
    code: str
    stage: DonationStage
    expected_on: date
    lines: int
    items: list[str]


class Destination(BaseModel):
    """Where some of a donation's goods went: a district's households, or an institution by name."""

    kind: str  # "district" or "institution"
    code: str
    name: str
    item_code: str
    quantity: Decimal
    households: int = 0


class DonorFollow(BaseModel):
    donation: DonationView
    destinations: list[Destination]
