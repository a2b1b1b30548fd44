"""Allocation rounds: one per city day with its stage, need, problem and plan, and its proposed and approved
lines (an edited line keeps the optimiser's quantity, who changed it and why).

Revision ID: 0018_allocation_rounds
Revises: 0017_place_reports
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision: str = "0018_allocation_rounds"
down_revision: str | Sequence[str] | None = "0017_place_reports"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

QUANTITY = sa.Numeric(14, 3)


def _fk(table: str, column: str, target: str) -> sa.ForeignKey:
    return sa.ForeignKey(target, name=f"fk_{table}_{column}_{target.split('.')[0]}")


def upgrade() -> None:
    op.create_table(
        "allocation_rounds",
        sa.Column("round_date", sa.Date(), primary_key=True),
        sa.Column("stage", sa.String(32), nullable=False),
        sa.Column("reason", sa.String(500), nullable=True),
        sa.Column("solves", sa.Integer(), nullable=False),
        sa.Column("need", JSONB(), nullable=False),
        sa.Column("problem", JSONB(), nullable=True),
        sa.Column("plan", JSONB(), nullable=True),
        sa.Column("escalated", sa.Boolean(), nullable=False),
        sa.Column("approved_by", sa.Uuid(), _fk("allocation_rounds", "approved_by", "staff_users.id"), nullable=True),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    )
    t = "allocation_round_lines"
    op.create_table(
        t,
        sa.Column("round_date", sa.Date(), _fk(t, "round_date", "allocation_rounds.round_date"), primary_key=True),
        sa.Column("version", sa.String(16), primary_key=True),
        sa.Column("seq", sa.Integer(), primary_key=True),
        sa.Column("from_place", sa.String(32), _fk(t, "from_place", "supply_places.code"), nullable=False),
        sa.Column("lot_id", sa.Uuid(), _fk(t, "lot_id", "supply_lots.id"), nullable=False),
        sa.Column("to_place", sa.String(32), _fk(t, "to_place", "supply_places.code"), nullable=False),
        sa.Column("item_code", sa.String(32), _fk(t, "item_code", "supply_items.code"), nullable=False),
        sa.Column("quantity", QUANTITY, nullable=False),
        sa.Column("proposed", QUANTITY, nullable=False),
        sa.Column("reason", JSONB(), nullable=True),
        sa.Column("why", sa.String(300), nullable=True),
        sa.Column("edited_by", sa.Uuid(), _fk(t, "edited_by", "staff_users.id"), nullable=True),
        sa.Column("shipment_code", sa.String(48), nullable=True),
        sa.CheckConstraint("version IN ('proposed', 'approved')", name="version"),
        sa.CheckConstraint("quantity > 0", name="positive"),
    )


def downgrade() -> None:
    op.drop_table("allocation_round_lines")
    op.drop_table("allocation_rounds")
