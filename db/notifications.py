"""Notifications to citizens and staff: stored first (an outbox), then sent by the dispatcher (services.notifier)."""

import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base

ONE_SUBJECT = (
    "num_nonnulls(request_id, donation_id, pledge_id, thread_id, emergency_id) = 1 OR (request_id IS NULL AND "
    "donation_id IS NULL AND pledge_id IS NULL AND thread_id IS NULL AND emergency_id IS NULL AND place_code IS NOT "
    "NULL)"
)


class Notification(Base):
    __tablename__ = "notifications"
    __table_args__ = (
        UniqueConstraint("request_id", "seq", "audience"),
        # A message is about one relief request, one donation (its donor's), one pledge, one private message thread,
        # one emergency, or else a supply place's stock.
        CheckConstraint(ONE_SUBJECT, name="one_subject"),
        Index(
            "uq_notifications_thread_seq_audience",
            "thread_id",
            "seq",
            "audience",
            unique=True,
            postgresql_where=text("thread_id IS NOT NULL"),
        ),
        Index(
            "uq_notifications_emergency_seq_audience",
            "emergency_id",
            "seq",
            "audience",
            unique=True,
            postgresql_where=text("emergency_id IS NOT NULL"),
        ),
        Index(
            "uq_notifications_pledge_seq_audience",
            "pledge_id",
            "seq",
            "audience",
            unique=True,
            postgresql_where=text("pledge_id IS NOT NULL"),
        ),
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
        Index("ix_notifications_place_code", "place_code", postgresql_where=text("place_code IS NOT NULL")),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    # None for a message about a donation (`donation_id`) or a supply place's stock (`place_code`, the spoilage watch).
    request_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("relief_requests.id"), index=True)
    donation_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("donations.id"))
    pledge_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("pledges.id"))
    # A new private message's notice (never its text): to the thread's other side.
    thread_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("message_threads.id"))
    # An emergency's: to its ward's and the city's officials when it waits too long, to its poster as it goes.
    emergency_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("emergencies.id"))
    seq: Mapped[int]
    # "citizen", "ward" / "district" / "city" or "place" staff, "donor", a pledge's "helper", an emergency's "poster"
    audience: Mapped[str] = mapped_column(String(16))
    unit_code: Mapped[str | None] = mapped_column(ForeignKey("admin_units.code"), index=True)
    place_code: Mapped[str | None] = mapped_column(ForeignKey("supply_places.code"))
    event: Mapped[str] = mapped_column(String(40))
    message: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]
    # The dispatcher that claimed it for sending, and until when; a lease that ran out is anyone's again.
    claim_id: Mapped[uuid.UUID | None]
    claimed_until: Mapped[datetime | None]

    @property
    def subject_id(self) -> uuid.UUID | None:
        """The request, donation, pledge, thread or emergency it is about: each subject's messages go out in order.
        None for a message about a place's stock, which keeps no order with others."""
        return self.request_id or self.donation_id or self.pledge_id or self.thread_id or self.emergency_id
