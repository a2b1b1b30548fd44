"""A household may say it did not receive its bag (within a window after the proof), and the ward records what
it found on any delivery marked for review: the household's word, and the ward's finding, who and when.

Revision ID: 0016_delivery_disputes
Revises: 0015_pledges_notify
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016_delivery_disputes"
down_revision: str | Sequence[str] | None = "0015_pledges_notify"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("deliveries", sa.Column("not_received_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("deliveries", sa.Column("not_received_note", sa.String(500), nullable=True))
    op.add_column("deliveries", sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column(
        "deliveries",
        sa.Column(
            "reviewed_by",
            sa.Uuid(),
            sa.ForeignKey("staff_users.id", name="fk_deliveries_reviewed_by_staff_users"),
            nullable=True,
        ),
    )
    op.add_column("deliveries", sa.Column("review_finding", sa.String(16), nullable=True))
    op.add_column("deliveries", sa.Column("review_note", sa.String(500), nullable=True))
    op.create_check_constraint(
        "review_finding", "deliveries", "review_finding IS NULL OR review_finding IN ('received', 'not_received')"
    )


def downgrade() -> None:
    op.drop_constraint("ck_deliveries_review_finding", "deliveries", type_="check")
    for column in (
        "review_note",
        "review_finding",
        "reviewed_by",
        "reviewed_at",
        "not_received_note",
        "not_received_at",
    ):
        op.drop_column("deliveries", column)
