"""Food bags assembled from lots: the kit's current version says what goes in one bag, each line is taken
first-expiry-first from the place's stock, and the bags become a lot of their own that remembers its
components and expires with its earliest line."""

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from db.supply import KitLine, LotComponent
from domain.supply import FOOD_BAG, MovementKind
from services import stock_ledger
from services.stock_ledger import Movement


@dataclass(frozen=True)
class Assembly:
    lot_id: uuid.UUID
    bags: int
    kit_version: int
    expires_on: date | None


async def current_kit(session: AsyncSession, kit_code: str = FOOD_BAG) -> tuple[int, dict[str, Decimal]]:
    """The version in force today and its lines (item → quantity per bag)."""
    version = (
        await session.execute(
            select(func.max(KitLine.version)).where(
                KitLine.kit_code == kit_code, KitLine.effective_from <= stock_ledger.CITY_TODAY
            )
        )
    ).scalar_one_or_none()
    if version is None:
        raise LookupError(f"no version of kit {kit_code} is in force")
    rows = (
        await session.execute(
            select(KitLine.item_code, KitLine.quantity).where(KitLine.kit_code == kit_code, KitLine.version == version)
        )
    ).all()
    return version, {item: Decimal(q) for item, q in rows}


async def assemble(session: AsyncSession, key: str, place_code: str, bags: int, actor_id: uuid.UUID | None) -> Assembly:
    """Makes `bags` bags at the place in one unit of work: all of them, or nothing if any line is short.
    The same key again returns the bags already made."""
    if bags <= 0:
        raise ValueError("at least one bag")
    version, lines = await current_kit(session)
    used: dict[uuid.UUID, Decimal] = {}
    expiries: list[date] = []
    for item_code, per_bag in sorted(lines.items()):
        picks = await stock_ledger.take(
            session,
            f"{key}:{item_code}",
            place_code,
            item_code,
            per_bag * bags,
            MovementKind.ASSEMBLED_OUT,
            actor_id=actor_id,
        )
        for pick in picks:
            used[pick.lot_id] = used.get(pick.lot_id, Decimal(0)) + pick.quantity
            if pick.expires_on is not None:
                expiries.append(pick.expires_on)
    expires_on = min(expiries) if expiries else None
    lot_id = await stock_ledger.create_lot(session, key, FOOD_BAG, expires_on, kit_version=version)
    for component, quantity in used.items():
        await session.execute(
            insert(LotComponent)
            .values(lot_id=lot_id, component_lot_id=component, quantity=quantity / bags)
            .on_conflict_do_nothing()
        )
    await stock_ledger.record(
        session,
        Movement(f"{key}:bags", place_code, lot_id, MovementKind.ASSEMBLED_IN, Decimal(bags), actor_id=actor_id),
    )
    return Assembly(lot_id, bags, version, expires_on)
