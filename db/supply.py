"""The supply ledger's tables: places, the item catalogue, kits, lots, append-only movements, balances and bag
reservations.

Balances are kept by triggers on movements and reservations (migration 0008), and their CHECK constraints are
the ledger's rules: no balance below zero, no more reserved than on hand. Movements refuse UPDATE and DELETE,
and a lot past its expiry date can leave only by a count or a write-off; the database enforces both.
"""

import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, Numeric, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, CreatedAt

QUANTITY = Numeric(14, 3)


class SupplyPlace(Base):
    __tablename__ = "supply_places"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32), index=True)
    name: Mapped[str] = mapped_column(String(200))
    # The ward of a ward point, the district of a district warehouse or institution, the city for its warehouses.
    unit_code: Mapped[str] = mapped_column(ForeignKey("admin_units.code"), index=True)
    district_code: Mapped[str | None] = mapped_column(ForeignKey("admin_units.code"), index=True)
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]
    active: Mapped[bool] = mapped_column(default=True)


class SupplyItem(Base):
    __tablename__ = "supply_items"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name_vi: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(100))
    unit: Mapped[str] = mapped_column(String(16))
    category: Mapped[str] = mapped_column(String(32))
    perishable: Mapped[bool]
    shelf_life_days: Mapped[int]
    whole_units: Mapped[bool] = mapped_column(default=True)


class KitLine(Base):
    """One line of one version of a kit (the food bag): a city changes the contents by adding a version."""

    __tablename__ = "kit_lines"
    __table_args__ = (CheckConstraint("quantity > 0", name="positive"),)

    kit_code: Mapped[str] = mapped_column(ForeignKey("supply_items.code"), primary_key=True)
    version: Mapped[int] = mapped_column(primary_key=True)
    item_code: Mapped[str] = mapped_column(ForeignKey("supply_items.code"), primary_key=True)
    quantity: Mapped[Decimal] = mapped_column(QUANTITY)
    effective_from: Mapped[date]


class Lot(CreatedAt, Base):
    """Goods of one item that arrived together (a donation line) or were assembled together (bags)."""

    __tablename__ = "supply_lots"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    item_code: Mapped[str] = mapped_column(ForeignKey("supply_items.code"), index=True)
    expires_on: Mapped[date | None]
    donation_line_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("donation_lines.id"), index=True)
    kit_version: Mapped[int | None]


class LotComponent(Base):
    """What a lot of bags was made of: each component lot and the quantity of it in one bag."""

    __tablename__ = "lot_components"

    lot_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("supply_lots.id"), primary_key=True)
    component_lot_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("supply_lots.id"), primary_key=True, index=True)
    quantity: Mapped[Decimal] = mapped_column(QUANTITY)


class StockBalance(Base):
    __tablename__ = "stock_balances"
    __table_args__ = (
        CheckConstraint("on_hand >= 0", name="not_negative"),
        CheckConstraint("reserved >= 0 AND reserved <= on_hand", name="reserved_within_on_hand"),
        Index("ix_stock_balances_place_item", "place_code", "item_code"),
    )

    place_code: Mapped[str] = mapped_column(ForeignKey("supply_places.code"), primary_key=True)
    lot_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("supply_lots.id"), primary_key=True)
    item_code: Mapped[str] = mapped_column(ForeignKey("supply_items.code"))
    on_hand: Mapped[Decimal] = mapped_column(QUANTITY, server_default=text("0"))
    reserved: Mapped[Decimal] = mapped_column(QUANTITY, server_default=text("0"))


class StockMovement(Base):
    __tablename__ = "stock_movements"
    __table_args__ = (
        CheckConstraint("quantity <> 0", name="not_zero"),
        Index("ix_stock_movements_place_lot", "place_code", "lot_id"),
        Index("ix_stock_movements_request", "request_code", postgresql_where=text("request_code IS NOT NULL")),
        # Days of cover: a place's issues of the last week (migration 0009).
        Index(
            "ix_stock_movements_issues_place_at",
            "place_code",
            "occurred_at",
            postgresql_where=text("kind IN ('issued_household', 'issued_institution')"),
        ),
        # A repeated action's movements by key prefix (LIKE 'key:%'): the unique index serves only a C collation.
        Index(
            "ix_stock_movements_key_prefix", "idempotency_key", postgresql_ops={"idempotency_key": "text_pattern_ops"}
        ),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    idempotency_key: Mapped[str] = mapped_column(String(160), unique=True)
    place_code: Mapped[str] = mapped_column(ForeignKey("supply_places.code"))
    lot_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("supply_lots.id"))
    item_code: Mapped[str] = mapped_column(ForeignKey("supply_items.code"))
    kind: Mapped[str] = mapped_column(String(32), index=True)
    # Signed: positive into the place, negative out of it (the trigger checks the sign against the kind).
    quantity: Mapped[Decimal] = mapped_column(QUANTITY)
    counterpart_code: Mapped[str | None] = mapped_column(ForeignKey("supply_places.code"))
    request_code: Mapped[str | None] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(String(300))
    actor_id: Mapped[uuid.UUID | None]
    occurred_at: Mapped[datetime] = mapped_column(server_default=text("statement_timestamp()"))


class BagReservation(Base):
    """A bag held at a ward point for one request, until it is issued to the household or released."""

    __tablename__ = "bag_reservations"
    __table_args__ = (
        UniqueConstraint("request_code", "round", name="uq_bag_reservations_request_round"),
        Index(
            "uq_bag_reservations_held",
            "request_code",
            unique=True,
            postgresql_where=text("state = 'held'"),
        ),
        CheckConstraint("state IN ('held', 'issued', 'released')", name="state"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    request_code: Mapped[str] = mapped_column(String(16))
    # A request can hold a bag again after one was released (a failed attempt, back to the ward, dispatched again).
    round: Mapped[int]
    place_code: Mapped[str] = mapped_column(ForeignKey("supply_places.code"))
    lot_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("supply_lots.id"))
    state: Mapped[str] = mapped_column(String(16), default="held")
    reserved_at: Mapped[datetime] = mapped_column(server_default=text("statement_timestamp()"))
    closed_at: Mapped[datetime | None]
    issued_movement_id: Mapped[int | None] = mapped_column(ForeignKey("stock_movements.id"))
