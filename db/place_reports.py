"""A place's daily report: what its staff counted and consumed per item, what it proposes for the coming days,
and the count differences that wait for a second person before they reach the ledger.

A report row exists once filed (the workflow holds "open" and "missing"); one per place and day. Every row
names the staff member who filed or counted it.
"""

import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Index, Numeric, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base

QUANTITY = Numeric(14, 3)


class PlaceReport(Base):
    __tablename__ = "place_reports"
    __table_args__ = (
        UniqueConstraint("place_code", "report_date", name="uq_place_reports_place_date"),
        Index("ix_place_reports_district_date", "district_code", "report_date"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    place_code: Mapped[str] = mapped_column(ForeignKey("supply_places.code"))
    district_code: Mapped[str] = mapped_column(ForeignKey("admin_units.code"))
    report_date: Mapped[date]
    filed_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("staff_users.id"), index=True)
    filed_at: Mapped[datetime]
    deadline_at: Mapped[datetime]
    late: Mapped[bool]


class PlaceReportCount(Base):
    """One item of a report: the ledger's on-hand when filed, what was counted and what was consumed."""

    __tablename__ = "place_report_counts"
    __table_args__ = (
        CheckConstraint("counted >= 0", name="counted_not_negative"),
        CheckConstraint("consumed >= 0", name="consumed_not_negative"),
    )

    report_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("place_reports.id", ondelete="CASCADE"), primary_key=True)
    item_code: Mapped[str] = mapped_column(ForeignKey("supply_items.code"), primary_key=True)
    ledger_on_hand: Mapped[Decimal] = mapped_column(QUANTITY)
    counted: Mapped[Decimal] = mapped_column(QUANTITY)
    consumed: Mapped[Decimal] = mapped_column(QUANTITY)


class PlaceReportProposal(Base):
    __tablename__ = "place_report_proposals"
    __table_args__ = (
        CheckConstraint("quantity >= 0", name="quantity_not_negative"),
        CheckConstraint("days BETWEEN 1 AND 14", name="days_range"),
        CheckConstraint("length(reason) > 0", name="has_reason"),
    )

    report_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("place_reports.id", ondelete="CASCADE"), primary_key=True)
    line_no: Mapped[int] = mapped_column(primary_key=True)
    item_code: Mapped[str] = mapped_column(ForeignKey("supply_items.code"))
    quantity: Mapped[Decimal] = mapped_column(QUANTITY)
    days: Mapped[int]
    reason: Mapped[str] = mapped_column(String(500))


class PlaceReportAdjustment(Base):
    """A counted difference from the ledger, pending until a second person approves it; only then is it written
    to the ledger (movements keyed by the adjustment's id, so a retried approval writes nothing twice)."""

    __tablename__ = "place_report_adjustments"
    __table_args__ = (
        UniqueConstraint("report_id", "item_code", name="uq_place_report_adjustments_report_item"),
        CheckConstraint("difference <> 0", name="not_zero"),
        CheckConstraint("state IN ('pending', 'approved')", name="state"),
        CheckConstraint("(state = 'approved') = (approved_by IS NOT NULL)", name="approval_whole"),
        CheckConstraint("approved_by IS NULL OR approved_by <> counted_by", name="second_person"),
        Index("ix_place_report_adjustments_place_pending", "place_code", postgresql_where=text("state = 'pending'")),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    report_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("place_reports.id", ondelete="CASCADE"))
    place_code: Mapped[str] = mapped_column(ForeignKey("supply_places.code"))
    item_code: Mapped[str] = mapped_column(ForeignKey("supply_items.code"))
    ledger_on_hand: Mapped[Decimal] = mapped_column(QUANTITY)
    counted: Mapped[Decimal] = mapped_column(QUANTITY)
    difference: Mapped[Decimal] = mapped_column(QUANTITY)
    state: Mapped[str] = mapped_column(String(16), default="pending")
    counted_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("staff_users.id"))
    approved_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff_users.id"))
    approved_at: Mapped[datetime | None]


class PlaceReportNotice(Base):
    """A reminder or a "missing" escalation told for one place's report of one day: its key lets a retried step
    tell nobody twice (the notifications are written in the same transaction)."""

    __tablename__ = "place_report_notices"
    __table_args__ = (CheckConstraint("kind IN ('reminder', 'missing')", name="kind"),)

    place_code: Mapped[str] = mapped_column(ForeignKey("supply_places.code"), primary_key=True)
    report_date: Mapped[date] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    told_at: Mapped[datetime]
