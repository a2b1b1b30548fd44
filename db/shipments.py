"""Shipments between supply places, their lines and the lots picked for each line.

Rows are created once from the round's order by the shipment workflow's first step, and each later step writes its
stage over an older one only (`stage_seq`), so a retried step changes nothing. The driver's name and phone are
personal data: encrypted (db/encrypted.py); the plate is a vehicle's, kept in clear for the lists. The stock itself
moves in the ledger (db/supply.py) under the shipment's keys (domain/shipments.shipment_key), never here.
"""

import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Index, Numeric, String, text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, CreatedAt
from db.encrypted import EncryptedString

QUANTITY = Numeric(14, 3)
STAGES = "'created', 'picked', 'in_transit', 'received', 'unfilled', 'cancelled', 'lost'"


class Shipment(CreatedAt, Base):
    __tablename__ = "shipments"
    __table_args__ = (
        CheckConstraint(f"stage IN ({STAGES})", name="stage"),
        CheckConstraint("from_place <> to_place", name="two_places"),
        # Dispatched means a driver and a vehicle were named, together.
        CheckConstraint(
            "(dispatched_at IS NULL) = (vehicle_plate IS NULL) AND (dispatched_at IS NULL) = (driver_phone IS NULL)",
            name="dispatch_whole",
        ),
        Index("ix_shipments_from_stage", "from_place", "stage"),
        Index("ix_shipments_to_stage", "to_place", "stage"),
        Index("ix_shipments_late", "to_district", postgresql_where=text("late_at IS NOT NULL")),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    round_id: Mapped[str | None] = mapped_column(String(64), index=True)
    from_place: Mapped[str] = mapped_column(ForeignKey("supply_places.code"))
    to_place: Mapped[str] = mapped_column(ForeignKey("supply_places.code"))
    to_district: Mapped[str] = mapped_column(ForeignKey("admin_units.code"))
    stage: Mapped[str] = mapped_column(String(16), default="created")
    stage_seq: Mapped[int] = mapped_column(default=1)
    driver_name: Mapped[str | None] = mapped_column(EncryptedString("shipments.driver_name"))
    driver_phone: Mapped[str | None] = mapped_column(EncryptedString("shipments.driver_phone"))
    vehicle_plate: Mapped[str | None] = mapped_column(String(16))
    picked_at: Mapped[datetime | None]
    dispatched_at: Mapped[datetime | None]
    dispatched_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff_users.id"))
    received_at: Mapped[datetime | None]
    received_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff_users.id"))
    # Escalated to the city: waiting for the driver or on the road past the policy's time (cleared by the next step).
    late_at: Mapped[datetime | None]
    # The counts at receipt differed from what was dispatched: adjustments were written and the city was told.
    differences: Mapped[int] = mapped_column(default=0)
    receipt_note: Mapped[str | None] = mapped_column(String(300))
    closed_at: Mapped[datetime | None]


class ShipmentLine(Base):
    __tablename__ = "shipment_lines"
    __table_args__ = (
        CheckConstraint("ordered > 0", name="ordered_positive"),
        CheckConstraint("picked >= 0 AND picked <= ordered", name="picked_within_ordered"),
        CheckConstraint("dispatched IS NULL OR (dispatched >= 0 AND dispatched <= picked)", name="dispatched_within"),
        CheckConstraint("received IS NULL OR received >= 0", name="received_not_negative"),
    )

    shipment_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("shipments.id"), primary_key=True)
    line_no: Mapped[int] = mapped_column(primary_key=True)
    item_code: Mapped[str] = mapped_column(ForeignKey("supply_items.code"))
    lot_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("supply_lots.id"))  # the lot the order named
    ordered: Mapped[Decimal] = mapped_column(QUANTITY)
    picked: Mapped[Decimal] = mapped_column(QUANTITY, server_default=text("0"))
    dispatched: Mapped[Decimal | None] = mapped_column(QUANTITY)
    received: Mapped[Decimal | None] = mapped_column(QUANTITY)


class ShipmentPick(Base):
    """A lot chosen for a line at picking, and how much of it (the dispatch takes these lots)."""

    __tablename__ = "shipment_picks"
    __table_args__ = (CheckConstraint("quantity > 0", name="positive"),)

    shipment_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("shipments.id"), primary_key=True)
    line_no: Mapped[int] = mapped_column(primary_key=True)
    lot_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("supply_lots.id"), primary_key=True)
    quantity: Mapped[Decimal] = mapped_column(QUANTITY)
    expires_on: Mapped[date | None]
