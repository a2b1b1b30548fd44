"""Donors, their donations and each donation's lines, as announced and as received.

A donor's contact details are encrypted (db/encrypted.py) and matched by a keyed hash of the phone; nothing of
them reaches a workflow. A line's received quantity, inspection and lot are written once, with the donation's
stage, by the donation workflow's stocking step (activities/donation.py); the CHECKs keep a line's receipt whole.
"""

import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, CreatedAt
from db.encrypted import EncryptedString

QUANTITY = Numeric(14, 3)


class Donor(CreatedAt, Base):
    __tablename__ = "donors"
    __table_args__ = (
        CheckConstraint("kind IN ('organisation', 'person')", name="kind"),
        CheckConstraint("origin IN ('domestic', 'overseas')", name="origin"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    origin: Mapped[str] = mapped_column(String(16))
    # A person's name is personal data: encrypted like the contact, for organisations too (one rule).
    name: Mapped[str] = mapped_column(EncryptedString("donors.name"))
    contact_name: Mapped[str | None] = mapped_column(EncryptedString("donors.contact_name"))
    contact_phone: Mapped[str] = mapped_column(EncryptedString("donors.contact_phone"))
    contact_email: Mapped[str | None] = mapped_column(EncryptedString("donors.contact_email"))
    phone_hash: Mapped[str] = mapped_column(String(64), index=True)


class Donation(CreatedAt, Base):
    __tablename__ = "donations"
    __table_args__ = (
        CheckConstraint("stage IN ('announced', 'stocked', 'rejected', 'expired', 'cancelled')", name="stage"),
        Index("ix_donations_place_stage_expected", "place_code", "stage", "expected_on"),
        CheckConstraint("lang IN ('vi', 'en')", name="lang"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    donor_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("donors.id"), index=True)
    place_code: Mapped[str] = mapped_column(ForeignKey("supply_places.code"))
    district_code: Mapped[str] = mapped_column(ForeignKey("admin_units.code"), index=True)
    expected_on: Mapped[date]
    # The language of the page (or the API's Accept-Language) the donor announced in: their messages are in it.
    lang: Mapped[str] = mapped_column(String(2), server_default="vi")
    stage: Mapped[str] = mapped_column(String(16), default="announced")
    # The last stage change written (the workflow's seq): a retried step never writes an older one over it.
    stage_seq: Mapped[int] = mapped_column(default=0)
    announced_at: Mapped[datetime]
    received_at: Mapped[datetime | None]
    received_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff_users.id"))
    closed_at: Mapped[datetime | None]


class DonationLine(Base):
    __tablename__ = "donation_lines"
    __table_args__ = (
        UniqueConstraint("donation_id", "line_no", name="uq_donation_lines_donation_line_no"),
        CheckConstraint("announced_quantity > 0", name="announced_positive"),
        CheckConstraint("estimated_value_vnd IS NULL OR estimated_value_vnd >= 0", name="value_not_negative"),
        CheckConstraint("inspection IS NULL OR inspection IN ('accepted', 'rejected')", name="inspection"),
        # A receipt is whole: counted and inspected together; a refusal says why, an acceptance has goods and a lot.
        CheckConstraint("(received_quantity IS NULL) = (inspection IS NULL)", name="receipt_whole"),
        CheckConstraint("inspection <> 'rejected' OR rejection_reason IS NOT NULL", name="rejection_has_reason"),
        CheckConstraint(
            "inspection <> 'accepted' OR (received_quantity > 0 AND lot_id IS NOT NULL)", name="acceptance_has_lot"
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    donation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("donations.id"), index=True)
    line_no: Mapped[int]
    item_code: Mapped[str] = mapped_column(ForeignKey("supply_items.code"))
    announced_quantity: Mapped[Decimal] = mapped_column(QUANTITY)
    expires_on: Mapped[date | None]
    estimated_value_vnd: Mapped[int | None] = mapped_column(BigInteger)
    received_quantity: Mapped[Decimal | None] = mapped_column(QUANTITY)
    inspection: Mapped[str | None] = mapped_column(String(16))
    rejection_reason: Mapped[str | None] = mapped_column(String(300))
    # The lot it became; the lot's own donation_line_id is the foreign key (one direction, no cycle).
    lot_id: Mapped[uuid.UUID | None]
