"""Issues by place and time: days of cover divide a place's free bags by what it issued over the last week, and
without this index that read walks every issue the place (or, for the city's overview, the city) ever made.

Revision ID: 0009_stock_issue_reads
Revises: 0008_supply_ledger
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_stock_issue_reads"
down_revision: str | Sequence[str] | None = "0008_supply_ledger"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ISSUES = sa.text("kind IN ('issued_household', 'issued_institution')")


def upgrade() -> None:
    op.create_index(
        "ix_stock_movements_issues_place_at", "stock_movements", ["place_code", "occurred_at"], postgresql_where=ISSUES
    )


def downgrade() -> None:
    op.drop_index("ix_stock_movements_issues_place_at", "stock_movements")
