"""The spoilage watch: each flag it raises, once per place, lot and kind; and notifications that belong to no
relief request nor donation (a flag is told to a supply place's staff and to the city through the same outbox).

Revision ID: 0011_stock_watch
Revises: 0010_donations
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011_stock_watch"
down_revision: str | Sequence[str] | None = "0010_donations"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "stock_expiry_flags",
        sa.Column("place_code", sa.String(32), sa.ForeignKey("supply_places.code"), primary_key=True),
        sa.Column("lot_id", sa.Uuid(), sa.ForeignKey("supply_lots.id"), primary_key=True),
        sa.Column("kind", sa.String(16), primary_key=True),
        sa.Column("item_code", sa.String(32), sa.ForeignKey("supply_items.code"), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=False),
        sa.Column("on_hand", sa.Numeric(14, 3), nullable=False),
        sa.Column(
            "flagged_at", sa.DateTime(timezone=True), server_default=sa.text("statement_timestamp()"), nullable=False
        ),
        sa.CheckConstraint("kind IN ('expiring', 'write_off')", name="kind"),
    )
    op.create_index("ix_stock_expiry_flags_lot_id", "stock_expiry_flags", ["lot_id"])
    op.add_column(
        "notifications", sa.Column("place_code", sa.String(32), sa.ForeignKey("supply_places.code"), nullable=True)
    )
    op.drop_constraint(op.f("ck_notifications_one_subject"), "notifications", type_="check")
    op.create_check_constraint(
        op.f("ck_notifications_one_subject"),
        "notifications",
        "num_nonnulls(request_id, donation_id) = 1 OR (request_id IS NULL AND donation_id IS NULL "
        "AND place_code IS NOT NULL)",
    )
    op.create_index(
        "ix_notifications_place_code",
        "notifications",
        ["place_code"],
        postgresql_where=sa.text("place_code IS NOT NULL"),
    )


def downgrade() -> None:
    op.execute("DELETE FROM notifications WHERE request_id IS NULL AND donation_id IS NULL")
    op.drop_constraint(op.f("ck_notifications_one_subject"), "notifications", type_="check")
    op.create_check_constraint(
        op.f("ck_notifications_one_subject"), "notifications", "num_nonnulls(request_id, donation_id) = 1"
    )
    op.drop_index("ix_notifications_place_code", "notifications")
    op.drop_column("notifications", "place_code")
    op.drop_table("stock_expiry_flags")
