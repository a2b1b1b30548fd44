"""What the courier and the ward read about a delivery: how to reach the recipient, and what to review."""

from pydantic import BaseModel, Field


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
