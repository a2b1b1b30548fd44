"""A published cash need's public reference: what helpers and links name it by, instead of the request's code
(which opens the household's own page and is read aloud on the hotline). Random, so nothing about the request
can be learned from it; drawn by the database for every need, old ones included.

Revision ID: 0014_cash_need_public_refs
Revises: 0013_cash_support
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014_cash_need_public_refs"
down_revision: str | Sequence[str] | None = "0013_cash_support"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NEW_REF = "upper(substr(md5(gen_random_uuid()::text), 1, 10))"


def upgrade() -> None:
    op.add_column("cash_needs", sa.Column("public_ref", sa.String(12), server_default=sa.text(NEW_REF), nullable=False))
    op.create_unique_constraint("uq_cash_needs_public_ref", "cash_needs", ["public_ref"])


def downgrade() -> None:
    op.drop_constraint("uq_cash_needs_public_ref", "cash_needs", type_="unique")
    op.drop_column("cash_needs", "public_ref")
