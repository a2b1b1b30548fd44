"""What people send and read about stock: the warehouse staff's actions, and the stock by place, item and lot.

Quantities arrive as plain decimals and are judged by the use case (usecases/supply/stock.py), which knows the
item's unit: a fraction of a can is refused there, naming the field with a stable code and the catalogue's words.
"""

from datetime import date
from decimal import Decimal
from typing import Annotated
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from usecases.schemas.text import Printable

# Lenient on purpose: the use case refuses bad codes and quantities with the field named and a stable code.
_Code = Annotated[str, StringConstraints(strip_whitespace=True, max_length=40), Printable]
_Quantity = Annotated[Decimal, Field(allow_inf_nan=False, max_digits=20)]


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AssemblyBody(_Body):
    bags: _Quantity = Field(description="how many food bags to assemble from this place's stock (FEFO)")


class CountBody(_Body):
    lot_id: UUID
    counted: _Quantity = Field(description="what was counted on the shelf; the difference becomes an adjustment")


class WriteOffBody(_Body):
    lot_id: UUID
    quantity: _Quantity
    cause: _Code = Field(description="spoiled or damaged")
    reason: Annotated[str, StringConstraints(strip_whitespace=True, max_length=250), Printable] = ""


class TransferBody(_Body):
    item_code: _Code
    quantity: _Quantity
    to_place_code: _Code
    lot_id: UUID | None = Field(None, description="one lot to send; by default first-expiry-first")


class IssueBody(_Body):
    item_code: _Code
    quantity: _Quantity
    institution_code: _Code
    lot_id: UUID | None = Field(None, description="one lot to issue; by default first-expiry-first")


class MovementLine(BaseModel):
    lot_id: UUID
    item_code: str
    kind: str
    quantity: Decimal  # signed: into the place positive


class StockActionResult(BaseModel):
    action: str
    place_code: str
    repeated: bool = Field(description="true when this key was done before: nothing moved again")
    movements: list[MovementLine]


class ItemStock(BaseModel):
    item_code: str
    name_vi: str
    name_en: str
    unit: str
    on_hand: Decimal
    reserved: Decimal
    free: Decimal


class LotStock(BaseModel):
    place_code: str
    place_name: str
    lot_id: UUID
    item_code: str
    name_vi: str
    name_en: str
    unit: str
    expires_on: date | None
    on_hand: Decimal
    reserved: Decimal
    expired: bool


class PlaceStock(BaseModel):
    place_code: str
    name: str
    kind: str
    district_code: str | None
    items: list[ItemStock]
    free_bags: Decimal
    bags_issued_7_days: Decimal
    days_of_cover: Decimal | None = Field(description="free bags ÷ bags issued per day over 7 days; none issued: null")


class PlaceDetail(PlaceStock):
    lots: list[LotStock]


class StockOverview(BaseModel):
    places: list[PlaceStock]
    near_expiry: list[LotStock]
    near_expiry_days: int


class PublicItemTotals(BaseModel):
    item_code: str
    name_vi: str
    name_en: str
    unit: str
    received: Decimal
    distributed: Decimal
    on_hand: Decimal
    spoiled: Decimal


class PublicDistrictTotals(BaseModel):
    district_code: str
    district_name: str
    items: list[PublicItemTotals]


class PublicStockTotals(BaseModel):
    items: list[PublicItemTotals]
    districts: list[PublicDistrictTotals]
