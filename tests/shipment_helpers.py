"""Shipments for the tests: goods stocked at the source, an order started as the round starts it, the staff of each
end, and the ledger read back under the shipment's keys."""

import asyncio
import uuid
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from temporalio.client import Client, WorkflowExecutionStatus, WorkflowHandle

from common.city_time import CITY_TZ
from db.base import transaction
from db.shipments import Shipment
from db.supply import StockMovement
from domain import names
from domain.roles import Role
from domain.shipment_flow import ShipmentActor, ShipmentAnswer, ShipmentStage
from domain.shipments import ShipmentLine, ShipmentOrder, shipment_code, shipment_key
from services import stock_ledger
from services.supply_seed import district_warehouse_code, ward_point_code
from tests.factories import DISTRICT, WARD, make_staff
from usecases.supply import shipment_gateway
from workflows.shipment import ShipmentWorkflow

SOURCE = district_warehouse_code(DISTRICT)
DESTINATION = ward_point_code(WARD)


def a_code() -> str:
    return shipment_code("20261205", 0) + f"-{uuid.uuid4().hex[:8].upper()}"


async def stock(place: str, item: str, quantity: Decimal, expires_on: date | None) -> uuid.UUID:
    async with transaction() as session:
        return await stock_ledger.receive(
            session, f"test:{uuid.uuid4()}", place, item, quantity, expires_on, actor_id=None
        )


async def start(
    client: Client, queue: str, lines: list[tuple[str, Decimal, uuid.UUID | None]], code: str | None = None
) -> WorkflowHandle[Any, ShipmentAnswer]:
    order = ShipmentOrder(
        code=code or a_code(),
        round_id="round-test",
        from_place=SOURCE,
        to_place=DESTINATION,
        lines=tuple(
            ShipmentLine(item_code=item, quantity=q, lot_id=str(lot) if lot else None) for item, q, lot in lines
        ),
    )
    await shipment_gateway.start(client, queue, order)
    return client.get_workflow_handle(names.shipment_workflow_id(order.code), result_type=ShipmentAnswer)


async def stage_of(handle: WorkflowHandle[Any, ShipmentAnswer]) -> ShipmentStage:
    return (await handle.query(ShipmentWorkflow.state)).stage


async def until_stage(handle: WorkflowHandle[Any, ShipmentAnswer], stage: ShipmentStage) -> ShipmentAnswer:
    for _ in range(200):
        answer = await handle.query(ShipmentWorkflow.state)
        if answer.stage == stage:
            return answer
        await asyncio.sleep(0.05)
    raise AssertionError(f"shipment {handle.id} is {await stage_of(handle)}, not {stage}")


async def staff_of(place: str) -> ShipmentActor:
    unit = DISTRICT if place == SOURCE else WARD
    staff = await make_staff(Role.WAREHOUSE_STAFF, unit, place_code=place)
    return ShipmentActor(role=Role.WAREHOUSE_STAFF, user_id=staff.id, place_code=place)


async def row(code: str) -> Shipment:
    async with transaction() as session:
        return (await session.execute(select(Shipment).where(Shipment.code == code))).scalar_one()


async def movements(code: str) -> dict[tuple[str, str, str], Decimal]:
    """(place, kind, item) → the signed sum of the shipment's movements; and their count under '#'."""
    async with transaction() as session:
        rows = (
            await session.execute(
                select(
                    StockMovement.place_code, StockMovement.kind, StockMovement.item_code, StockMovement.quantity
                ).where(StockMovement.idempotency_key.like(f"{shipment_key(code)}%"))
            )
        ).all()
    totals: dict[tuple[str, str, str], Decimal] = {}
    for place, kind, item, quantity in rows:
        totals[(place, kind, item)] = totals.get((place, kind, item), Decimal(0)) + Decimal(quantity)
    totals[("#", "#", "#")] = Decimal(len(rows))
    return totals


async def balance(place: str, item: str) -> Decimal:
    async with transaction() as session:
        total = await session.scalar(
            select(func.coalesce(func.sum(StockMovement.quantity), 0)).where(
                StockMovement.place_code == place, StockMovement.item_code == item
            )
        )
    return Decimal(total or 0)


async def ledger_discrepancies() -> list[stock_ledger.Discrepancy]:
    async with transaction() as session:
        return await stock_ledger.discrepancies(session)


def in_days(days: int) -> date:
    return datetime.now(CITY_TZ).date() + timedelta(days=days)


async def finished(handle: WorkflowHandle[Any, ShipmentAnswer]) -> ShipmentAnswer:
    """The result once closed (the test server's long poll for a result can answer with an empty page: wait for the
    close first, as tests/temporal_helpers.py does)."""
    for _ in range(400):
        if (await handle.describe()).status != WorkflowExecutionStatus.RUNNING:
            return await handle.result()
        await asyncio.sleep(0.05)
    raise AssertionError(f"{handle.id} still running")
