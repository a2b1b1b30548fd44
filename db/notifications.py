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
        Index("ix_notifications_place_code", "place_code", postgresql_where=text("place_code IS NOT NULL")),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    # None for a message about a supply place's stock (the spoilage watch), which `place_code` names.
    request_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("relief_requests.id"), index=True)
    seq: Mapped[int]
    audience: Mapped[str] = mapped_column(String(16))  # "citizen", "ward" / "district" / "city" or "place" staff
    unit_code: Mapped[str | None] = mapped_column(ForeignKey("admin_units.code"), index=True)
    place_code: Mapped[str | None] = mapped_column(ForeignKey("supply_places.code"))
    event: Mapped[str] = mapped_column(String(40))
    message: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]
    # The dispatcher that claimed it for sending, and until when; a lease that ran out is anyone's again.
    claim_id: Mapped[uuid.UUID | None]
    claimed_until: Mapped[datetime | None]
