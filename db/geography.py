"""The administrative hierarchy as data with levels: city → district → ward, or province → ward."""

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base


class AdminUnit(Base):
    __tablename__ = "admin_units"

    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    level: Mapped[str] = mapped_column(String(16), index=True)
    parent_code: Mapped[str | None] = mapped_column(ForeignKey("admin_units.code"), index=True)
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]
