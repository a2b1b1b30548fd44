"""Which closed requests had their personal data purged, and when (the counts stay; the people go)."""

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base


class RetentionPurge(Base):
    __tablename__ = "retention_purges"

    request_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("relief_requests.id"), primary_key=True)
    purged_at: Mapped[datetime]
