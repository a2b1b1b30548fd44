"""Household identity: member name keys and phones, merges, pair verdicts, ward registries.

Revision ID: 0002_identity
Revises: 0001
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from common.person_names import name_key

revision: str = "0002_identity"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("households", sa.Column("merged_into", sa.Uuid(), nullable=True))
    op.create_foreign_key("fk_households_merged_into_households", "households", "households", ["merged_into"], ["id"])
    op.add_column("household_members", sa.Column("name_key", sa.String(200), server_default="", nullable=False))
    op.add_column("household_members", sa.Column("phone_hash", sa.String(64), nullable=True))
    op.create_index("ix_household_members_phone_hash", "household_members", ["phone_hash"])
    members = op.get_bind().execute(sa.text("SELECT id, full_name FROM household_members")).all()
    for member_id, full_name in members:
        op.get_bind().execute(
            sa.text("UPDATE household_members SET name_key = :k WHERE id = :i"),
            {"k": name_key(full_name), "i": member_id},
        )

    op.create_table(
        "household_pair_verdicts",
        sa.Column("household_a", sa.Uuid(), sa.ForeignKey("households.id"), primary_key=True),
        sa.Column("household_b", sa.Uuid(), sa.ForeignKey("households.id"), primary_key=True),
        sa.Column("decided_by", sa.Uuid(), sa.ForeignKey("staff_users.id"), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("household_a < household_b", name="ck_household_pair_verdicts_ordered_pair"),
    )
    op.create_table(
        "registry_imports",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("ward_code", sa.String(16), sa.ForeignKey("admin_units.code"), nullable=False),
        sa.Column("filename", sa.String(300), nullable=False),
        sa.Column("file_sha256", sa.String(64), nullable=False),
        sa.Column("imported_by", sa.Uuid(), sa.ForeignKey("staff_users.id"), nullable=True),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("accepted", sa.Integer(), nullable=False),
        sa.Column("merged", sa.Integer(), nullable=False),
        sa.Column("rejected", sa.Integer(), nullable=False),
        sa.Column("report", postgresql.JSONB(), nullable=False),
        sa.UniqueConstraint("ward_code", "file_sha256", name="uq_registry_imports_ward_code"),
    )
    op.create_index("ix_registry_imports_ward_code", "registry_imports", ["ward_code"])
    op.create_table(
        "registry_entries",
        sa.Column("household_id", sa.Uuid(), sa.ForeignKey("households.id"), primary_key=True),
        sa.Column("category", sa.String(32), primary_key=True),
        sa.Column("ward_code", sa.String(16), sa.ForeignKey("admin_units.code"), nullable=False),
        sa.Column("import_id", sa.Uuid(), sa.ForeignKey("registry_imports.id"), nullable=False),
    )
    op.create_index("ix_registry_entries_ward_code", "registry_entries", ["ward_code"])


def downgrade() -> None:
    op.drop_table("registry_entries")
    op.drop_table("registry_imports")
    op.drop_table("household_pair_verdicts")
    op.drop_index("ix_household_members_phone_hash", "household_members")
    op.drop_column("household_members", "phone_hash")
    op.drop_column("household_members", "name_key")
    op.drop_constraint("fk_households_merged_into_households", "households", type_="foreignkey")
    op.drop_column("households", "merged_into")
