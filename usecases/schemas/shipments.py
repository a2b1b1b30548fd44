"""What warehouse staff send about a shipment (its dispatch, its receipt) and what they and officials read.

The forms check what needs no database (shapes, signs, the phone and the plate), each refusal a stable code with
the catalogue's words; the use case checks the rest against the shipment (usecases/supply/shipments.py), field by
field.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated
from uuid import UUID

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from domain.identity import MobilePhone
from domain.shipment_flow import ShipmentStage, normalise_plate
from texts.validation import TextError
from usecases.schemas.donations import Counted
from usecases.schemas.text import Printable

_Text = Annotated[str, StringConstraints(strip_whitespace=True), Printable]
NAME_LENGTH = (2, 100)


def _plate(value: str) -> str:
    plain = normalise_plate(value)
    if plain is None:
        raise TextError("plate_invalid")
    return plain


Plate = Annotated[str, StringConstraints(max_length=20), AfterValidator(_plate)]


def _person_name(value: str) -> str:
    if not NAME_LENGTH[0] <= len(value) <= NAME_LENGTH[1]:
        raise TextError("driver_name_length", min=NAME_LENGTH[0], max=NAME_LENGTH[1])
    return value


PersonName = Annotated[_Text, AfterValidator(_person_name)]


class DispatchForm(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    driver_name: PersonName
    driver_phone: Annotated[MobilePhone, StringConstraints(max_length=20)]
    vehicle_plate: Plate


class LineCountForm(BaseModel):
    model_config = ConfigDict(extra="forbid")

    line_no: int = Field(ge=1, le=500)
    received_quantity: Counted


class ShipmentReceiptForm(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    lines: list[LineCountForm] = Field(min_length=1, max_length=500)
    note: Annotated[_Text, StringConstraints(max_length=300)] | None = None


class PickView(BaseModel):
    lot_id: UUID
    quantity: Decimal
    expires_on: date | None


class ShipmentLineView(BaseModel):
    line_no: int
    item_code: str
    item_name_vi: str
    item_name_en: str
    unit: str
    whole_units: bool
    ordered: Decimal
    picked: Decimal
    dispatched: Decimal | None
    received: Decimal | None
    picks: list[PickView]


class ShipmentSummary(BaseModel):
    code: str
    stage: ShipmentStage
    from_place: str
    from_name: str
    to_place: str
    to_name: str
    picked_at: datetime | None
    dispatched_at: datetime | None
    received_at: datetime | None
    late: bool
    differences: int
    lines: int


class ShipmentView(ShipmentSummary):
    round_id: str | None
    vehicle_plate: str | None  # as painted: 51C-123.45
    driver_name: str | None  # for the staff of the two places only
    driver_phone: str | None  # the same; officials read it masked
    receipt_note: str | None
    items: list[ShipmentLineView]


class ShipmentLists(BaseModel):
    """A warehouse's shipments to dispatch and to receive; for officials, the ones late or received short."""

    outgoing: list[ShipmentSummary] = []
    incoming: list[ShipmentSummary] = []
    late: list[ShipmentSummary] = []
