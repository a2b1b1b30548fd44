"""Notifications are sent by a dispatcher, oldest unsent first: a partial index finds them without a scan.
Also joins the two 0002 branches.

Revision ID: 0003_notification_dispatch
Revises: 0002_identity, 0002_trust
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_notification_dispatch"
down_revision: str | Sequence[str] | None = ("0002_identity", "0002_trust")
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_notifications_unsent",
        "notifications",
        ["created_at", "seq", "audience"],
        postgresql_where=sa.text("sent_at IS NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_notifications_unsent", table_name="notifications")
