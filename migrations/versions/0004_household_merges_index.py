"""A household with those merged into it is read by index: the entitlement rule and the staff view did a
sequential scan of every household for it, so each registration cost more as the city registered (found by
the peak-day benchmark: 1.1 billion rows read in its first 30,000 requests).

Revision ID: 0004_household_merges_index
Revises: 0003_notification_dispatch
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_household_merges_index"
down_revision: str | Sequence[str] | None = "0003_notification_dispatch"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_households_merged_into",
        "households",
        ["merged_into"],
        postgresql_where=sa.text("merged_into IS NOT NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_households_merged_into", table_name="households")
