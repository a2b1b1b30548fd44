"""A notification may be about a pledge (to its helper, the household, the ward or the city): its own subject, so
a pledge's messages keep their order and are written once per (pledge, seq, audience) like a donation's.

Revision ID: 0015_pledges_notify
Revises: 0014_cash_need_public_refs
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015_pledges_notify"
down_revision: str | Sequence[str] | None = "0014_cash_need_public_refs"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ONE_SUBJECT_BEFORE = (
    "num_nonnulls(request_id, donation_id) = 1 OR (request_id IS NULL AND donation_id IS NULL "
    "AND place_code IS NOT NULL)"
)
ONE_SUBJECT = (
    "num_nonnulls(request_id, donation_id, pledge_id) = 1 OR (request_id IS NULL AND donation_id IS NULL "
    "AND pledge_id IS NULL AND place_code IS NOT NULL)"
)


def upgrade() -> None:
    op.add_column(
        "notifications",
        sa.Column("pledge_id", sa.Uuid(), sa.ForeignKey("pledges.id", name="fk_notifications_pledge_id_pledges")),
    )
    op.drop_constraint(op.f("ck_notifications_one_subject"), "notifications", type_="check")
    op.create_check_constraint(op.f("ck_notifications_one_subject"), "notifications", ONE_SUBJECT)
    op.create_index(
        "uq_notifications_pledge_seq_audience",
        "notifications",
        ["pledge_id", "seq", "audience"],
        unique=True,
        postgresql_where=sa.text("pledge_id IS NOT NULL"),
    )


def downgrade() -> None:
    op.execute("DELETE FROM notifications WHERE pledge_id IS NOT NULL")
    op.drop_index("uq_notifications_pledge_seq_audience", table_name="notifications")
    op.drop_constraint(op.f("ck_notifications_one_subject"), "notifications", type_="check")
    op.create_check_constraint(op.f("ck_notifications_one_subject"), "notifications", ONE_SUBJECT_BEFORE)
    op.drop_column("notifications", "pledge_id")
