"""A shipment between two supply places, as the allocation round orders it and the shipment workflow carries it.

The round (workflows/allocation_round.py) starts one shipment workflow per approved (source, destination) pair,
by name, with a ShipmentOrder; the shipment workflow (workflows/shipment.py) picks, dispatches and receives it.
Stock in transit is read from the ledger alone: a dispatch is `transferred_out` at the source with the destination
as counterpart, under keys that start with `shipment_key(code)`; the receipt is `transferred_in` at the destination
of everything dispatched, under the same prefix, and any difference found at receipt is its own adjustment.
"""

from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field, model_validator

SHIPMENT_WORKFLOW = "ShipmentWorkflow"
SHIPMENT_CODE_PATTERN = r"^CH-[0-9]{8}-[A-Z0-9-]{1,40}$"


def shipment_code(round_date_compact: str, seq: int) -> str:
    """`CH-20261205-007`: the round's day and the line's place in the approved plan, so a retried round names the
    same shipments."""
    return f"CH-{round_date_compact}-{seq:03d}"


def shipment_key(code: str) -> str:
    """The ledger key prefix under which a shipment's movements are written."""
    return f"shipment:{code}:"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ShipmentLine(_Frozen):
    item_code: str = Field(pattern=r"^[a-z][a-z0-9_]{1,31}$")
    quantity: Decimal = Field(gt=0)
    # The lot the approved plan named; picking takes it first, then FEFO for anything it no longer holds.
    lot_id: str | None = None


class ShipmentOrder(_Frozen):
    code: str = Field(pattern=SHIPMENT_CODE_PATTERN)
    round_id: str | None = None  # the allocation round that ordered it, or None for a shipment made by hand
    from_place: str = Field(min_length=1, max_length=32)
    to_place: str = Field(min_length=1, max_length=32)
    lines: tuple[ShipmentLine, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _two_places_one_line_per_item_lot(self) -> "ShipmentOrder":
        if self.from_place == self.to_place:
            raise ValueError("a shipment goes between two places")
        keys = [(line.item_code, line.lot_id) for line in self.lines]
        if len(set(keys)) != len(keys):
            raise ValueError("a shipment lists each item's lot once")
        return self
