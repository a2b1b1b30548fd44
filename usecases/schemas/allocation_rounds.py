"""The allocation round as the API and the pages see it: the proposal's lines with their reasons, the need's
breakdown, coverage by district and the lots by days to expiry; and what a centre official sends to approve."""

import datetime as dt
from decimal import Decimal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from domain.allocation_need import DestinationNeed
from domain.allocation_round import RoundStage


class LineEditForm(BaseModel):
    model_config = ConfigDict(extra="forbid")

    lot_id: str = Field(min_length=1, max_length=64)
    to_place: str = Field(min_length=1, max_length=32)
    quantity: Decimal = Field(max_digits=14, decimal_places=3)
    why: str = Field(min_length=1, max_length=300)


class ApprovalForm(BaseModel):
    """The proposal as it stands, or changed line by line: a quantity of 0 takes a line out."""

    model_config = ConfigDict(extra="forbid")

    edits: list[LineEditForm] = Field(default_factory=list, max_length=500)


class RoundSummary(BaseModel):
    round_date: dt.date
    stage: RoundStage
    reason: str | None
    escalated: bool
    updated_at: dt.datetime


class RoundLineView(BaseModel):
    seq: int
    from_place: str
    lot_id: str
    to_place: str
    item_code: str
    quantity: Decimal
    proposed: Decimal
    need: Decimal | None
    stock_left: Decimal | None
    expires_on: dt.date | None
    days_to_expiry_at_arrival: int | None
    distance_km: float | None
    why: str | None = None
    edited_by: UUID | None = None
    shipment_code: str | None = None


class DistrictCoverage(BaseModel):
    """Household-days needed and allocated, the district's destinations together."""

    district_code: str
    need: float
    allocated: float


class LotExpiry(BaseModel):
    place_code: str
    lot_id: str
    item_code: str
    quantity: Decimal
    expires_on: dt.date | None
    days_to_expiry: int | None


class RoundView(BaseModel):
    round_date: dt.date
    stage: RoundStage
    reason: str | None
    escalated: bool
    solves: int
    approved_by: UUID | None
    approved_at: dt.datetime | None
    solve_seconds: float | None
    proposed: list[RoundLineView]
    approved: list[RoundLineView]
    needs: list[DestinationNeed]
    coverage: list[DistrictCoverage]
    lots: list[LotExpiry]
