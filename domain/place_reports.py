"""A place's daily report: who reports, when it is due, what it holds, and the limits of a believable count.

Every district warehouse and institution reports once a day: counted stock per item (the ledger's on-hand is
shown beside it), what was consumed, and what it proposes for the coming days with a reason. A counted
difference from the ledger waits for a second person's approval before it becomes a ledger adjustment.
"""

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from enum import StrEnum
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, model_validator

from common.city_time import CITY_TZ
from domain.proposals import ProposalLine
from domain.roles import Role
from domain.supply import INSTITUTION_KINDS, PlaceKind

# The daily schedule that opens every place's report (common/schedules.py), and its opener's workflow id.
PLACE_REPORT_SCHEDULE_ID = "ansinh-place-reports"
REPORTING_KINDS = frozenset({PlaceKind.DISTRICT_WAREHOUSE} | INSTITUTION_KINDS)


class ReportStage(StrEnum):
    OPEN = "open"
    FILED = "filed"
    MISSING = "missing"  # past the deadline, not filed: escalated to the city; a late filing is still taken
    LATE = "late"  # filed after the deadline

    @property
    def is_filed(self) -> bool:
        return self in (ReportStage.FILED, ReportStage.LATE)


class NoticeKind(StrEnum):
    REMINDER = "reminder"  # to the place's staff, before the deadline
    MISSING = "missing"  # to the district's and the city's officials (and the place), at the deadline


class PlaceReportPolicy(BaseModel):
    """When a day's report opens, is reminded and is due (city time), and what count is believable."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    opens_at: time = time(7, 0)
    reminder_at: time = time(15, 0)
    due_at: time = time(17, 0)
    # A report still taken this long after its deadline (late); after that the workflow ends.
    late_window: timedelta = timedelta(hours=12)
    # A count above `absurd_factor` × the ledger's on-hand plus `absurd_margin` units is a typing error.
    absurd_factor: Decimal = Field(default=Decimal(10), gt=0)
    absurd_margin: Decimal = Field(default=Decimal(1000), ge=0)
    max_proposal_quantity: Decimal = Field(default=Decimal(1_000_000), gt=0)

    @model_validator(mode="after")
    def _ordered(self) -> "PlaceReportPolicy":
        if not self.opens_at <= self.reminder_at <= self.due_at:
            raise ValueError("the report opens, is reminded and is due in that order")
        return self

    def at(self, day: date, moment: time) -> datetime:
        return datetime.combine(day, moment, tzinfo=CITY_TZ)

    def deadline(self, day: date) -> datetime:
        return self.at(day, self.due_at)

    @property
    def opening_catchup(self) -> timedelta:
        """How late the day's opening may still run: until the reminder is due."""
        day = date(2000, 1, 1)
        return self.at(day, self.reminder_at) - self.at(day, self.opens_at)

    def count_limit(self, ledger_on_hand: Decimal) -> Decimal:
        return ledger_on_hand * self.absurd_factor + self.absurd_margin


PLACE_REPORT_POLICY = PlaceReportPolicy()


class CountLine(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    item_code: str = Field(pattern=r"^[a-z][a-z0-9_]{1,31}$")
    counted: Decimal = Field(ge=0)
    consumed: Decimal = Field(default=Decimal(0), ge=0)


class ProposalInput(BaseModel):
    """A proposal line as staff type it (the report gives it its place and date)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    item_code: str = Field(pattern=r"^[a-z][a-z0-9_]{1,31}$")
    quantity: Decimal = Field(ge=0)
    days: int = Field(ge=1, le=14)
    reason: str = Field(min_length=1, max_length=500)

    def line(self, place_code: str, report_date: date) -> ProposalLine:
        return ProposalLine(place_code=place_code, report_date=report_date, **self.model_dump())


class AdjustmentState(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"


class _Message(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class PlaceReportInput(_Message):
    """One place's report of one day, as its workflow holds it."""

    place_code: str
    district_code: str
    report_date: date
    policy: PlaceReportPolicy = Field(default_factory=PlaceReportPolicy)

    @property
    def code(self) -> str:
        return report_code(self.place_code, self.report_date)


def report_code(place_code: str, day: date) -> str:
    """What a filing's signature names (with the update's name): this place's report of this day."""
    return f"{place_code}-{day.isoformat()}"


class ReportActor(_Message):
    """Who files, as the application authenticated them; the workflow's validator checks the place again."""

    role: Role
    user_id: UUID
    place_code: str | None = None


class ReportFiling(_Message):
    """The day's report as staff filed it, checked against the catalogue and the ledger by the application."""

    actor: ReportActor
    counts: tuple[CountLine, ...] = ()
    proposals: tuple[ProposalInput, ...] = ()
    signature: str | None = None


class FileReportStep(_Message):
    inp: PlaceReportInput
    filing: ReportFiling
    filed_at: datetime


class PlaceReportAnswer(_Message):
    stage: ReportStage
    report_id: UUID | None = None
    filed_at: datetime | None = None
    pending_adjustments: int = 0


class ReportNotice(_Message):
    """A reminder or an escalation to tell, once, about one place's report of one day."""

    place_code: str
    district_code: str
    report_date: date
    kind: NoticeKind
    deadline: datetime


class ReportOpening(_Message):
    """One run of the daily opener: the day is the city's today when the run starts, unless given."""

    day: date | None = None
    policy: PlaceReportPolicy = Field(default_factory=PlaceReportPolicy)


class ReportingPlace(_Message):
    place_code: str
    district_code: str


class OpenedReports(_Message):
    day: date
    opened: int  # workflows started by this run
    already: int  # started before (a retried or repeated run)
