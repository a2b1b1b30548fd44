"""Cash support: a household's cash need with its payout account (encrypted), the community's helpers, and
their pledges. The pledges' trigger keeps the amounts held against each need, and the need's CHECK refuses a
pledge that would take live and confirmed pledges past what was asked: concurrent pledges queue on the need's
row and the one that would over-fund it is refused. A pledge moves only along its allowed states, so a second
confirmation, or a confirmation of an expired pledge, writes nothing.

Revision ID: 0013_cash_support
Revises: 0012_delivery_recipient_review
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0013_cash_support"
down_revision: str | Sequence[str] | None = "0012_delivery_recipient_review"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COUNTED = "('pledged', 'transferred', 'disputed', 'confirmed')"

PLEDGE_RULES = f"""
CREATE FUNCTION pledge_check() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NEW.state <> 'pledged' THEN
            RAISE EXCEPTION 'a pledge starts as pledged' USING ERRCODE = 'check_violation',
                CONSTRAINT = 'pledge_moves';
        END IF;
        RETURN NEW;
    END IF;
    IF NEW.amount <> OLD.amount OR NEW.request_id <> OLD.request_id OR NEW.helper_id <> OLD.helper_id THEN
        RAISE EXCEPTION 'a pledge''s amount, need and helper never change' USING ERRCODE = 'check_violation',
            CONSTRAINT = 'pledge_moves';
    END IF;
    IF NEW.state <> OLD.state AND NOT (
        (OLD.state = 'pledged' AND NEW.state IN ('transferred', 'expired', 'released'))
        OR (OLD.state = 'transferred' AND NEW.state IN ('confirmed', 'disputed', 'released'))
        OR (OLD.state = 'disputed' AND NEW.state IN ('confirmed', 'released'))
    ) THEN
        RAISE EXCEPTION 'a pledge cannot move from % to %', OLD.state, NEW.state USING ERRCODE = 'check_violation',
            CONSTRAINT = 'pledge_moves';
    END IF;
    NEW.updated_at := statement_timestamp();
    RETURN NEW;
END $$;

CREATE TRIGGER pledge_check BEFORE INSERT OR UPDATE ON pledges FOR EACH ROW EXECUTE FUNCTION pledge_check();

CREATE FUNCTION pledge_apply() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    was_counted boolean := TG_OP = 'UPDATE' AND OLD.state IN {COUNTED};
    is_counted boolean := NEW.state IN {COUNTED};
    was_confirmed boolean := TG_OP = 'UPDATE' AND OLD.state = 'confirmed';
    is_confirmed boolean := NEW.state = 'confirmed';
BEGIN
    IF TG_OP = 'INSERT' THEN
        -- Only a published need takes a new pledge; the row lock taken here queues concurrent pledges.
        UPDATE cash_needs SET amount_pledged = amount_pledged + NEW.amount
            WHERE request_id = NEW.request_id AND state = 'published';
        IF NOT FOUND THEN
            RAISE EXCEPTION 'the need does not take pledges now' USING ERRCODE = 'check_violation',
                CONSTRAINT = 'pledge_need_published';
        END IF;
    ELSIF was_counted <> is_counted OR was_confirmed <> is_confirmed THEN
        UPDATE cash_needs SET
            amount_pledged = amount_pledged
                + CASE WHEN is_counted THEN NEW.amount ELSE 0 END - CASE WHEN was_counted THEN OLD.amount ELSE 0 END,
            amount_confirmed = amount_confirmed
                + CASE WHEN is_confirmed THEN NEW.amount ELSE 0 END
                - CASE WHEN was_confirmed THEN OLD.amount ELSE 0 END
            WHERE request_id = NEW.request_id;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER pledge_apply AFTER INSERT OR UPDATE ON pledges FOR EACH ROW EXECUTE FUNCTION pledge_apply();

CREATE FUNCTION pledge_no_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'a pledge is never deleted: it ends expired or released' USING ERRCODE = 'check_violation',
        CONSTRAINT = 'pledge_moves';
END $$;

CREATE TRIGGER pledge_no_delete BEFORE DELETE ON pledges FOR EACH ROW EXECUTE FUNCTION pledge_no_delete();
"""


def upgrade() -> None:
    op.create_table(
        "cash_needs",
        sa.Column(
            "request_id",
            sa.Uuid(),
            sa.ForeignKey("relief_requests.id", name="fk_cash_needs_request_id_relief_requests"),
            primary_key=True,
        ),
        sa.Column(
            "household_id",
            sa.Uuid(),
            sa.ForeignKey("households.id", name="fk_cash_needs_household_id_households"),
            nullable=True,
        ),
        sa.Column(
            "ward_code",
            sa.String(16),
            sa.ForeignKey("admin_units.code", name="fk_cash_needs_ward_code_admin_units"),
            nullable=False,
        ),
        sa.Column(
            "district_code",
            sa.String(16),
            sa.ForeignKey("admin_units.code", name="fk_cash_needs_district_code_admin_units"),
            nullable=False,
        ),
        sa.Column("amount_asked", sa.BigInteger(), nullable=False),
        sa.Column("situation", sa.String(32), nullable=False),
        sa.Column("payout_method", sa.String(16), nullable=False),
        sa.Column("bank_bin", sa.String(6), nullable=False),
        sa.Column("account_number", sa.Text(), nullable=False),
        sa.Column("account_hash", sa.String(64), nullable=False),
        sa.Column("holder_name", sa.Text(), nullable=False),
        sa.Column("holder_matches_applicant", sa.Boolean(), nullable=False),
        sa.Column("consent_to_publish", sa.Boolean(), nullable=False),
        sa.Column("state", sa.String(16), server_default="pending", nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("amount_pledged", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("amount_confirmed", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("entitled_period", postgresql.TSTZRANGE(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.CheckConstraint("amount_asked > 0", name="amount_asked"),
        sa.CheckConstraint(
            "0 <= amount_confirmed AND amount_confirmed <= amount_pledged AND amount_pledged <= amount_asked",
            name="never_over_funded",
        ),
        sa.CheckConstraint("state IN ('pending', 'published', 'withdrawn', 'closed')", name="state"),
        sa.CheckConstraint("payout_method IN ('bank_account', 'ewallet')", name="payout_method"),
        postgresql.ExcludeConstraint(
            (sa.column("household_id"), "="),
            (sa.column("entitled_period"), "&&"),
            name="cash_needs_one_per_window",
            using="gist",
        ),
    )
    op.create_index("ix_cash_needs_household_id", "cash_needs", ["household_id"])
    op.create_index("ix_cash_needs_account", "cash_needs", ["account_hash"])
    op.create_index(
        "ix_cash_needs_published",
        "cash_needs",
        ["district_code", "published_at"],
        postgresql_where=sa.text("state = 'published'"),
    )
    op.create_table(
        "community_helpers",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("phone_hash", sa.String(64), nullable=False),
        sa.Column("phone", sa.Text(), nullable=False),
        sa.Column("display_name", sa.Text(), nullable=False),
        sa.Column("expired_pledges", sa.Integer(), server_default="0", nullable=False),
        sa.Column("slowed_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("flagged_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.CheckConstraint("kind IN ('person', 'group')", name="kind"),
        sa.UniqueConstraint("phone_hash", name="uq_community_helpers_phone_hash"),
    )
    op.create_table(
        "pledges",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("code", sa.String(16), nullable=False),
        sa.Column(
            "request_id",
            sa.Uuid(),
            sa.ForeignKey("cash_needs.request_id", name="fk_pledges_request_id_cash_needs"),
            nullable=False,
        ),
        sa.Column(
            "helper_id",
            sa.Uuid(),
            sa.ForeignKey("community_helpers.id", name="fk_pledges_helper_id_community_helpers"),
            nullable=False,
        ),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("state", sa.String(16), server_default="pledged", nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("transferred_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "decided_by",
            sa.Uuid(),
            sa.ForeignKey("staff_users.id", name="fk_pledges_decided_by_staff_users"),
            nullable=True,
        ),
        sa.Column("note", sa.String(500), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.CheckConstraint("amount > 0", name="amount"),
        sa.CheckConstraint(
            "state IN ('pledged', 'transferred', 'disputed', 'confirmed', 'expired', 'released')", name="state"
        ),
        sa.UniqueConstraint("code", name="uq_pledges_code"),
    )
    op.create_index("ix_pledges_need_state", "pledges", ["request_id", "state"])
    op.create_index("ix_pledges_helper_state", "pledges", ["helper_id", "state"])
    op.execute(PLEDGE_RULES)


def downgrade() -> None:
    op.drop_table("pledges")  # its triggers go with it
    op.execute("DROP FUNCTION pledge_check(); DROP FUNCTION pledge_apply(); DROP FUNCTION pledge_no_delete();")
    op.drop_table("community_helpers")
    op.drop_table("cash_needs")
