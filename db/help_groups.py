"""Help groups, where they help, when they are open, and the community helper accounts that act for them.

A decision moves the state only from the one it expects (an UPDATE guarded by the state, services/help_groups.py):
pending → verified | refused, verified → suspended; two officials deciding at once make one decision. The CHECKs
keep a verified group with who verified it, when and in which unit, and a refused or suspended one with its reason.
The private contact phone is encrypted; the public hotline is in clear because the group chose to publish it.
"""

import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, SmallInteger, String, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, CreatedAt
from db.encrypted import EncryptedString


class HelpGroup(CreatedAt, Base):
    __tablename__ = "help_groups"
    __table_args__ = (
        CheckConstraint("kind IN ('charity', 'free_meals', 'medical_team', 'district_centre', 'other')", name="kind"),
        CheckConstraint(
            "cardinality(help_kinds) >= 1 AND help_kinds <@ "
            "ARRAY['food', 'medicine', 'transport', 'cash', 'other']::varchar[]",
            name="help_kinds",
        ),
        CheckConstraint("state IN ('pending', 'verified', 'refused', 'suspended')", name="state"),
        CheckConstraint(
            "state <> 'verified' OR (verified_by IS NOT NULL AND verified_at IS NOT NULL AND verified_in IS NOT NULL)",
            name="verified_by_someone",
        ),
        CheckConstraint("state <> 'refused' OR refusal_reason IS NOT NULL", name="refused_with_reason"),
        CheckConstraint(
            "state <> 'suspended' OR (suspension_reason IS NOT NULL AND suspended_at IS NOT NULL)",
            name="suspended_with_reason",
        ),
        Index("ix_help_groups_state_kind", "state", "kind"),
        Index("ix_help_groups_help_kinds", "help_kinds", postgresql_using="gin"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    # The public page's address (/nhom-ho-tro/<code>): random, says nothing of who registered it.
    code: Mapped[str] = mapped_column(
        String(12), unique=True, server_default=text("upper(substr(md5(gen_random_uuid()::text), 1, 8))")
    )
    name: Mapped[str] = mapped_column(String(200))
    # The name without diacritics, lower case: what the directory's text search matches.
    name_key: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(24))
    help_kinds: Mapped[list[str]] = mapped_column(ARRAY(String(16)))
    description: Mapped[str] = mapped_column(String(4000))
    always_open: Mapped[bool]
    public_hotline: Mapped[str | None] = mapped_column(String(20))
    contact_phone: Mapped[str | None] = mapped_column(EncryptedString("help_groups.contact_phone"))
    state: Mapped[str] = mapped_column(String(16), server_default="pending")
    registered_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("community_helpers.id"), index=True)
    verified_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff_users.id"))
    verified_at: Mapped[datetime | None]
    verified_in: Mapped[str | None] = mapped_column(ForeignKey("admin_units.code"))  # the verifier's district or city
    refused_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff_users.id"))
    refused_at: Mapped[datetime | None]
    refusal_reason: Mapped[str | None] = mapped_column(String(2000))
    suspended_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff_users.id"))
    suspended_at: Mapped[datetime | None]
    suspension_reason: Mapped[str | None] = mapped_column(String(2000))


class HelpGroupCoverage(Base):
    """A district (all its wards) or one ward the group helps in."""

    __tablename__ = "help_group_coverage"
    __table_args__ = (CheckConstraint("level IN ('district', 'ward')", name="level"),)

    group_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("help_groups.id", ondelete="CASCADE"), primary_key=True)
    unit_code: Mapped[str] = mapped_column(ForeignKey("admin_units.code"), primary_key=True, index=True)
    level: Mapped[str] = mapped_column(String(16))
    # The district of the unit (itself for a district): the verifying official's scope and the district filter.
    district_code: Mapped[str] = mapped_column(ForeignKey("admin_units.code"), index=True)


class HelpGroupHours(Base):
    __tablename__ = "help_group_hours"
    __table_args__ = (
        CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday"),
        CheckConstraint("0 <= opens_minute AND opens_minute < closes_minute AND closes_minute <= 1440", name="span"),
    )

    group_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("help_groups.id", ondelete="CASCADE"), primary_key=True)
    weekday: Mapped[int] = mapped_column(SmallInteger, primary_key=True)  # 0 Monday … 6 Sunday
    opens_minute: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    closes_minute: Mapped[int] = mapped_column(SmallInteger)


class HelpGroupAccount(Base):
    """A community helper (kind "group") who acts for the group: one group per account."""

    __tablename__ = "help_group_accounts"

    helper_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("community_helpers.id"), primary_key=True)
    group_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("help_groups.id", ondelete="CASCADE"), index=True)
    added_at: Mapped[datetime] = mapped_column(server_default=text("now()"))
