"""Where a donation's goods went, for its donor: aggregated by district (households reached through the bags made
of them) and by institution (by name). No household, request or person is named.

A donation line became a lot; a lot is issued itself (to an institution) or goes into bags (lot_components names
how much of it one bag holds), and a bag is issued to a household (its movement names the request, whose
district is on the request) or to an institution.
"""

import uuid
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import Numeric, func, literal, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from db.donations import DonationLine
from db.geography import AdminUnit
from db.requests import ReliefRequest
from db.supply import Lot, LotComponent, StockMovement, SupplyPlace
from domain.supply import MovementKind


@dataclass(frozen=True)
class Reached:
    kind: str  # "district" or "institution"
    code: str
    name: str
    item_code: str
    quantity: Decimal
    households: int


async def destinations(session: AsyncSession, donation_id: uuid.UUID) -> list[Reached]:
    donated = select(Lot.id).join(DonationLine, DonationLine.id == Lot.donation_line_id)
    donated = donated.where(DonationLine.donation_id == donation_id)
    # Every lot that carries the donation's goods, with how much of them one unit of it holds.
    itself = select(
        Lot.id.label("lot_id"), Lot.item_code.label("item_code"), literal(1, Numeric(14, 3)).label("per_unit")
    ).where(Lot.id.in_(donated))
    in_bags = (
        select(LotComponent.lot_id, Lot.item_code, LotComponent.quantity)
        .join(Lot, Lot.id == LotComponent.component_lot_id)
        .where(LotComponent.component_lot_id.in_(donated))
    )
    carriers = union_all(itself, in_bags).subquery()
    amount = func.sum(-StockMovement.quantity * carriers.c.per_unit)
    to_households = (
        select(
            ReliefRequest.district_code,
            AdminUnit.name,
            carriers.c.item_code,
            amount,
            func.count(ReliefRequest.household_id.distinct()),
        )
        .join(StockMovement, StockMovement.lot_id == carriers.c.lot_id)
        .join(ReliefRequest, ReliefRequest.code == StockMovement.request_code)
        .join(AdminUnit, AdminUnit.code == ReliefRequest.district_code)
        .where(StockMovement.kind == MovementKind.ISSUED_HOUSEHOLD.value)
        .group_by(ReliefRequest.district_code, AdminUnit.name, carriers.c.item_code)
    )
    to_institutions = (
        select(SupplyPlace.code, SupplyPlace.name, carriers.c.item_code, amount)
        .join(StockMovement, StockMovement.lot_id == carriers.c.lot_id)
        .join(SupplyPlace, SupplyPlace.code == StockMovement.counterpart_code)
        .where(StockMovement.kind == MovementKind.ISSUED_INSTITUTION.value)
        .group_by(SupplyPlace.code, SupplyPlace.name, carriers.c.item_code)
    )
    reached = [
        Reached("district", code, name, item, Decimal(quantity), households)
        for code, name, item, quantity, households in (await session.execute(to_households)).all()
    ]
    reached += [
        Reached("institution", code, name, item, Decimal(quantity), 0)
        for code, name, item, quantity in (await session.execute(to_institutions)).all()
    ]
    return sorted(reached, key=lambda r: (r.kind, r.name, r.item_code))
