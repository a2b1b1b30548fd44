"""Private messages: threads between a subject's two parties (a cash pledge's household and helper), each side's
report, and the messages, append-only (a trigger: nothing but `read_at`, once, and the retention purge's NULL body
changes a message; none is deleted). A new message's notice goes through the notifications' outbox, keyed by thread.

Revision ID: 0022_private_messages
Revises: 0016_delivery_disputes
Create Date: 2026-12-05
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0022_private_messages"
down_revision: str | Sequence[str] | None = "0021_help_groups"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SIDES = "('household', 'helper')"
# A blocked thread says who blocked; an open one nobody; a closed one keeps whatever it had.
BLOCKED_HAS_SIDE = (
    "(state = 'blocked' AND blocked_by IS NOT NULL) OR (state = 'open' AND blocked_by IS NULL) OR state = 'closed'"
)
ONE_SUBJECT_BEFORE = (
    "num_nonnulls(request_id, donation_id, pledge_id) = 1 OR (request_id IS NULL AND donation_id IS NULL "
    "AND pledge_id IS NULL AND place_code IS NOT NULL)"
)
ONE_SUBJECT = (
    "num_nonnulls(request_id, donation_id, pledge_id, thread_id) = 1 OR (request_id IS NULL AND donation_id "
    "IS NULL AND pledge_id IS NULL AND thread_id IS NULL AND place_code IS NOT NULL)"
)
APPEND_ONLY = """
CREATE FUNCTION private_message_check() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'a private message is never deleted' USING ERRCODE = 'check_violation',
            CONSTRAINT = 'private_message_append_only';
    END IF;
    IF NEW.thread_id <> OLD.thread_id OR NEW.author <> OLD.author OR NEW.created_at <> OLD.created_at
        OR (NEW.body IS DISTINCT FROM OLD.body AND NEW.body IS NOT NULL)
        OR (OLD.read_at IS NOT NULL AND NEW.read_at IS DISTINCT FROM OLD.read_at) THEN
        RAISE EXCEPTION 'a private message is only read, once, or purged' USING ERRCODE = 'check_violation',
            CONSTRAINT = 'private_message_append_only';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER private_message_check BEFORE UPDATE OR DELETE ON private_messages
    FOR EACH ROW EXECUTE FUNCTION private_message_check();
"""


def _fk(column: str, table: str, target: str, nullable: bool) -> "sa.Column[Any]":
    """A foreign key column named by the metadata's convention (a uuid id, or an administrative unit's code)."""
    referred = target.split(".")[0]
    kind = sa.Uuid() if target.endswith(".id") else sa.String(16)
    return sa.Column(column, kind, sa.ForeignKey(target, name=f"fk_{table}_{column}_{referred}"), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "message_threads",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("subject_kind", sa.String(16), nullable=False),
        sa.Column("subject_id", sa.Uuid(), nullable=False),
        _fk("household_id", "message_threads", "households.id", nullable=True),
        _fk("helper_id", "message_threads", "community_helpers.id", nullable=True),
        _fk("ward_code", "message_threads", "admin_units.code", nullable=False),
        _fk("district_code", "message_threads", "admin_units.code", nullable=False),
        sa.Column("state", sa.String(16), server_default="open", nullable=False),
        sa.Column("blocked_by", sa.String(16), nullable=True),
        sa.Column("blocked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reported_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("moderation", sa.String(16), nullable=True),
        _fk("moderated_by", "message_threads", "staff_users.id", nullable=True),
        sa.Column("moderated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("household_shares_phone", sa.Boolean(), server_default="false", nullable=False),
        sa.Column("helper_shares_phone", sa.Boolean(), server_default="false", nullable=False),
        sa.Column("household_notified_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("helper_notified_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("notices", sa.Integer(), server_default="0", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_message_threads"),
        sa.UniqueConstraint("subject_kind", "subject_id", name="uq_message_threads_subject_kind"),
        sa.CheckConstraint("subject_kind IN ('pledge')", name="ck_message_threads_subject_kind"),
        sa.CheckConstraint("state IN ('open', 'blocked', 'closed')", name="ck_message_threads_state"),
        sa.CheckConstraint(f"blocked_by IS NULL OR blocked_by IN {SIDES}", name="ck_message_threads_blocked_by"),
        sa.CheckConstraint(BLOCKED_HAS_SIDE, name="ck_message_threads_blocked_has_side"),
        sa.CheckConstraint(
            "moderation IS NULL OR moderation IN ('cleared', 'closed')", name="ck_message_threads_moderation"
        ),
    )
    op.create_index("ix_message_threads_helper_id", "message_threads", ["helper_id"])
    op.create_index(
        "ix_message_threads_reported",
        "message_threads",
        ["ward_code", "reported_at"],
        postgresql_where=sa.text("reported_at IS NOT NULL AND moderation IS NULL"),
    )
    op.create_table(
        "message_reports",
        _fk("thread_id", "message_reports", "message_threads.id", nullable=False),
        sa.Column("side", sa.String(16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("thread_id", "side", name="pk_message_reports"),
        sa.CheckConstraint(f"side IN {SIDES}", name="ck_message_reports_side"),
    )
    op.create_table(
        "private_messages",
        sa.Column("id", sa.Uuid(), primary_key=True),
        _fk("thread_id", "private_messages", "message_threads.id", nullable=False),
        sa.Column("author", sa.String(16), nullable=False),
        sa.Column("body", sa.Text(), nullable=True),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.text("statement_timestamp()"), nullable=False
        ),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_private_messages"),
        sa.CheckConstraint(f"author IN {SIDES}", name="ck_private_messages_author"),
    )
    op.create_index("ix_private_messages_thread", "private_messages", ["thread_id", "created_at"])
    op.execute(APPEND_ONLY)
    op.add_column("notifications", _fk("thread_id", "notifications", "message_threads.id", nullable=True))
    op.drop_constraint(op.f("ck_notifications_one_subject"), "notifications", type_="check")
    op.create_check_constraint(op.f("ck_notifications_one_subject"), "notifications", ONE_SUBJECT)
    op.create_index(
        "uq_notifications_thread_seq_audience",
        "notifications",
        ["thread_id", "seq", "audience"],
        unique=True,
        postgresql_where=sa.text("thread_id IS NOT NULL"),
    )


def downgrade() -> None:
    op.execute("DELETE FROM notifications WHERE thread_id IS NOT NULL")
    op.drop_index("uq_notifications_thread_seq_audience", table_name="notifications")
    op.drop_constraint(op.f("ck_notifications_one_subject"), "notifications", type_="check")
    op.create_check_constraint(op.f("ck_notifications_one_subject"), "notifications", ONE_SUBJECT_BEFORE)
    op.drop_column("notifications", "thread_id")
    op.execute("DROP TRIGGER private_message_check ON private_messages; DROP FUNCTION private_message_check()")
    op.drop_table("private_messages")
    op.drop_table("message_reports")
    op.drop_table("message_threads")
