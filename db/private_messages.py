"""Private message threads, their reports and their messages.

A thread is one subject's and one helper's (`subject_kind`, `subject_id`, `helper_id`: unique; a pledge has one
helper, an emergency one per helper who claimed it), between a household side and that helper side; the
ward and district are the subject's, copied when the thread opens, so moderation reads its scope without the
subject. Message bodies and report reasons are encrypted; a purged message keeps its row (who wrote when) with its
body NULL. Migration 0022's trigger keeps messages append-only: nothing but `read_at` (once) and the purge changes
a message, and none is ever deleted.
"""

import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, CreatedAt
from db.encrypted import EncryptedString

SIDES = "('household', 'helper')"


class MessageThread(CreatedAt, Base):
    __tablename__ = "message_threads"
    __table_args__ = (
        UniqueConstraint("subject_kind", "subject_id", "helper_id", name="uq_message_threads_subject_helper"),
        CheckConstraint("subject_kind IN ('pledge', 'emergency')", name="subject_kind"),
        CheckConstraint("state IN ('open', 'blocked', 'closed')", name="state"),
        CheckConstraint(f"blocked_by IS NULL OR blocked_by IN {SIDES}", name="blocked_by"),
        CheckConstraint(
            "(state = 'blocked' AND blocked_by IS NOT NULL) OR (state = 'open' AND blocked_by IS NULL) "
            "OR state = 'closed'",
            name="blocked_has_side",
        ),
        CheckConstraint("moderation IS NULL OR moderation IN ('cleared', 'closed')", name="moderation"),
        # The ward's moderation list: reported threads not yet decided.
        Index(
            "ix_message_threads_reported",
            "ward_code",
            "reported_at",
            postgresql_where=text("reported_at IS NOT NULL AND moderation IS NULL"),
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    subject_kind: Mapped[str] = mapped_column(String(16))
    subject_id: Mapped[uuid.UUID]
    household_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("households.id"))
    helper_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("community_helpers.id"), index=True)
    ward_code: Mapped[str] = mapped_column(ForeignKey("admin_units.code"))
    district_code: Mapped[str] = mapped_column(ForeignKey("admin_units.code"))
    state: Mapped[str] = mapped_column(String(16), server_default="open")
    blocked_by: Mapped[str | None] = mapped_column(String(16))
    blocked_at: Mapped[datetime | None]
    # When the thread reached the ward's list (its reports reached the policy's number).
    reported_at: Mapped[datetime | None]
    moderation: Mapped[str | None] = mapped_column(String(16))
    moderated_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff_users.id"))
    moderated_at: Mapped[datetime | None]
    # Each side's consent to show its phone number to the other; numbers show only while both hold.
    household_shares_phone: Mapped[bool] = mapped_column(server_default="false")
    helper_shares_phone: Mapped[bool] = mapped_column(server_default="false")
    # The notification throttle: when each side was last told of a new message, and the notifications' sequence.
    household_notified_at: Mapped[datetime | None]
    helper_notified_at: Mapped[datetime | None]
    notices: Mapped[int] = mapped_column(server_default="0")


class MessageReport(CreatedAt, Base):
    """One side's report of a thread: at most one per side."""

    __tablename__ = "message_reports"
    __table_args__ = (CheckConstraint(f"side IN {SIDES}", name="side"),)

    thread_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("message_threads.id"), primary_key=True)
    side: Mapped[str] = mapped_column(String(16), primary_key=True)
    reason: Mapped[str | None] = mapped_column(EncryptedString("message_reports.reason"))


class PrivateMessage(Base):
    __tablename__ = "private_messages"
    __table_args__ = (
        CheckConstraint(f"author IN {SIDES}", name="author"),
        Index("ix_private_messages_thread", "thread_id", "created_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    thread_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("message_threads.id"))
    author: Mapped[str] = mapped_column(String(16))
    # NULL once the retention purge took it.
    body: Mapped[str | None] = mapped_column(EncryptedString("private_messages.body"))
    created_at: Mapped[datetime] = mapped_column(server_default=text("statement_timestamp()"))
    read_at: Mapped[datetime | None]
