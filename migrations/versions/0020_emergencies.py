"""Emergencies: the posts, their append-only history, and the rule that a claim is held by one claimer at a time.

The trigger lets an emergency's state move only along its workflow's edges: a claimed emergency is never claimed
again (a second claim writes nothing, whatever any process believes), and its claimer changes only through `open`
(the claim lapsed). Events are never updated or deleted.

Revision ID: 0020_emergencies
Revises: 0016_delivery_disputes
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020_emergencies"
down_revision: str | Sequence[str] | None = "0019_shipments"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

EMERGENCY_RULES = """
CREATE FUNCTION emergency_check() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NEW.state <> 'open' THEN
            RAISE EXCEPTION 'an emergency starts open' USING ERRCODE = 'check_violation',
                CONSTRAINT = 'emergency_moves';
        END IF;
        RETURN NEW;
    END IF;
    IF NEW.state = OLD.state THEN
        IF NEW.claimed_by_helper IS DISTINCT FROM OLD.claimed_by_helper
           OR NEW.claimed_by_staff IS DISTINCT FROM OLD.claimed_by_staff THEN
            RAISE EXCEPTION 'an emergency is claimed by one claimer at a time' USING ERRCODE = 'check_violation',
                CONSTRAINT = 'emergency_one_claim';
        END IF;
        RETURN NEW;
    END IF;
    IF NOT (
        (OLD.state = 'open' AND NEW.state IN ('claimed', 'closed', 'hidden'))
        OR (OLD.state = 'claimed' AND NEW.state IN ('open', 'fulfilled', 'closed', 'hidden'))
        OR (OLD.state = 'fulfilled' AND NEW.state IN ('confirmed', 'closed', 'hidden'))
    ) THEN
        RAISE EXCEPTION 'an emergency cannot move from % to %', OLD.state, NEW.state
            USING ERRCODE = 'check_violation', CONSTRAINT = 'emergency_moves';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER emergency_check BEFORE INSERT OR UPDATE ON emergencies
    FOR EACH ROW EXECUTE FUNCTION emergency_check();

CREATE FUNCTION emergency_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'an emergency''s history is append-only' USING ERRCODE = 'check_violation',
        CONSTRAINT = 'emergency_events_append_only';
END $$;
CREATE TRIGGER emergency_events_append_only BEFORE UPDATE OR DELETE ON emergency_events
    FOR EACH ROW EXECUTE FUNCTION emergency_events_append_only();
"""


def _fk(column: str, table: str, target: str) -> sa.ForeignKey:
    return sa.ForeignKey(target, name=f"fk_{table}_{column}_{target.split('.')[0]}")


def upgrade() -> None:
    op.create_table(
        "emergencies",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("code", sa.String(16), nullable=False),
        sa.Column("category", sa.String(16), nullable=False),
        sa.Column("urgency", sa.String(8), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("ward_code", sa.String(16), _fk("ward_code", "emergencies", "admin_units.code"), nullable=False),
        sa.Column(
            "district_code", sa.String(16), _fk("district_code", "emergencies", "admin_units.code"), nullable=False
        ),
        sa.Column("address", sa.Text(), nullable=False),
        sa.Column("exact_point", sa.Text(), nullable=True),
        sa.Column("approx_latitude", sa.Float(), nullable=False),
        sa.Column("approx_longitude", sa.Float(), nullable=False),
        sa.Column("state", sa.String(16), server_default="open", nullable=False),
        sa.Column("poster_phone_hash", sa.String(64), nullable=False),
        sa.Column("poster_phone", sa.Text(), nullable=False),
        sa.Column("household_id", sa.Uuid(), _fk("household_id", "emergencies", "households.id"), nullable=True),
        sa.Column("earlier_posts", sa.Integer(), server_default="0", nullable=False),
        sa.Column(
            "claimed_by_helper",
            sa.Uuid(),
            _fk("claimed_by_helper", "emergencies", "community_helpers.id"),
            nullable=True,
        ),
        sa.Column(
            "claimed_by_staff", sa.Uuid(), _fk("claimed_by_staff", "emergencies", "staff_users.id"), nullable=True
        ),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("first_claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("releases", sa.Integer(), server_default="0", nullable=False),
        sa.Column("escalated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("fulfilled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("fulfilment_note", sa.Text(), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("close_reason", sa.String(500), nullable=True),
        sa.Column("hidden_by", sa.Uuid(), _fk("hidden_by", "emergencies", "staff_users.id"), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.CheckConstraint(
            "state IN ('open', 'claimed', 'fulfilled', 'confirmed', 'closed', 'hidden')", name="ck_emergencies_state"
        ),
        sa.CheckConstraint(
            "category IN ('food_today', 'medicine', 'elderly_alone', 'infant_milk', 'other')",
            name="ck_emergencies_category",
        ),
        sa.CheckConstraint("urgency IN ('now', 'today', 'soon')", name="ck_emergencies_urgency"),
        sa.CheckConstraint("num_nonnulls(claimed_by_helper, claimed_by_staff) <= 1", name="ck_emergencies_one_claimer"),
        sa.CheckConstraint(
            "(state IN ('claimed', 'fulfilled')) = (num_nonnulls(claimed_by_helper, claimed_by_staff) = 1) "
            "OR state IN ('confirmed', 'closed', 'hidden')",
            name="ck_emergencies_claimed_has_claimer",
        ),
        sa.UniqueConstraint("code", name="uq_emergencies_code"),
    )
    op.create_index(
        "ix_emergencies_public_point",
        "emergencies",
        ["approx_latitude", "approx_longitude"],
        postgresql_where=sa.text("state IN ('open', 'claimed')"),
    )
    op.create_index("ix_emergencies_ward_state", "emergencies", ["ward_code", "state"])
    op.create_index("ix_emergencies_poster", "emergencies", ["poster_phone_hash", "created_at"])
    op.create_index("ix_emergencies_household_id", "emergencies", ["household_id"])
    op.create_index(
        "ix_emergencies_helper",
        "emergencies",
        ["claimed_by_helper"],
        postgresql_where=sa.text("claimed_by_helper IS NOT NULL"),
    )
    op.create_table(
        "emergency_events",
        sa.Column(
            "emergency_id", sa.Uuid(), _fk("emergency_id", "emergency_events", "emergencies.id"), primary_key=True
        ),
        sa.Column("seq", sa.Integer(), primary_key=True),
        sa.Column("event", sa.String(24), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("helper_id", sa.Uuid(), _fk("helper_id", "emergency_events", "community_helpers.id"), nullable=True),
        sa.Column("staff_id", sa.Uuid(), _fk("staff_id", "emergency_events", "staff_users.id"), nullable=True),
        sa.Column("note", sa.String(500), nullable=True),
    )
    op.create_index("ix_emergency_events_helper", "emergency_events", ["helper_id", "event"])
    op.execute(EMERGENCY_RULES)


def downgrade() -> None:
    op.drop_table("emergency_events")  # its trigger goes with it
    op.drop_table("emergencies")
    op.execute("DROP FUNCTION emergency_events_append_only(); DROP FUNCTION emergency_check();")
