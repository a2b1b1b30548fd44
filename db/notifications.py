"""Notifications to citizens and staff: stored first (an outbox), then sent by the dispatcher (services.notifier)."""

import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base


class Notification(Base):
    __tablename__ = "notifications"
    __table_args__ = (
        UniqueConstraint("request_id", "seq", "audience"),
        # A message is about one relief request or one donation (its donor's).
        CheckConstraint("num_nonnulls(request_id, donation_id) = 1", name="one_subject"),
        Index(
            "uq_notifications_donation_seq_audience",
            "donation_id",
            "seq",
            "audience",
            unique=True,
            postgresql_where=text("donation_id IS NOT NULL"),
        ),
        # The dispatcher's queue: oldest unsent first, without scanning what was sent long ago.
        Index("ix_notifications_unsent", "created_at", "seq", "audience", postgresql_where=text("sent_at IS NULL")),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    request_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("relief_requests.id"), index=True)
    donation_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("donations.id"))
    seq: Mapped[int]
    audience: Mapped[str] = mapped_column(String(16))  # "citizen", "ward" / "district" staff, or "donor"
    unit_code: Mapped[str | None] = mapped_column(ForeignKey("admin_units.code"), index=True)
    event: Mapped[str] = mapped_column(String(40))
    message: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]
    # The dispatcher that claimed it for sending, and until when; a lease that ran out is anyone's again.
    claim_id: Mapped[uuid.UUID | None]
    claimed_until: Mapped[datetime | None]

    @property
    def subject_id(self) -> uuid.UUID:
        """The request or donation it is about: each subject's messages go out in order."""
        subject = self.request_id or self.donation_id
        assert subject is not None  # the table's check: exactly one of the two
        return subject
