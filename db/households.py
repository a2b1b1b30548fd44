"""Households, their members, the ward's verified list and the household's one open claim."""

import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, CreatedAt


class Household(CreatedAt, Base):
    __tablename__ = "households"
    __table_args__ = (
        Index("ix_households_ward_address", "ward_code", "address_key"),
        # The entitlement rule and the staff view read a household with those merged into it: without this,
        # each such read scanned every household, and a registration cost grew with the city's registrations.
        Index("ix_households_merged_into", "merged_into", postgresql_where=text("merged_into IS NOT NULL")),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    ward_code: Mapped[str] = mapped_column(ForeignKey("admin_units.code"))
    address: Mapped[str] = mapped_column(String(300))
    address_key: Mapped[str] = mapped_column(String(300))
    phone_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    size: Mapped[int]
    # Set when officials confirmed this household is the same as another: its members moved there.
    merged_into: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("households.id"))
    # Citizens' tokens for this household issued before this moment are refused (a lost phone, a shared one).
    tokens_valid_after: Mapped[datetime | None]


class HouseholdMember(CreatedAt, Base):
    __tablename__ = "household_members"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    household_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("households.id"), index=True)
    full_name: Mapped[str] = mapped_column(String(200))
    # One person belongs to one household: the unique key is what makes "same person" exact.
    national_id_hash: Mapped[str] = mapped_column(String(64), unique=True)
    national_id_last4: Mapped[str] = mapped_column(String(4))
    name_key: Mapped[str] = mapped_column(String(200), server_default="")
    phone_hash: Mapped[str | None] = mapped_column(String(64), index=True)


class WardVerifiedHousehold(Base):
    """The ward's list of households verified as needing support: these skip verification."""

    __tablename__ = "ward_verified_households"

    household_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("households.id"), primary_key=True)
    ward_code: Mapped[str] = mapped_column(ForeignKey("admin_units.code"), index=True)
    verified_at: Mapped[datetime]
    verified_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff_users.id"))


class HouseholdClaim(Base):
    """The household's one open request of a kind. The primary key is the database's guarantee."""

    __tablename__ = "household_claims"
    __table_args__ = (UniqueConstraint("request_id"),)

    household_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("households.id"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    request_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("relief_requests.id"))
    claimed_at: Mapped[datetime]


class HouseholdPairVerdict(Base):
    """An official's answer that two similar households are different, so the pair is not asked again.

    Stored with the smaller id first, so (a, b) and (b, a) are one row.
    """

    __tablename__ = "household_pair_verdicts"
    __table_args__ = (CheckConstraint("household_a < household_b", name="ordered_pair"),)

    household_a: Mapped[uuid.UUID] = mapped_column(ForeignKey("households.id"), primary_key=True)
    household_b: Mapped[uuid.UUID] = mapped_column(ForeignKey("households.id"), primary_key=True)
    decided_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff_users.id"))
    decided_at: Mapped[datetime]
