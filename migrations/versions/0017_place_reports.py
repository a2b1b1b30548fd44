"""Places' daily reports: counted and consumed stock per item, proposals for the coming days, and count
differences pending a second person's approval, and the reminders and escalations told (each once).

Revision ID: 0017_place_reports
Revises: 0016_delivery_disputes
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017_place_reports"
down_revision: str | Sequence[str] | None = "0016_delivery_disputes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

QUANTITY = sa.Numeric(14, 3)


def _fk(table: str, column: str, target: str, ondelete: str | None = None) -> sa.ForeignKey:
    referred = target.split(".")[0]
    return sa.ForeignKey(target, name=f"fk_{table}_{column}_{referred}", ondelete=ondelete)


def upgrade() -> None:
    op.create_table(
        "place_reports",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column(
            "place_code", sa.String(32), _fk("place_reports", "place_code", "supply_places.code"), nullable=False
        ),
        sa.Column(
            "district_code", sa.String(16), _fk("place_reports", "district_code", "admin_units.code"), nullable=False
        ),
        sa.Column("report_date", sa.Date(), nullable=False),
        sa.Column("filed_by", sa.Uuid(), _fk("place_reports", "filed_by", "staff_users.id"), nullable=False),
        sa.Column("filed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deadline_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("late", sa.Boolean(), nullable=False),
        sa.UniqueConstraint("place_code", "report_date", name="uq_place_reports_place_date"),
    )
    op.create_index("ix_place_reports_district_date", "place_reports", ["district_code", "report_date"])
    op.create_index("ix_place_reports_filed_by", "place_reports", ["filed_by"])
    op.create_table(
        "place_report_counts",
        sa.Column(
            "report_id",
            sa.Uuid(),
            _fk("place_report_counts", "report_id", "place_reports.id", "CASCADE"),
            primary_key=True,
        ),
        sa.Column(
            "item_code",
            sa.String(32),
            _fk("place_report_counts", "item_code", "supply_items.code"),
            primary_key=True,
        ),
        sa.Column("ledger_on_hand", QUANTITY, nullable=False),
        sa.Column("counted", QUANTITY, nullable=False),
        sa.Column("consumed", QUANTITY, nullable=False),
        sa.CheckConstraint("counted >= 0", name="counted_not_negative"),
        sa.CheckConstraint("consumed >= 0", name="consumed_not_negative"),
    )
    op.create_table(
        "place_report_proposals",
        sa.Column(
            "report_id",
            sa.Uuid(),
            _fk("place_report_proposals", "report_id", "place_reports.id", "CASCADE"),
            primary_key=True,
        ),
        sa.Column("line_no", sa.Integer(), primary_key=True),
        sa.Column(
            "item_code",
            sa.String(32),
            _fk("place_report_proposals", "item_code", "supply_items.code"),
            nullable=False,
        ),
        sa.Column("quantity", QUANTITY, nullable=False),
        sa.Column("days", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(500), nullable=False),
        sa.CheckConstraint("quantity >= 0", name="quantity_not_negative"),
        sa.CheckConstraint("days BETWEEN 1 AND 14", name="days_range"),
        sa.CheckConstraint("length(reason) > 0", name="has_reason"),
    )
    table = "place_report_adjustments"
    op.create_table(
        table,
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("report_id", sa.Uuid(), _fk(table, "report_id", "place_reports.id", "CASCADE"), nullable=False),
        sa.Column("place_code", sa.String(32), _fk(table, "place_code", "supply_places.code"), nullable=False),
        sa.Column("item_code", sa.String(32), _fk(table, "item_code", "supply_items.code"), nullable=False),
        sa.Column("ledger_on_hand", QUANTITY, nullable=False),
        sa.Column("counted", QUANTITY, nullable=False),
        sa.Column("difference", QUANTITY, nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("counted_by", sa.Uuid(), _fk(table, "counted_by", "staff_users.id"), nullable=False),
        sa.Column("approved_by", sa.Uuid(), _fk(table, "approved_by", "staff_users.id"), nullable=True),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=True),
        sa.UniqueConstraint("report_id", "item_code", name="uq_place_report_adjustments_report_item"),
        sa.CheckConstraint("difference <> 0", name="not_zero"),
        sa.CheckConstraint("state IN ('pending', 'approved')", name="state"),
        sa.CheckConstraint("(state = 'approved') = (approved_by IS NOT NULL)", name="approval_whole"),
        sa.CheckConstraint("approved_by IS NULL OR approved_by <> counted_by", name="second_person"),
    )
    op.create_index(
        "ix_place_report_adjustments_place_pending",
        table,
        ["place_code"],
        postgresql_where=sa.text("state = 'pending'"),
    )
    op.create_table(
        "place_report_notices",
        sa.Column(
            "place_code",
            sa.String(32),
            _fk("place_report_notices", "place_code", "supply_places.code"),
            primary_key=True,
        ),
        sa.Column("report_date", sa.Date(), primary_key=True),
        sa.Column("kind", sa.String(16), primary_key=True),
        sa.Column("told_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("kind IN ('reminder', 'missing')", name="kind"),
    )


def downgrade() -> None:
    op.drop_table("place_report_notices")
    op.drop_table("place_report_adjustments")
    op.drop_table("place_report_proposals")
    op.drop_table("place_report_counts")
    op.drop_table("place_reports")
