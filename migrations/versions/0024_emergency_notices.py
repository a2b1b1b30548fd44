"""Emergencies reach people through the notifications' outbox, and leave with the retention purge.

A notification may be about an emergency (once per emergency, step and audience); an emergency keeps the language
its poster reads and when the purge erased its personal data; its history stays append-only except that the purge
may clear an event's note (a reason an official typed may name someone), and nothing else.

Revision ID: 0024_emergency_notices
Revises: 0023_citizen_language
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0024_emergency_notices"
down_revision: str | Sequence[str] | None = "0023_citizen_language"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ONE_SUBJECT_BEFORE = (
    "num_nonnulls(request_id, donation_id, pledge_id, thread_id) = 1 OR (request_id IS NULL AND donation_id "
    "IS NULL AND pledge_id IS NULL AND thread_id IS NULL AND place_code IS NOT NULL)"
)
ONE_SUBJECT = (
    "num_nonnulls(request_id, donation_id, pledge_id, thread_id, emergency_id) = 1 OR (request_id IS NULL AND "
    "donation_id IS NULL AND pledge_id IS NULL AND thread_id IS NULL AND emergency_id IS NULL AND place_code IS NOT "
    "NULL)"
)
APPEND_ONLY_BUT_THE_NOTE = """
CREATE OR REPLACE FUNCTION emergency_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.note IS NULL
       AND (NEW.emergency_id, NEW.seq, NEW.event, NEW.at, NEW.state, NEW.helper_id, NEW.staff_id)
           IS NOT DISTINCT FROM (OLD.emergency_id, OLD.seq, OLD.event, OLD.at, OLD.state, OLD.helper_id, OLD.staff_id)
    THEN
        RETURN NEW;  -- the retention purge clearing the note
    END IF;
    RAISE EXCEPTION 'an emergency''s history is append-only' USING ERRCODE = 'check_violation',
        CONSTRAINT = 'emergency_events_append_only';
END $$;
"""
APPEND_ONLY = """
CREATE OR REPLACE FUNCTION emergency_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'an emergency''s history is append-only' USING ERRCODE = 'check_violation',
        CONSTRAINT = 'emergency_events_append_only';
END $$;
"""


def upgrade() -> None:
    op.add_column(
        "notifications",
        sa.Column(
            "emergency_id",
            sa.Uuid(),
            sa.ForeignKey("emergencies.id", name="fk_notifications_emergency_id_emergencies"),
            nullable=True,
        ),
    )
    op.drop_constraint(op.f("ck_notifications_one_subject"), "notifications", type_="check")
    op.create_check_constraint(op.f("ck_notifications_one_subject"), "notifications", ONE_SUBJECT)
    op.create_index(
        "uq_notifications_emergency_seq_audience",
        "notifications",
        ["emergency_id", "seq", "audience"],
        unique=True,
        postgresql_where=sa.text("emergency_id IS NOT NULL"),
    )
    op.add_column("emergencies", sa.Column("poster_lang", sa.String(2), server_default="vi", nullable=False))
    op.create_check_constraint(op.f("ck_emergencies_poster_lang"), "emergencies", "poster_lang IN ('vi', 'en')")
    op.add_column("emergencies", sa.Column("purged_at", sa.DateTime(timezone=True), nullable=True))
    op.execute(APPEND_ONLY_BUT_THE_NOTE)


def downgrade() -> None:
    op.execute(APPEND_ONLY)
    op.drop_column("emergencies", "purged_at")
    op.drop_constraint(op.f("ck_emergencies_poster_lang"), "emergencies", type_="check")
    op.drop_column("emergencies", "poster_lang")
    op.execute("DELETE FROM notifications WHERE emergency_id IS NOT NULL")
    op.drop_index("uq_notifications_emergency_seq_audience", table_name="notifications")
    op.drop_constraint(op.f("ck_notifications_one_subject"), "notifications", type_="check")
    op.create_check_constraint(op.f("ck_notifications_one_subject"), "notifications", ONE_SUBJECT_BEFORE)
    op.drop_column("notifications", "emergency_id")
