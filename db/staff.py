"""Staff accounts: officials, couriers and supervisors, each with a role and an administrative scope."""

import uuid

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, CreatedAt


class StaffUser(CreatedAt, Base):
    __tablename__ = "staff_users"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(32), index=True)
    unit_code: Mapped[str] = mapped_column(ForeignKey("admin_units.code"), index=True)
    # Warehouse staff work at one place (a warehouse, a ward point, an institution), within their unit.
    place_code: Mapped[str | None] = mapped_column(ForeignKey("supply_places.code"), index=True)
    active: Mapped[bool] = mapped_column(default=True)
