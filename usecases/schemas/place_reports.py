"""What places' staff send in their daily report, and what they and the officials read about reports.

Quantities and codes arrive lenient and are judged by the use case (usecases/supply/place_reports.py), which knows
the catalogue and the ledger: an unknown item, a negative or absurd count, a proposal without a reason are refused
there, each with the field named, a stable code and the catalogue's words.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from domain.place_reports import ReportStage
from usecases.schemas.text import Printable

_Code = Annotated[str, StringConstraints(strip_whitespace=True, max_length=40), Printable]
_Quantity = Annotated[Decimal, Field(allow_inf_nan=False, max_digits=20)]


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CountEntry(_Body):
    item_code: _Code
    counted: _Quantity = Field(description="what is on the shelf now; a difference from the ledger waits for approval")
    consumed: _Quantity = Field(Decimal(0), description="what was used or handed out since the last report")


class ProposalEntry(_Body):
    item_code: _Code
    quantity: _Quantity = Field(description="units wanted over `days`")
    days: int = Field(3, ge=1, le=14)
    reason: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500), Printable] = ""


class ReportBody(_Body):
    counts: list[CountEntry] = Field(default_factory=list, max_length=100)
    proposals: list[ProposalEntry] = Field(default_factory=list, max_length=100)


class ReportItemLine(BaseModel):
    """One item of the form: the ledger's on-hand beside what was counted (once filed)."""

    item_code: str
    name_vi: str
    name_en: str
    unit: str
    ledger_on_hand: Decimal
    counted: Decimal | None = None
    consumed: Decimal | None = None


class ProposalView(BaseModel):
    item_code: str
    name_vi: str
    unit: str
    quantity: Decimal
    days: int
    reason: str


class AdjustmentView(BaseModel):
    id: UUID
    place_code: str
    place_name: str
    report_date: date
    item_code: str
    name_vi: str
    unit: str
    ledger_on_hand: Decimal
    counted: Decimal
    difference: Decimal
    state: str
    counted_by: UUID
    approved_by: UUID | None = None
    approved_at: datetime | None = None


class PlaceReportView(BaseModel):
    place_code: str
    place_name: str
    district_code: str
    report_date: date
    deadline: datetime
    stage: ReportStage
    filed_at: datetime | None = None
    items: list[ReportItemLine]
    proposals: list[ProposalView]
    pending_adjustments: list[AdjustmentView]


class ReportFiled(BaseModel):
    place_code: str
    report_date: date
    stage: ReportStage
    report_id: UUID
    filed_at: datetime
    pending_adjustments: int


class ReportRow(BaseModel):
    """One place's report of the day, as officials see the list."""

    place_code: str
    place_name: str
    place_kind: str
    district_code: str
    stage: ReportStage
    filed_at: datetime | None = None
    pending_adjustments: int = 0


class DistrictReports(BaseModel):
    district_code: str
    district_name: str
    expected: int
    filed: int
    late: int
    missing: int  # past the deadline and not filed
    open: int  # not filed, the deadline still ahead
    places: list[ReportRow]


class DayReports(BaseModel):
    report_date: date
    deadline: datetime
    districts: list[DistrictReports]

    @property
    def missing(self) -> int:
        return sum(d.missing for d in self.districts)
