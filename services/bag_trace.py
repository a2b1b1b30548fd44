"""Every bag handed to a household traces back to the donation lines it was made of: the issue movement names
the request, its lot of bags lists its component lots, and each component lot names its donation line."""

from dataclasses import dataclass

from sqlalchemy import and_, exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from db.supply import Lot, LotComponent, StockMovement
from domain.supply import MovementKind


@dataclass(frozen=True)
class BagTrace:
    issued: int  # bags issued to households
    traced: int  # of which every component lot came from a donation line
    untraced_requests: tuple[str, ...]  # the requests whose bag did not (at most 20, for the report)


async def trace_issued_bags(session: AsyncSession) -> BagTrace:
    component = aliased(Lot)
    untraced_part = exists(
        select(LotComponent.component_lot_id)
        .join(component, component.id == LotComponent.component_lot_id)
        .where(LotComponent.lot_id == StockMovement.lot_id, component.donation_line_id.is_(None))
    )
    has_parts = exists(select(LotComponent.lot_id).where(LotComponent.lot_id == StockMovement.lot_id))
    issued = StockMovement.kind == MovementKind.ISSUED_HOUSEHOLD.value
    traced = and_(has_parts, ~untraced_part)
    total, traced_count = (
        await session.execute(
            select(func.count(), func.count().filter(traced)).select_from(StockMovement).where(issued)
        )
    ).one()
    untraced = (
        await session.execute(
            select(StockMovement.request_code).where(issued, ~traced).order_by(StockMovement.id).limit(20)
        )
    ).scalars()
    return BagTrace(int(total), int(traced_count), tuple(code or "" for code in untraced))
