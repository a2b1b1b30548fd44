"""Donors, donations and their lines; a lot names the donation line it came from; a notification may be a
donor's (about a donation) instead of a relief request's.

Revision ID: 0010_donations
Revises: 0009_stock_issue_reads
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_donations"
down_revision: str | Sequence[str] | None = "0009_stock_issue_reads"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

QUANTITY = sa.Numeric(14, 3)


def upgrade() -> None:
    op.create_table(
        "donors",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("origin", sa.String(16), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("contact_name", sa.Text(), nullable=True),
        sa.Column("contact_phone", sa.Text(), nullable=False),
        sa.Column("contact_email", sa.Text(), nullable=True),
        sa.Column("phone_hash", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.CheckConstraint("kind IN ('organisation', 'person')", name="kind"),
        sa.CheckConstraint("origin IN ('domestic', 'overseas')", name="origin"),
    )
    op.create_index("ix_donors_phone_hash", "donors", ["phone_hash"])
    op.create_table(
        "donations",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("code", sa.String(16), nullable=False),
        sa.Column(
            "donor_id", sa.Uuid(), sa.ForeignKey("donors.id", name="fk_donations_donor_id_donors"), nullable=False
        ),
        sa.Column(
            "place_code",
            sa.String(32),
            sa.ForeignKey("supply_places.code", name="fk_donations_place_code_supply_places"),
            nullable=False,
        ),
        sa.Column(
            "district_code",
            sa.String(16),
            sa.ForeignKey("admin_units.code", name="fk_donations_district_code_admin_units"),
            nullable=False,
        ),
        sa.Column("expected_on", sa.Date(), nullable=False),
        sa.Column("stage", sa.String(16), nullable=False),
        sa.Column("stage_seq", sa.Integer(), nullable=False),
        sa.Column("announced_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "received_by", sa.Uuid(), sa.ForeignKey("staff_users.id", name="fk_donations_received_by_staff_users")
        ),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.UniqueConstraint("code", name="uq_donations_code"),
        sa.CheckConstraint("stage IN ('announced', 'stocked', 'rejected', 'expired', 'cancelled')", name="stage"),
    )
    op.create_index("ix_donations_donor_id", "donations", ["donor_id"])
    op.create_index("ix_donations_district_code", "donations", ["district_code"])
    op.create_index("ix_donations_place_stage_expected", "donations", ["place_code", "stage", "expected_on"])
    op.create_table(
        "donation_lines",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column(
            "donation_id",
            sa.Uuid(),
            sa.ForeignKey("donations.id", name="fk_donation_lines_donation_id_donations"),
            nullable=False,
        ),
        sa.Column("line_no", sa.Integer(), nullable=False),
        sa.Column(
            "item_code",
            sa.String(32),
            sa.ForeignKey("supply_items.code", name="fk_donation_lines_item_code_supply_items"),
            nullable=False,
        ),
        sa.Column("announced_quantity", QUANTITY, nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=True),
        sa.Column("estimated_value_vnd", sa.BigInteger(), nullable=True),
        sa.Column("received_quantity", QUANTITY, nullable=True),
        sa.Column("inspection", sa.String(16), nullable=True),
        sa.Column("rejection_reason", sa.String(300), nullable=True),
        sa.Column("lot_id", sa.Uuid(), nullable=True),
        sa.UniqueConstraint("donation_id", "line_no", name="uq_donation_lines_donation_line_no"),
        sa.CheckConstraint("announced_quantity > 0", name="announced_positive"),
        sa.CheckConstraint("estimated_value_vnd IS NULL OR estimated_value_vnd >= 0", name="value_not_negative"),
        sa.CheckConstraint("inspection IS NULL OR inspection IN ('accepted', 'rejected')", name="inspection"),
        sa.CheckConstraint("(received_quantity IS NULL) = (inspection IS NULL)", name="receipt_whole"),
        sa.CheckConstraint("inspection <> 'rejected' OR rejection_reason IS NOT NULL", name="rejection_has_reason"),
        sa.CheckConstraint(
            "inspection <> 'accepted' OR (received_quantity > 0 AND lot_id IS NOT NULL)",
            name="acceptance_has_lot",
        ),
    )
    op.create_index("ix_donation_lines_donation_id", "donation_lines", ["donation_id"])
    op.create_foreign_key(
        "fk_supply_lots_donation_line_id_donation_lines", "supply_lots", "donation_lines", ["donation_line_id"], ["id"]
    )
    op.alter_column("notifications", "request_id", nullable=True)
    op.add_column(
        "notifications",
        sa.Column(
            "donation_id", sa.Uuid(), sa.ForeignKey("donations.id", name="fk_notifications_donation_id_donations")
        ),
    )
    op.create_check_constraint(
        op.f("ck_notifications_one_subject"), "notifications", "num_nonnulls(request_id, donation_id) = 1"
    )
    op.create_index(
        "uq_notifications_donation_seq_audience",
        "notifications",
        ["donation_id", "seq", "audience"],
        unique=True,
        postgresql_where=sa.text("donation_id IS NOT NULL"),
    )


def downgrade() -> None:
    op.execute("DELETE FROM notifications WHERE donation_id IS NOT NULL")
    op.drop_index("uq_notifications_donation_seq_audience", table_name="notifications")
    op.drop_constraint(op.f("ck_notifications_one_subject"), "notifications", type_="check")
    op.drop_column("notifications", "donation_id")
    op.alter_column("notifications", "request_id", nullable=False)
    op.drop_constraint("fk_supply_lots_donation_line_id_donation_lines", "supply_lots", type_="foreignkey")
    op.drop_table("donation_lines")
    op.drop_table("donations")
    op.drop_table("donors")
