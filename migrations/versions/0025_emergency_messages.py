"""Private messages about an emergency: a thread's subject may be an emergency, and a subject holds one thread per
helper (an emergency released and claimed again by someone else is a new conversation; the poster's block of a
helper still holds if that helper claims it again). A pledge has one helper, so its threads are unchanged.

Revision ID: 0025_emergency_messages
Revises: 0024_emergency_notices
Create Date: 2026-12-05
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0025_emergency_messages"
down_revision: str | Sequence[str] | None = "0024_emergency_notices"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# 0022 named its CHECK through the naming convention twice; it takes the model's name here.
DOUBLED = "ck_message_threads_ck_message_threads_subject_kind"


def upgrade() -> None:
    op.drop_constraint(op.f(DOUBLED), "message_threads", type_="check")
    op.create_check_constraint(
        op.f("ck_message_threads_subject_kind"), "message_threads", "subject_kind IN ('pledge', 'emergency')"
    )
    op.drop_constraint(op.f("uq_message_threads_subject_kind"), "message_threads", type_="unique")
    op.create_unique_constraint(
        op.f("uq_message_threads_subject_helper"), "message_threads", ["subject_kind", "subject_id", "helper_id"]
    )


def downgrade() -> None:
    # Messages are append-only (0022's trigger): emergencies' conversations are not deleted to go back.
    op.execute(
        "DO $$ BEGIN IF EXISTS (SELECT 1 FROM message_threads WHERE subject_kind = 'emergency') THEN "
        "RAISE EXCEPTION 'emergency message threads exist: they cannot be kept before 0025'; END IF; END $$"
    )
    op.drop_constraint(op.f("uq_message_threads_subject_helper"), "message_threads", type_="unique")
    op.create_unique_constraint(
        op.f("uq_message_threads_subject_kind"), "message_threads", ["subject_kind", "subject_id"]
    )
    op.drop_constraint(op.f("ck_message_threads_subject_kind"), "message_threads", type_="check")
    op.create_check_constraint(op.f(DOUBLED), "message_threads", "subject_kind IN ('pledge')")
