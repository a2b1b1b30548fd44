"""What a place asks the centre for in its daily report: the allocation round reads these as part of the need."""

from datetime import date
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field


class ProposalLine(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    place_code: str = Field(min_length=1, max_length=32)
    report_date: date  # the report that carries it; the round reads the latest filed report of each place
    item_code: str = Field(pattern=r"^[a-z][a-z0-9_]{1,31}$")
    quantity: Decimal = Field(ge=0)  # units wanted over `days`
    days: int = Field(ge=1, le=14)
    reason: str = Field(min_length=1, max_length=500)
