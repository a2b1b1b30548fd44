"""The supply ledger: places, items, kits, lots, append-only movements with balances the database keeps, and
bag reservations.

The ledger's rules live here, in the database, so that no code path (a retried activity, a console session, a
second process racing the first) can break them:
- a movement changes its place × lot balance in the same statement (triggers), and the balance's CHECK refuses
  anything below zero: two picks racing for the last units serialise on the balance row and the second fails;
- a movement's sign must match its kind, and its item is its lot's;
- a lot past its expiry date (in city time, by the database's clock) can only be counted or written off;
- movements are never updated or deleted;
- a held reservation counts against what can be picked, and never exceeds what is on hand.

Revision ID: 0008_supply_ledger
Revises: 0007_notification_leases
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_supply_ledger"
down_revision: str | Sequence[str] | None = "0007_notification_leases"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

QUANTITY = sa.Numeric(14, 3)

MOVEMENT_RULES = """
CREATE FUNCTION stock_movement_check() RETURNS trigger LANGUAGE plpgsql AS $$
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
    IF NEW.kind NOT IN ('adjusted_up', 'adjusted_down', 'written_off')
       AND lot_expiry IS NOT NULL AND lot_expiry < city_today THEN
        RAISE EXCEPTION 'lot % expired on %: it can only be written off', NEW.lot_id, lot_expiry
            USING ERRCODE = 'check_violation', CONSTRAINT = 'ck_stock_movements_lot_not_expired';
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER stock_movement_check BEFORE INSERT ON stock_movements
    FOR EACH ROW EXECUTE FUNCTION stock_movement_check();

-- AFTER, not BEFORE: an INSERT ... ON CONFLICT DO NOTHING that finds its key taken fires BEFORE triggers but
-- inserts nothing, and the balance must move only with a movement that was written.
CREATE FUNCTION stock_movement_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE stock_balances SET on_hand = on_hand + NEW.quantity
    WHERE place_code = NEW.place_code AND lot_id = NEW.lot_id;
    -- A first movement into a place: the inserted row is checked too, so nothing can start below zero.
    -- (Not INSERT ... ON CONFLICT alone: its proposed row is checked before the conflict is found.)
    IF NOT FOUND THEN
        INSERT INTO stock_balances (place_code, lot_id, item_code, on_hand, reserved)
        VALUES (NEW.place_code, NEW.lot_id, NEW.item_code, NEW.quantity, 0)
        ON CONFLICT (place_code, lot_id) DO UPDATE SET on_hand = stock_balances.on_hand + EXCLUDED.on_hand;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER stock_movement_apply AFTER INSERT ON stock_movements
    FOR EACH ROW EXECUTE FUNCTION stock_movement_apply();

CREATE FUNCTION stock_movement_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'stock movements are append-only: record a correcting movement instead'
        USING ERRCODE = 'insufficient_privilege';
END $$;

CREATE TRIGGER stock_movement_append_only BEFORE UPDATE OR DELETE ON stock_movements
    FOR EACH ROW EXECUTE FUNCTION stock_movement_append_only();

CREATE FUNCTION bag_reservation_apply() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    lot_expiry date;
    city_today date := (statement_timestamp() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date;
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NEW.state <> 'held' THEN
            RAISE EXCEPTION 'a reservation starts held' USING ERRCODE = 'check_violation';
        END IF;
        SELECT expires_on INTO lot_expiry FROM supply_lots WHERE id = NEW.lot_id;
        IF lot_expiry IS NOT NULL AND lot_expiry < city_today THEN
            RAISE EXCEPTION 'lot % expired on %', NEW.lot_id, lot_expiry
                USING ERRCODE = 'check_violation', CONSTRAINT = 'ck_bag_reservations_lot_not_expired';
        END IF;
        UPDATE stock_balances SET reserved = reserved + 1 WHERE place_code = NEW.place_code AND lot_id = NEW.lot_id;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'no stock of lot % at %', NEW.lot_id, NEW.place_code
                USING ERRCODE = 'check_violation', CONSTRAINT = 'ck_stock_balances_reserved_within_on_hand';
        END IF;
    ELSIF OLD.state = 'held' AND NEW.state <> 'held' THEN
        UPDATE stock_balances SET reserved = reserved - 1 WHERE place_code = OLD.place_code AND lot_id = OLD.lot_id;
    ELSIF OLD.state <> NEW.state OR OLD.lot_id <> NEW.lot_id OR OLD.place_code <> NEW.place_code THEN
        RAISE EXCEPTION 'a closed reservation does not change' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER bag_reservation_apply AFTER INSERT OR UPDATE ON bag_reservations
    FOR EACH ROW EXECUTE FUNCTION bag_reservation_apply();
"""


def upgrade() -> None:
    op.create_table(
        "supply_places",
        sa.Column("code", sa.String(32), primary_key=True),
        sa.Column("kind", sa.String(32), nullable=False, index=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("unit_code", sa.String(16), sa.ForeignKey("admin_units.code"), nullable=False, index=True),
        sa.Column("district_code", sa.String(16), sa.ForeignKey("admin_units.code"), nullable=True, index=True),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
    )
    op.create_table(
        "supply_items",
        sa.Column("code", sa.String(32), primary_key=True),
        sa.Column("name_vi", sa.String(100), nullable=False),
        sa.Column("name_en", sa.String(100), nullable=False),
        sa.Column("unit", sa.String(16), nullable=False),
        sa.Column("category", sa.String(32), nullable=False),
        sa.Column("perishable", sa.Boolean(), nullable=False),
        sa.Column("shelf_life_days", sa.Integer(), nullable=False),
        sa.Column("whole_units", sa.Boolean(), nullable=False),
    )
    op.create_table(
        "kit_lines",
        sa.Column("kit_code", sa.String(32), sa.ForeignKey("supply_items.code"), primary_key=True),
        sa.Column("version", sa.Integer(), primary_key=True),
        sa.Column("item_code", sa.String(32), sa.ForeignKey("supply_items.code"), primary_key=True),
        sa.Column("quantity", QUANTITY, nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.CheckConstraint("quantity > 0", name="positive"),
    )
    op.create_table(
        "supply_lots",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("item_code", sa.String(32), sa.ForeignKey("supply_items.code"), nullable=False, index=True),
        sa.Column("expires_on", sa.Date(), nullable=True),
        sa.Column("donation_line_id", sa.Uuid(), nullable=True, index=True),
        sa.Column("kit_version", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    )
    op.create_table(
        "lot_components",
        sa.Column("lot_id", sa.Uuid(), sa.ForeignKey("supply_lots.id"), primary_key=True),
        sa.Column("component_lot_id", sa.Uuid(), sa.ForeignKey("supply_lots.id"), primary_key=True, index=True),
        sa.Column("quantity", QUANTITY, nullable=False),
    )
    op.create_table(
        "stock_balances",
        sa.Column("place_code", sa.String(32), sa.ForeignKey("supply_places.code"), primary_key=True),
        sa.Column("lot_id", sa.Uuid(), sa.ForeignKey("supply_lots.id"), primary_key=True),
        sa.Column("item_code", sa.String(32), sa.ForeignKey("supply_items.code"), nullable=False),
        sa.Column("on_hand", QUANTITY, server_default=sa.text("0"), nullable=False),
        sa.Column("reserved", QUANTITY, server_default=sa.text("0"), nullable=False),
        sa.CheckConstraint("on_hand >= 0", name="not_negative"),
        sa.CheckConstraint("reserved >= 0 AND reserved <= on_hand", name="reserved_within_on_hand"),
    )
    op.create_index("ix_stock_balances_place_item", "stock_balances", ["place_code", "item_code"])
    op.create_table(
        "stock_movements",
        sa.Column("id", sa.BigInteger(), primary_key=True, autoincrement=True),
        sa.Column("idempotency_key", sa.String(160), nullable=False, unique=True),
        sa.Column("place_code", sa.String(32), sa.ForeignKey("supply_places.code"), nullable=False),
        sa.Column("lot_id", sa.Uuid(), sa.ForeignKey("supply_lots.id"), nullable=False),
        sa.Column("item_code", sa.String(32), sa.ForeignKey("supply_items.code"), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False, index=True),
        sa.Column("quantity", QUANTITY, nullable=False),
        sa.Column("counterpart_code", sa.String(32), sa.ForeignKey("supply_places.code"), nullable=True),
        sa.Column("request_code", sa.String(16), nullable=True),
        sa.Column("reason", sa.String(300), nullable=True),
        sa.Column("actor_id", sa.Uuid(), nullable=True),
        sa.Column(
            "occurred_at", sa.DateTime(timezone=True), server_default=sa.text("statement_timestamp()"), nullable=False
        ),
        sa.CheckConstraint("quantity <> 0", name="not_zero"),
    )
    op.create_index("ix_stock_movements_place_lot", "stock_movements", ["place_code", "lot_id"])
    op.create_index(
        "ix_stock_movements_request",
        "stock_movements",
        ["request_code"],
        postgresql_where=sa.text("request_code IS NOT NULL"),
    )
    op.create_table(
        "bag_reservations",
        sa.Column("id", sa.BigInteger(), primary_key=True, autoincrement=True),
        sa.Column("request_code", sa.String(16), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("place_code", sa.String(32), sa.ForeignKey("supply_places.code"), nullable=False),
        sa.Column("lot_id", sa.Uuid(), sa.ForeignKey("supply_lots.id"), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column(
            "reserved_at", sa.DateTime(timezone=True), server_default=sa.text("statement_timestamp()"), nullable=False
        ),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("issued_movement_id", sa.BigInteger(), sa.ForeignKey("stock_movements.id"), nullable=True),
        sa.UniqueConstraint("request_code", "round", name="uq_bag_reservations_request_round"),
        sa.CheckConstraint("state IN ('held', 'issued', 'released')", name="state"),
    )
    op.create_index(
        "uq_bag_reservations_held",
        "bag_reservations",
        ["request_code"],
        unique=True,
        postgresql_where=sa.text("state = 'held'"),
    )
    op.add_column("staff_users", sa.Column("place_code", sa.String(32), nullable=True))
    op.create_foreign_key(
        "fk_staff_users_place_code_supply_places", "staff_users", "supply_places", ["place_code"], ["code"]
    )
    op.create_index("ix_staff_users_place_code", "staff_users", ["place_code"])
    op.execute(MOVEMENT_RULES)


def downgrade() -> None:
    op.drop_index("ix_staff_users_place_code", "staff_users")
    op.drop_constraint("fk_staff_users_place_code_supply_places", "staff_users", type_="foreignkey")
    op.drop_column("staff_users", "place_code")
    for table in ("bag_reservations", "stock_movements", "stock_balances", "lot_components", "supply_lots"):
        op.drop_table(table)
    for table in ("kit_lines", "supply_items", "supply_places"):
        op.drop_table(table)
    op.execute(
        "DROP FUNCTION stock_movement_check, stock_movement_apply, stock_movement_append_only, bag_reservation_apply"
    )
