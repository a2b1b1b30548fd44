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
    label: str = Field(description="the event, in the Accept-Language's language (the pages' own words)")
    actor_name: str | None = Field(None, description="the staff member who did it (staff see it)")


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
    bags_in_window: int = Field(0, description="bags delivered within the bag entitlement window")
    cash_confirmed_in_window: int = Field(0, description="VND confirmed received within the cash window")


class Decision(BaseModel):
    """Who decided the verification, what and when (staff see it)."""

    event: str = Field(
        description="approved, rejected, or refused (an approval the merged household's history refused)"
    )
    actor_name: str | None
    occurred_at: datetime


class MergeRefusal(BaseModel):
    """An approval that became a refusal: the official said the household was another one, whose history refuses."""

    refusal: RefusalReason | None
    last_delivered_on: str | None = Field(None, description="dd/mm/yyyy, the merged household's last bag")
    eligible_again_on: str | None = None
    open_request_code: str | None = None


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
    next_step: str = Field(description="what happens next and by when, in the Accept-Language's language")
    # Shown to staff only.
    applicant_name: str | None = None
    applicant_phone_masked: str | None = None
    courier_id: UUID | None = None
    household: HouseholdView | None = None
    probable_duplicate: HouseholdView | None = Field(
        None, description="another household that may be this one: the ward answers same_household when approving"
    )
    courier_name: str | None = None
    decision: Decision | None = None
    merge_refusal: MergeRefusal | None = None
    can_decide: bool = Field(False, description="the caller may decide the verification now")


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
