"""Two reads of the stock ledger by index:
- issues by place and time: days of cover divide a place's free bags by what it issued over the last week, and
  without this index that read walks every issue the place (or, for the city's overview, the city) ever made;
- movement keys by prefix: a repeated action finds the movements written under its key (`key:…`) with LIKE, which
  the unique index cannot serve in a database whose collation is not C (C.UTF-8 here): every pick walked the whole
  ledger.

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
    op.create_index(
        "ix_stock_movements_key_prefix",
        "stock_movements",
        ["idempotency_key"],
        postgresql_ops={"idempotency_key": "text_pattern_ops"},
    )


def downgrade() -> None:
    op.drop_index("ix_stock_movements_key_prefix", "stock_movements")
    op.drop_index("ix_stock_movements_issues_place_at", "stock_movements")
