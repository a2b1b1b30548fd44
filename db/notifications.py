"""Notifications to citizens and staff: stored first (an outbox), then sent by the dispatcher (services.notifier)."""

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base


class Notification(Base):
    __tablename__ = "notifications"
    __table_args__ = (
        UniqueConstraint("request_id", "seq", "audience"),
        # The dispatcher's queue: oldest unsent first, without scanning what was sent long ago.
        Index("ix_notifications_unsent", "created_at", "seq", "audience", postgresql_where=text("sent_at IS NULL")),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    request_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("relief_requests.id"), index=True)
    seq: Mapped[int]
    audience: Mapped[str] = mapped_column(String(16))  # "citizen" or "ward" / "district" staff
    unit_code: Mapped[str | None] = mapped_column(ForeignKey("admin_units.code"), index=True)
    event: Mapped[str] = mapped_column(String(40))
    message: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]
    # The dispatcher that claimed it for sending, and until when; a lease that ran out is anyone's again.
    claim_id: Mapped[uuid.UUID | None]
    claimed_until: Mapped[datetime | None]
