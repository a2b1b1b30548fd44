"""The spoilage watch's record: one row per flag it raised, so a lot is flagged once per place and kind however
often the watch runs (the primary key, whatever happens in Python)."""

import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, String, text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base
from db.supply import QUANTITY


class StockExpiryFlag(Base):
    __tablename__ = "stock_expiry_flags"
    __table_args__ = (CheckConstraint("kind IN ('expiring', 'write_off')", name="kind"),)

    place_code: Mapped[str] = mapped_column(ForeignKey("supply_places.code"), primary_key=True)
    lot_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("supply_lots.id"), primary_key=True, index=True)
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    item_code: Mapped[str] = mapped_column(ForeignKey("supply_items.code"))
    expires_on: Mapped[date]
    on_hand: Mapped[Decimal] = mapped_column(QUANTITY)  # when flagged
    flagged_at: Mapped[datetime] = mapped_column(server_default=text("statement_timestamp()"))
