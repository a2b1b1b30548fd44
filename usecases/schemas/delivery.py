"""What the courier and the ward read about a delivery: how to reach the recipient, and what to review."""

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

from domain.identity import plain_text


class RecipientContact(BaseModel):
    address: str
    ward_name: str
    district_name: str
    phone: str | None = Field(description="in full only to the assigned courier while the request is out for delivery")
    phone_masked: str
    map_url: str


class DeliveryReview(BaseModel):
    needs_review: bool
    recipient_not_member: bool
    recipient_relationship: str | None = Field(description="who received it, as the courier said")
    recipient_national_id_last4: str | None
    recipient_belongs_to: list[str] = Field(description="requests of the household the recipient's ID belongs to")
    received_for_others: list[str] = Field(description="other households' requests a member of this one received")
    delivered_at: datetime | None = None
    not_received_at: datetime | None = Field(None, description="when the household said the bag never came")
    not_received_note: str | None = None
    reviewed_at: datetime | None = None
    reviewer_name: str | None = None
    review_finding: str | None = Field(None, description="the ward's finding: received or not_received")
    review_note: str | None = None


class HouseholdDeliveryWord(BaseModel):
    """What the household may say about its delivered bag, and what it said and the ward found."""

    may_say_not_received: bool
    say_by: datetime | None
    not_received_at: datetime | None
    review_finding: str | None
    reviewed_at: datetime | None


class NotReceivedBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    note: Annotated[str, BeforeValidator(plain_text), StringConstraints(max_length=500)] | None = None


class ReviewFindingBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    received: bool = Field(description="true: the household received its bag; false: it did not")
    note: Annotated[str, BeforeValidator(plain_text), StringConstraints(max_length=500)] | None = None
