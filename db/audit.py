"""The audit log: who did or read what, when and from where. Append-only.

Entries name people by id and requests by code, never by personal data, so the log itself can be kept
longer than the data it speaks of. A database trigger (migration 0002_trust) refuses UPDATE, DELETE and
TRUNCATE, so not even a bug in this code can rewrite history; the API has no route that tries.
"""

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Index, String, func
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base


class AuditEntry(Base):
    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_log_ward_at", "ward_code", "at"),
        Index("ix_audit_log_district_at", "district_code", "at"),
        Index("ix_audit_log_request_code", "request_code"),
        Index("ix_audit_log_actor_at", "actor_id", "at"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(server_default=func.now())
    # No foreign keys: the trail outlives the accounts, requests and households it names.
    actor_id: Mapped[uuid.UUID | None]
    actor_role: Mapped[str] = mapped_column(String(32))
    action: Mapped[str] = mapped_column(String(64))
    request_code: Mapped[str | None] = mapped_column(String(16))
    ward_code: Mapped[str | None] = mapped_column(String(16))
    district_code: Mapped[str | None] = mapped_column(String(16))
    ip: Mapped[str | None] = mapped_column(String(64))
    detail: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
