"""Wards' lists of households needing support, and the imports they came from."""

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base


class RegistryImport(Base):
    """One file a ward or district official imported; the same file twice is the same import."""

    __tablename__ = "registry_imports"
    __table_args__ = (UniqueConstraint("ward_code", "file_sha256"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    ward_code: Mapped[str] = mapped_column(ForeignKey("admin_units.code"), index=True)
    filename: Mapped[str] = mapped_column(String(300))
    file_sha256: Mapped[str] = mapped_column(String(64))
    imported_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff_users.id"))
    imported_at: Mapped[datetime]
    accepted: Mapped[int]
    merged: Mapped[int]
    rejected: Mapped[int]
    report: Mapped[list[dict[str, Any]]] = mapped_column(JSONB)


class RegistryEntry(Base):
    """A household on a ward's list, with the list it is on (poor, near-poor, COVID-affected…)."""

    __tablename__ = "registry_entries"

    household_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("households.id"), primary_key=True)
    category: Mapped[str] = mapped_column(String(32), primary_key=True)
    ward_code: Mapped[str] = mapped_column(ForeignKey("admin_units.code"), index=True)
    import_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("registry_imports.id"))
