"""A household can revoke its citizens' tokens: every token issued for it before this moment is refused.

Revision ID: 0005_citizen_token_revocation
Revises: 0004_household_merges_index
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_citizen_token_revocation"
down_revision: str | Sequence[str] | None = "0004_household_merges_index"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("households", sa.Column("tokens_valid_after", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    op.drop_column("households", "tokens_valid_after")
