"""The language a household registered in (vi or en), kept on its request, the one a donor announced in, kept on
the donation, and the one a helper pledged in, kept on the pledge: every message to them is written in it. Those
recorded before are Vietnamese, as their messages were.

Revision ID: 0023_citizen_language
Revises: 0022_private_messages
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0023_citizen_language"
down_revision: str | Sequence[str] | None = "0022_private_messages"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("relief_requests", "donations", "pledges")


def upgrade() -> None:
    for table in TABLES:
        op.add_column(table, sa.Column("lang", sa.String(2), server_default="vi", nullable=False))
        op.create_check_constraint(op.f(f"ck_{table}_lang"), table, "lang IN ('vi', 'en')")


def downgrade() -> None:
    for table in TABLES:
        op.drop_constraint(op.f(f"ck_{table}_lang"), table, type_="check")
        op.drop_column(table, "lang")
