"""One-time codes for citizens, and the local SMS outbox that stands in for a gateway in development."""

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, CreatedAt
from db.encrypted import EncryptedString


class OtpChallenge(CreatedAt, Base):
    """A code sent to a phone: only its keyed hash is kept; used once, within minutes, a few tries."""

    __tablename__ = "otp_challenges"
    __table_args__ = (Index("ix_otp_challenges_phone_created", "phone_hash", "created_at"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    phone_hash: Mapped[str] = mapped_column(String(64))
    code_hash: Mapped[str] = mapped_column(String(64))
    expires_at: Mapped[datetime]
    attempts: Mapped[int] = mapped_column(default=0)
    used_at: Mapped[datetime | None]


class SmsOutbox(CreatedAt, Base):
    """What the local SMS provider 'sent' (development and tests only; a city plugs in its gateway)."""

    __tablename__ = "sms_outbox"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    phone_hash: Mapped[str] = mapped_column(String(64), index=True)
    phone: Mapped[str] = mapped_column(EncryptedString("sms_outbox.phone"))
    message: Mapped[str] = mapped_column(Text)
