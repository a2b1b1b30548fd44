"""The projection of each relief request: one row kept current, and an append-only list of events."""

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, CreatedAt
from db.encrypted import EncryptedString


class ReliefRequest(CreatedAt, Base):
    __tablename__ = "relief_requests"
    __table_args__ = (
        Index("ix_relief_requests_inbox", "ward_code", "stage", "deadline_at"),
        Index("ix_relief_requests_district_stage", "district_code", "stage"),
        Index("ix_relief_requests_courier_stage", "courier_id", "stage"),
        CheckConstraint("lang IN ('vi', 'en')", name="lang"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    kind: Mapped[str] = mapped_column(String(32))
    ward_code: Mapped[str] = mapped_column(ForeignKey("admin_units.code"))
    district_code: Mapped[str] = mapped_column(ForeignKey("admin_units.code"))
    household_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("households.id"), index=True)
    applicant_name: Mapped[str] = mapped_column(String(200))
    applicant_national_id_hash: Mapped[str] = mapped_column(String(64))
    applicant_phone_hash: Mapped[str] = mapped_column(String(64), index=True)
    applicant_phone: Mapped[str] = mapped_column(EncryptedString("relief_requests.applicant_phone"))
    address: Mapped[str] = mapped_column(String(300))
    household_size: Mapped[int]
    # The language the household registered in: every message to it is written in it (services/notices.py).
    lang: Mapped[str] = mapped_column(String(2), server_default="vi")
    stage: Mapped[str] = mapped_column(String(32), index=True)
    stage_seq: Mapped[int] = mapped_column(default=0)
    escalation: Mapped[str] = mapped_column(String(16), default="ward")
    deadline_at: Mapped[datetime | None]
    courier_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff_users.id"))
    attempts: Mapped[int] = mapped_column(default=0)
    outcome: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    registered_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]


class RequestEvent(Base):
    __tablename__ = "request_events"
    __table_args__ = (UniqueConstraint("request_id", "seq"),)

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    request_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("relief_requests.id"))
    seq: Mapped[int]
    event: Mapped[str] = mapped_column(String(40))
    stage: Mapped[str] = mapped_column(String(32))
    actor_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff_users.id"))
    detail: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    occurred_at: Mapped[datetime]
