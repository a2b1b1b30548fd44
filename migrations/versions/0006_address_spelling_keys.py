"""Households' address keys recomputed with the spellings people type (Q1, P., F., Đ., HXH, số…) and without the
administrative tail: a key written by the earlier rule would never match one written by the new.

Revision ID: 0006_address_spelling_keys
Revises: 0005_citizen_token_revocation
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from common.addresses import address_key

revision: str = "0006_address_spelling_keys"
down_revision: str | Sequence[str] | None = "0005_citizen_token_revocation"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 5000


def upgrade() -> None:
    bind = op.get_bind()
    last = None
    while True:
        query = "SELECT id, address FROM households" + (" WHERE id > :last" if last else "") + " ORDER BY id LIMIT :n"
        rows = bind.execute(sa.text(query), {"last": last, "n": BATCH}).all()
        if not rows:
            return
        bind.execute(
            sa.text("UPDATE households SET address_key = :key WHERE id = :id"),
            [{"id": row.id, "key": address_key(row.address)} for row in rows],
        )
        last = rows[-1].id


def downgrade() -> None:
    pass  # the earlier keys are not kept; matching works with these
