"""An emergency's fulfilment photo: the claimer may show what was brought (the stored, re-encoded file's path and
its hash, like a delivery's proof), seen by the poster, the claimer and the ward; the retention purge deletes it.

Revision ID: 0026_emergency_photo
Revises: 0025_emergency_messages
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0026_emergency_photo"
down_revision: str | Sequence[str] | None = "0025_emergency_messages"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("emergencies", sa.Column("fulfilment_photo_path", sa.String(300), nullable=True))
    op.add_column("emergencies", sa.Column("fulfilment_photo_sha256", sa.String(64), nullable=True))
    op.create_check_constraint(
        op.f("ck_emergencies_photo_whole"),
        "emergencies",
        "(fulfilment_photo_path IS NULL) = (fulfilment_photo_sha256 IS NULL)",
    )


def downgrade() -> None:
    op.drop_constraint(op.f("ck_emergencies_photo_whole"), "emergencies", type_="check")
    op.drop_column("emergencies", "fulfilment_photo_sha256")
    op.drop_column("emergencies", "fulfilment_photo_path")
