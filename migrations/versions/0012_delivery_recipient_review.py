"""A delivery to someone who is not a member of the household says who received it (the courier's stated
relationship or reason) and waits for the ward's review; the recipient's ID is indexed so that a household's
ID used to receive another household's bag is found.

Revision ID: 0012_delivery_recipient_review
Revises: 0011_stock_watch
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012_delivery_recipient_review"
down_revision: str | Sequence[str] | None = "0011_stock_watch"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("deliveries", sa.Column("recipient_relationship", sa.String(300), nullable=True))
    op.add_column("deliveries", sa.Column("needs_review", sa.Boolean(), server_default=sa.false(), nullable=False))
    # Deliveries recorded before the warning existed were never looked at either.
    op.execute("UPDATE deliveries SET needs_review = NOT recipient_matches_household")
    op.create_index("ix_deliveries_recipient_id", "deliveries", ["recipient_national_id_hash"])
    op.create_index("ix_deliveries_for_review", "deliveries", ["request_id"], postgresql_where=sa.text("needs_review"))


def downgrade() -> None:
    op.drop_index("ix_deliveries_for_review", table_name="deliveries")
    op.drop_index("ix_deliveries_recipient_id", table_name="deliveries")
    op.drop_column("deliveries", "needs_review")
    op.drop_column("deliveries", "recipient_relationship")
