"""Trust: the append-only audit log, one-time codes and their SMS outbox, rate-limit counters, retention
purges, and the clear phone columns encrypted.

Revision ID: 0002_trust
Revises: 0001
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from db.encrypted import EncryptedString

revision: str = "0002_trust"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ENCRYPTED = (("relief_requests", "applicant_phone"), ("deliveries", "recipient_phone"))


def upgrade() -> None:
    op.create_table(
        "audit_log",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("actor_id", sa.Uuid(), nullable=True),
        sa.Column("actor_role", sa.String(length=32), nullable=False),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("request_code", sa.String(length=16), nullable=True),
        sa.Column("ward_code", sa.String(length=16), nullable=True),
        sa.Column("district_code", sa.String(length=16), nullable=True),
        sa.Column("ip", sa.String(length=64), nullable=True),
        sa.Column("detail", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    op.create_index("ix_audit_log_ward_at", "audit_log", ["ward_code", "at"])
    op.create_index("ix_audit_log_district_at", "audit_log", ["district_code", "at"])
    op.create_index("ix_audit_log_request_code", "audit_log", ["request_code"])
    op.create_index("ix_audit_log_actor_at", "audit_log", ["actor_id", "at"])
    # Append-only, whoever connects: the application's own role cannot rewrite the trail either.
    op.execute(
        """
        CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
        END $$
        """
    )
    op.execute(
        "CREATE TRIGGER audit_log_no_update_delete BEFORE UPDATE OR DELETE ON audit_log "
        "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()"
    )
    op.execute(
        "CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log "
        "FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()"
    )

    op.create_table(
        "otp_challenges",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("phone_hash", sa.String(length=64), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_otp_challenges")),
    )
    op.create_index("ix_otp_challenges_phone_created", "otp_challenges", ["phone_hash", "created_at"])
    op.create_table(
        "sms_outbox",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("phone_hash", sa.String(length=64), nullable=False),
        sa.Column("phone", sa.Text(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sms_outbox")),
    )
    op.create_index(op.f("ix_sms_outbox_phone_hash"), "sms_outbox", ["phone_hash"])
    op.create_table(
        "rate_limit_counters",
        sa.Column("bucket", sa.String(length=40), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("window_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("hits", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("bucket", "key_hash", "window_start", name=op.f("pk_rate_limit_counters")),
    )
    op.create_table(
        "retention_purges",
        sa.Column("request_id", sa.Uuid(), nullable=False),
        sa.Column("purged_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["request_id"], ["relief_requests.id"], name=op.f("fk_retention_purges_request_id_relief_requests")
        ),
        sa.PrimaryKeyConstraint("request_id", name=op.f("pk_retention_purges")),
    )

    for table, column in _ENCRYPTED:
        op.alter_column(table, column, type_=sa.Text(), existing_type=sa.String(length=20), existing_nullable=False)
        _encrypt_existing(table, column)


def _encrypt_existing(table: str, column: str) -> None:
    """Rows written before this revision hold clear numbers: encrypt them in place, with the current key."""
    bind = op.get_bind()
    codec = EncryptedString(f"{table}.{column}")
    rows = bind.execute(sa.text(f"SELECT id, {column} FROM {table} WHERE {column} NOT LIKE 'enc:%'")).all()
    for row_id, clear in rows:
        bind.execute(
            sa.text(f"UPDATE {table} SET {column} = :value WHERE id = :id"),
            {"value": codec.process_bind_param(clear, bind.dialect), "id": row_id},
        )


def downgrade() -> None:
    bind = op.get_bind()
    for table, column in _ENCRYPTED:
        codec = EncryptedString(f"{table}.{column}")
        for row_id, stored in bind.execute(sa.text(f"SELECT id, {column} FROM {table}")).all():
            bind.execute(
                sa.text(f"UPDATE {table} SET {column} = :value WHERE id = :id"),
                {"value": codec.process_result_value(stored, bind.dialect), "id": row_id},
            )
        op.alter_column(table, column, type_=sa.String(length=20), existing_type=sa.Text(), existing_nullable=False)
    op.drop_table("retention_purges")
    op.drop_table("rate_limit_counters")
    op.drop_index(op.f("ix_sms_outbox_phone_hash"), table_name="sms_outbox")
    op.drop_table("sms_outbox")
    op.drop_index("ix_otp_challenges_phone_created", table_name="otp_challenges")
    op.drop_table("otp_challenges")
    op.execute("DROP TABLE audit_log")  # the TRUNCATE trigger does not fire on DROP
    op.execute("DROP FUNCTION audit_log_append_only()")
