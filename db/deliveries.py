"""The delivery ledger that the entitlement rule reads, and the courier's failed attempts."""

import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint, false, text
from sqlalchemy.dialects.postgresql import TSTZRANGE, ExcludeConstraint, Range
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base
from db.encrypted import EncryptedString


class Delivery(Base):
    __tablename__ = "deliveries"
    __table_args__ = (
        # A second delivery of a kind to a household inside the entitlement window is impossible here,
        # whatever any process believes (needs btree_gist).
        ExcludeConstraint(
            ("household_id", "="),
            ("kind", "="),
            ("entitled_period", "&&"),
            name="deliveries_one_per_window",
            using="gist",
        ),
        Index("ix_deliveries_household_delivered", "household_id", "delivered_at"),
        Index("ix_deliveries_recipient_id", "recipient_national_id_hash"),
        Index("ix_deliveries_for_review", "request_id", postgresql_where=text("needs_review")),
        CheckConstraint(
            "review_finding IS NULL OR review_finding IN ('received', 'not_received')", name="review_finding"
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    request_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("relief_requests.id"), unique=True)
    household_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("households.id"))
    kind: Mapped[str] = mapped_column(String(32))
    delivered_at: Mapped[datetime]
    # [delivered_at, delivered_at + window) with the window of the policy in force when delivered.
    entitled_period: Mapped[Range[datetime]] = mapped_column(TSTZRANGE)
    courier_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("staff_users.id"))
    photo_path: Mapped[str] = mapped_column(String(300))
    photo_sha256: Mapped[str] = mapped_column(String(64))
    recipient_national_id_hash: Mapped[str] = mapped_column(String(64))
    recipient_national_id_last4: Mapped[str] = mapped_column(String(4))
    recipient_phone: Mapped[str] = mapped_column(EncryptedString("deliveries.recipient_phone"))
    recipient_matches_household: Mapped[bool]
    # Who received it, as the courier said, when the recipient is not a member of the household.
    recipient_relationship: Mapped[str | None] = mapped_column(String(300))
    needs_review: Mapped[bool] = mapped_column(server_default=false())
    # The household's word that the bag never came (within the window after the proof), and the ward's finding on
    # a delivery marked for review: received or not, with a note, who and when.
    not_received_at: Mapped[datetime | None]
    not_received_note: Mapped[str | None] = mapped_column(String(500))
    reviewed_at: Mapped[datetime | None]
    reviewed_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff_users.id"))
    review_finding: Mapped[str | None] = mapped_column(String(16))
    review_note: Mapped[str | None] = mapped_column(String(500))
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]


class DeliveryAttempt(Base):
    __tablename__ = "delivery_attempts"
    __table_args__ = (UniqueConstraint("request_id", "seq"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    request_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("relief_requests.id"), index=True)
    seq: Mapped[int]
    courier_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("staff_users.id"))
    reason: Mapped[str] = mapped_column(String(500))
    occurred_at: Mapped[datetime]
