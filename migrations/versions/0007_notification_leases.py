"""Notification dispatchers claim batches under a lease instead of holding a transaction (and a lock) while the
SMS gateway answers: a claimed notification records its claim and until when it holds; a dispatcher that dies
mid-batch lets the lease run out and another sends what it had not marked sent.

Revision ID: 0007_notification_leases
Revises: 0006_address_spelling_keys
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_notification_leases"
down_revision: str | Sequence[str] | None = "0006_address_spelling_keys"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("notifications", sa.Column("claim_id", sa.Uuid(), nullable=True))
    op.add_column("notifications", sa.Column("claimed_until", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    op.drop_column("notifications", "claimed_until")
    op.drop_column("notifications", "claim_id")
