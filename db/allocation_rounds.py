"""An allocation round's record: one row per city day (its stage, the need and problem it solved, the plan's
figures), its proposed and approved lines, and each edit an official made with who and why.

The workflow writes these through short, keyed activities (services/allocation_rounds.py); the pages read them.
"""

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, CreatedAt
from db.supply import QUANTITY


class AllocationRound(CreatedAt, Base):
    __tablename__ = "allocation_rounds"

    round_date: Mapped[date] = mapped_column(primary_key=True)
    stage: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str | None] = mapped_column(String(500))
    # How many times it was solved: a solve's activity writes its lines once, whatever is retried.
    solves: Mapped[int] = mapped_column(default=0)
    need: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list)
    problem: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    plan: Mapped[dict[str, Any] | None] = mapped_column(JSONB)  # the plan's figures, without its lines
    escalated: Mapped[bool] = mapped_column(default=False)
    approved_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff_users.id"))
    approved_at: Mapped[datetime | None]
    updated_at: Mapped[datetime]


class AllocationRoundLine(Base):
    """A line of the round's proposal (`proposed`) or of what an official approved (`approved`)."""

    __tablename__ = "allocation_round_lines"
    __table_args__ = (
        CheckConstraint("version IN ('proposed', 'approved')", name="version"),
        CheckConstraint("quantity > 0", name="positive"),
    )

    round_date: Mapped[date] = mapped_column(ForeignKey("allocation_rounds.round_date"), primary_key=True)
    version: Mapped[str] = mapped_column(String(16), primary_key=True)
    seq: Mapped[int] = mapped_column(primary_key=True)
    from_place: Mapped[str] = mapped_column(ForeignKey("supply_places.code"))
    lot_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("supply_lots.id"))
    to_place: Mapped[str] = mapped_column(ForeignKey("supply_places.code"))
    item_code: Mapped[str] = mapped_column(ForeignKey("supply_items.code"))
    quantity: Mapped[Decimal] = mapped_column(QUANTITY)
    proposed: Mapped[Decimal] = mapped_column(QUANTITY)  # the optimiser's quantity (0 for a line an official added)
    reason: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    why: Mapped[str | None] = mapped_column(String(300))  # the official's reason for an edit
    edited_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff_users.id"))
    shipment_code: Mapped[str | None] = mapped_column(String(48))
