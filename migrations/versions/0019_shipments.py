"""Shipments between supply places (the allocation round's, or made by hand), their lines and the lots picked.

Revision ID: 0019_shipments
Revises: 0016_delivery_disputes
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019_shipments"
down_revision: str | Sequence[str] | None = "0018_allocation_rounds"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

QUANTITY = sa.Numeric(14, 3)
STAGES = "'created', 'picked', 'in_transit', 'received', 'unfilled', 'cancelled', 'lost'"


# Goods that expired on the road arrive all the same: the receipt's `transferred_in` must be written (or the ledger
# would show them in transit for ever), and the destination then writes them off. Leaving an expired lot is still
# refused to every movement but a count or a write-off.
BEFORE = "'adjusted_up', 'adjusted_down', 'written_off'"
AFTER = f"{BEFORE}, 'transferred_in'"


def _movement_rules(exempt: str) -> str:
    return f"""
CREATE OR REPLACE FUNCTION stock_movement_check() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    lot_item text;
    lot_expiry date;
    city_today date := (statement_timestamp() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date;
BEGIN
    SELECT item_code, expires_on INTO lot_item, lot_expiry FROM supply_lots WHERE id = NEW.lot_id;
    IF lot_item IS NULL THEN
        RAISE EXCEPTION 'unknown lot %', NEW.lot_id USING ERRCODE = 'foreign_key_violation';
    END IF;
    NEW.item_code := lot_item;
    IF (NEW.kind IN ('received', 'transferred_in', 'assembled_in', 'adjusted_up')) <> (NEW.quantity > 0) THEN
        RAISE EXCEPTION 'a % movement cannot have quantity %', NEW.kind, NEW.quantity
            USING ERRCODE = 'check_violation', CONSTRAINT = 'ck_stock_movements_sign';
    END IF;
    IF NEW.kind NOT IN ({exempt})
       AND lot_expiry IS NOT NULL AND lot_expiry < city_today THEN
        RAISE EXCEPTION 'lot % expired on %: it can only be written off', NEW.lot_id, lot_expiry
            USING ERRCODE = 'check_violation', CONSTRAINT = 'ck_stock_movements_lot_not_expired';
    END IF;
    RETURN NEW;
END $$;
"""


def _fk(table: str, column: str, target: str) -> sa.ForeignKey:
    referred = target.split(".")[0]
    return sa.ForeignKey(target, name=f"fk_{table}_{column}_{referred}")


def upgrade() -> None:
    op.execute(_movement_rules(AFTER))
    op.create_table(
        "shipments",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("code", sa.String(64), nullable=False),
        sa.Column("round_id", sa.String(64), nullable=True),
        sa.Column("from_place", sa.String(32), _fk("shipments", "from_place", "supply_places.code"), nullable=False),
        sa.Column("to_place", sa.String(32), _fk("shipments", "to_place", "supply_places.code"), nullable=False),
        sa.Column("to_district", sa.String(16), _fk("shipments", "to_district", "admin_units.code"), nullable=False),
        sa.Column("stage", sa.String(16), nullable=False),
        sa.Column("stage_seq", sa.Integer(), nullable=False),
        sa.Column("driver_name", sa.Text(), nullable=True),
        sa.Column("driver_phone", sa.Text(), nullable=True),
        sa.Column("vehicle_plate", sa.String(16), nullable=True),
        sa.Column("picked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("dispatched_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("dispatched_by", sa.Uuid(), _fk("shipments", "dispatched_by", "staff_users.id"), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("received_by", sa.Uuid(), _fk("shipments", "received_by", "staff_users.id"), nullable=True),
        sa.Column("late_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("differences", sa.Integer(), nullable=False),
        sa.Column("receipt_note", sa.String(300), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.UniqueConstraint("code", name="uq_shipments_code"),
        sa.CheckConstraint(f"stage IN ({STAGES})", name="stage"),
        sa.CheckConstraint("from_place <> to_place", name="two_places"),
        sa.CheckConstraint(
            "(dispatched_at IS NULL) = (vehicle_plate IS NULL) AND (dispatched_at IS NULL) = (driver_phone IS NULL)",
            name="dispatch_whole",
        ),
    )
    op.create_index("ix_shipments_round_id", "shipments", ["round_id"])
    op.create_index("ix_shipments_from_stage", "shipments", ["from_place", "stage"])
    op.create_index("ix_shipments_to_stage", "shipments", ["to_place", "stage"])
    op.create_index("ix_shipments_late", "shipments", ["to_district"], postgresql_where=sa.text("late_at IS NOT NULL"))
    op.create_table(
        "shipment_lines",
        sa.Column("shipment_id", sa.Uuid(), _fk("shipment_lines", "shipment_id", "shipments.id"), primary_key=True),
        sa.Column("line_no", sa.Integer(), primary_key=True),
        sa.Column("item_code", sa.String(32), _fk("shipment_lines", "item_code", "supply_items.code"), nullable=False),
        sa.Column("lot_id", sa.Uuid(), _fk("shipment_lines", "lot_id", "supply_lots.id"), nullable=True),
        sa.Column("ordered", QUANTITY, nullable=False),
        sa.Column("picked", QUANTITY, server_default=sa.text("0"), nullable=False),
        sa.Column("dispatched", QUANTITY, nullable=True),
        sa.Column("received", QUANTITY, nullable=True),
        sa.CheckConstraint("ordered > 0", name="ordered_positive"),
        sa.CheckConstraint("picked >= 0 AND picked <= ordered", name="picked_within_ordered"),
        sa.CheckConstraint(
            "dispatched IS NULL OR (dispatched >= 0 AND dispatched <= picked)", name="dispatched_within"
        ),
        sa.CheckConstraint("received IS NULL OR received >= 0", name="received_not_negative"),
    )
    op.create_table(
        "shipment_picks",
        sa.Column("shipment_id", sa.Uuid(), _fk("shipment_picks", "shipment_id", "shipments.id"), primary_key=True),
        sa.Column("line_no", sa.Integer(), primary_key=True),
        sa.Column("lot_id", sa.Uuid(), _fk("shipment_picks", "lot_id", "supply_lots.id"), primary_key=True),
        sa.Column("quantity", QUANTITY, nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=True),
        sa.CheckConstraint("quantity > 0", name="positive"),
    )


def downgrade() -> None:
    op.drop_table("shipment_picks")
    op.drop_table("shipment_lines")
    op.drop_table("shipments")
    op.execute(_movement_rules(BEFORE))
