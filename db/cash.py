"""Cash needs, the community's helpers and their pledges.

A need's payout account and holder name are encrypted and matched by a keyed hash of the account; nothing of
them reaches a workflow, a search attribute or a log. The amounts held against a need are kept by the pledges'
trigger (migration 0013) and bounded by CHECKs: live and confirmed pledges never exceed what was asked.
"""

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, String, text
from sqlalchemy.dialects.postgresql import TSTZRANGE, ExcludeConstraint, Range
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, CreatedAt
from db.encrypted import EncryptedString


class CashNeed(CreatedAt, Base):
    __tablename__ = "cash_needs"
    __table_args__ = (
        CheckConstraint("amount_asked > 0", name="amount_asked"),
        CheckConstraint(
            "0 <= amount_confirmed AND amount_confirmed <= amount_pledged AND amount_pledged <= amount_asked",
            name="never_over_funded",
        ),
        CheckConstraint("state IN ('pending', 'published', 'withdrawn', 'closed')", name="state"),
        CheckConstraint("payout_method IN ('bank_account', 'ewallet')", name="payout_method"),
        # One supported cash need per household per window, whatever any process believes.
        ExcludeConstraint(
            ("household_id", "="), ("entitled_period", "&&"), name="cash_needs_one_per_window", using="gist"
        ),
        Index("ix_cash_needs_published", "district_code", "published_at", postgresql_where=text("state = 'published'")),
        Index("ix_cash_needs_account", "account_hash"),
    )

    request_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("relief_requests.id"), primary_key=True)
    # What the public list and helpers' links name the need by (migration 0014): random, never the request code.
    public_ref: Mapped[str] = mapped_column(
        String(12), unique=True, server_default=text("upper(substr(md5(gen_random_uuid()::text), 1, 10))")
    )
    household_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("households.id"), index=True)
    ward_code: Mapped[str] = mapped_column(ForeignKey("admin_units.code"))
    district_code: Mapped[str] = mapped_column(ForeignKey("admin_units.code"))
    amount_asked: Mapped[int] = mapped_column(BigInteger)
    situation: Mapped[str] = mapped_column(String(32))
    payout_method: Mapped[str] = mapped_column(String(16))
    bank_bin: Mapped[str] = mapped_column(String(6))
    account_number: Mapped[str] = mapped_column(EncryptedString("cash_needs.account_number"))
    account_hash: Mapped[str] = mapped_column(String(64))
    holder_name: Mapped[str] = mapped_column(EncryptedString("cash_needs.holder_name"))
    # The holder name against the applicant's, folded: a mismatch is shown to the ward, not refused.
    holder_matches_applicant: Mapped[bool]
    consent_to_publish: Mapped[bool]
    state: Mapped[str] = mapped_column(String(16), server_default="pending")
    published_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    # Kept by the pledges' trigger: live and confirmed pledges, and confirmed ones.
    amount_pledged: Mapped[int] = mapped_column(BigInteger, server_default="0")
    amount_confirmed: Mapped[int] = mapped_column(BigInteger, server_default="0")
    # Set when the need closes with money confirmed: the cash entitlement rule reads it.
    entitled_period: Mapped[Range[datetime] | None] = mapped_column(TSTZRANGE)


class CommunityHelper(CreatedAt, Base):
    """A person signed in with a phone one-time code, or a registered help group, who pledges money."""

    __tablename__ = "community_helpers"
    __table_args__ = (CheckConstraint("kind IN ('person', 'group')", name="kind"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    kind: Mapped[str] = mapped_column(String(16))
    phone_hash: Mapped[str] = mapped_column(String(64), unique=True)
    phone: Mapped[str] = mapped_column(EncryptedString("community_helpers.phone"))
    display_name: Mapped[str] = mapped_column(EncryptedString("community_helpers.display_name"))
    expired_pledges: Mapped[int] = mapped_column(server_default="0")
    slowed_until: Mapped[datetime | None]
    flagged_at: Mapped[datetime | None]


class Pledge(CreatedAt, Base):
    __tablename__ = "pledges"
    __table_args__ = (
        CheckConstraint("amount > 0", name="amount"),
        CheckConstraint(
            "state IN ('pledged', 'transferred', 'disputed', 'confirmed', 'expired', 'released')", name="state"
        ),
        Index("ix_pledges_need_state", "request_id", "state"),
        Index("ix_pledges_helper_state", "helper_id", "state"),
        CheckConstraint("lang IN ('vi', 'en')", name="lang"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    # Also the transfer's reference ("ANSINH <code>"), which the household sees on its bank statement.
    code: Mapped[str] = mapped_column(String(16), unique=True)
    request_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cash_needs.request_id"))
    helper_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("community_helpers.id"))
    amount: Mapped[int] = mapped_column(BigInteger)
    # The language of the page (or the API's Accept-Language) the helper pledged in: their messages are in it.
    lang: Mapped[str] = mapped_column(String(2), server_default="vi")
    state: Mapped[str] = mapped_column(String(16), server_default="pledged")
    updated_at: Mapped[datetime] = mapped_column(server_default=text("now()"))
    transferred_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    # Who closed it when not the household (the ward deciding a dispute), and the household's word on a dispute.
    decided_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff_users.id"))
    note: Mapped[str | None] = mapped_column(String(500))
