"""What the status page shows of one request, read from the projection."""

from datetime import date, datetime
from uuid import UUID

from pydantic import BaseModel, Field

from domain.stages import EscalationLevel, RefusalReason, RequestKind, Stage


class TimelineEntry(BaseModel):
    seq: int
    event: str
    stage: Stage
    occurred_at: datetime
    label: str = Field(description="the event, in Vietnamese")


class HouseholdView(BaseModel):
    """A household as the ward sees it when deciding whether two are the same."""

    household_id: UUID
    ward_code: str
    address: str
    size: int
    members: list[str] = Field(description="names with the last four digits of their ID numbers")
    registry_categories: list[str]
    last_delivered_on: date | None
    open_request_codes: list[str]


class RequestStatus(BaseModel):
    code: str
    kind: RequestKind
    stage: Stage
    escalation: EscalationLevel
    ward_code: str
    ward_name: str
    district_code: str
    district_name: str
    registered_at: datetime
    updated_at: datetime
    deadline_at: datetime | None
    attempts: int
    refusal: RefusalReason | None = None
    last_delivered_on: date | None = None
    eligible_again_on: date | None = None
    open_request_code: str | None = None
    timeline: list[TimelineEntry]
    next_step: str = Field(description="what happens next and by when, in Vietnamese")
    # Shown to staff only.
    applicant_name: str | None = None
    applicant_phone_masked: str | None = None
    courier_id: UUID | None = None
    household: HouseholdView | None = None
    probable_duplicate: HouseholdView | None = Field(
        None, description="another household that may be this one: the ward answers same_household when approving"
    )


class CitizenNotification(BaseModel):
    seq: int
    event: str
    message: str
    created_at: datetime
    sent_at: datetime | None


class WorkflowDetail(BaseModel):
    workflow_id: str
    temporal_ui_url: str
    state: dict[str, object] = Field(description="the workflow's `state` query, for the detail view")
