"""Help groups (charity groups, free-meal kitchens, mobile medical teams, districts' An Sinh centres): their
coverage as districts and wards, their opening hours per weekday, the community helper accounts that act for them,
and their verification by a district official before they appear in the public directory.

Revision ID: 0021_help_groups
Revises: 0016_delivery_disputes
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0021_help_groups"
down_revision: str | Sequence[str] | None = "0020_emergencies"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _fk(column: str, table: str, target: str) -> sa.ForeignKey:
    referred = target.split(".")[0]
    return sa.ForeignKey(target, name=f"fk_{table}_{column}_{referred}")


def _staff(column: str) -> sa.Column[sa.Uuid]:
    return sa.Column(column, sa.Uuid(), _fk(column, "help_groups", "staff_users.id"), nullable=True)


def upgrade() -> None:
    op.create_table(
        "help_groups",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column(
            "code",
            sa.String(12),
            server_default=sa.text("upper(substr(md5(gen_random_uuid()::text), 1, 8))"),
            nullable=False,
        ),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("name_key", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(24), nullable=False),
        sa.Column("help_kinds", postgresql.ARRAY(sa.String(16)), nullable=False),
        sa.Column("description", sa.String(4000), nullable=False),
        sa.Column("always_open", sa.Boolean(), nullable=False),
        sa.Column("public_hotline", sa.String(20), nullable=True),
        sa.Column("contact_phone", sa.Text(), nullable=True),
        sa.Column("state", sa.String(16), server_default="pending", nullable=False),
        sa.Column(
            "registered_by", sa.Uuid(), _fk("registered_by", "help_groups", "community_helpers.id"), nullable=False
        ),
        _staff("verified_by"),
        sa.Column("verified_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("verified_in", sa.String(16), _fk("verified_in", "help_groups", "admin_units.code"), nullable=True),
        _staff("refused_by"),
        sa.Column("refused_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("refusal_reason", sa.String(2000), nullable=True),
        _staff("suspended_by"),
        sa.Column("suspended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("suspension_reason", sa.String(2000), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.UniqueConstraint("code", name="uq_help_groups_code"),
        sa.CheckConstraint(
            "kind IN ('charity', 'free_meals', 'medical_team', 'district_centre', 'other')", name="kind"
        ),
        sa.CheckConstraint(
            "cardinality(help_kinds) >= 1 AND help_kinds <@ "
            "ARRAY['food', 'medicine', 'transport', 'cash', 'other']::varchar[]",
            name="help_kinds",
        ),
        sa.CheckConstraint("state IN ('pending', 'verified', 'refused', 'suspended')", name="state"),
        sa.CheckConstraint(
            "state <> 'verified' OR (verified_by IS NOT NULL AND verified_at IS NOT NULL AND verified_in IS NOT NULL)",
            name="verified_by_someone",
        ),
        sa.CheckConstraint("state <> 'refused' OR refusal_reason IS NOT NULL", name="refused_with_reason"),
        sa.CheckConstraint(
            "state <> 'suspended' OR (suspension_reason IS NOT NULL AND suspended_at IS NOT NULL)",
            name="suspended_with_reason",
        ),
    )
    op.create_index("ix_help_groups_state_kind", "help_groups", ["state", "kind"])
    op.create_index("ix_help_groups_help_kinds", "help_groups", ["help_kinds"], postgresql_using="gin")
    op.create_index("ix_help_groups_registered_by", "help_groups", ["registered_by"])

    op.create_table(
        "help_group_coverage",
        sa.Column(
            "group_id",
            sa.Uuid(),
            sa.ForeignKey("help_groups.id", name="fk_help_group_coverage_group_id_help_groups", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column(
            "unit_code", sa.String(16), _fk("unit_code", "help_group_coverage", "admin_units.code"), primary_key=True
        ),
        sa.Column("level", sa.String(16), nullable=False),
        sa.Column(
            "district_code",
            sa.String(16),
            _fk("district_code", "help_group_coverage", "admin_units.code"),
            nullable=False,
        ),
        sa.CheckConstraint("level IN ('district', 'ward')", name="level"),
    )
    op.create_index("ix_help_group_coverage_unit_code", "help_group_coverage", ["unit_code"])
    op.create_index("ix_help_group_coverage_district_code", "help_group_coverage", ["district_code"])

    op.create_table(
        "help_group_hours",
        sa.Column(
            "group_id",
            sa.Uuid(),
            sa.ForeignKey("help_groups.id", name="fk_help_group_hours_group_id_help_groups", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("weekday", sa.SmallInteger(), primary_key=True),
        sa.Column("opens_minute", sa.SmallInteger(), primary_key=True),
        sa.Column("closes_minute", sa.SmallInteger(), nullable=False),
        sa.CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday"),
        sa.CheckConstraint("0 <= opens_minute AND opens_minute < closes_minute AND closes_minute <= 1440", name="span"),
    )

    op.create_table(
        "help_group_accounts",
        sa.Column(
            "helper_id",
            sa.Uuid(),
            _fk("helper_id", "help_group_accounts", "community_helpers.id"),
            primary_key=True,
        ),
        sa.Column(
            "group_id",
            sa.Uuid(),
            sa.ForeignKey("help_groups.id", name="fk_help_group_accounts_group_id_help_groups", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("added_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
    )
    op.create_index("ix_help_group_accounts_group_id", "help_group_accounts", ["group_id"])


def downgrade() -> None:
    op.drop_table("help_group_accounts")
    op.drop_table("help_group_hours")
    op.drop_table("help_group_coverage")
    op.drop_table("help_groups")
