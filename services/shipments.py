"""A shipment's records and its movements in the stock ledger, one transaction per step of its workflow.

Every step is keyed by the shipment and the workflow's seq: a step is written only over an older one (`stage_seq`,
read under the shipment's row lock), and a retry answers what the first run wrote. The ledger's movements carry keys
under `shipment_key(code)` (domain/shipments.py), so even a step run twice moves stock once:

- dispatch: `transferred_out` at the source, counterpart the destination, `…out:<line>:<lot>` for each picked lot
  (and `…out:<line>:fefo:<lot>` for what a lot no longer held at dispatch, taken first-expiry-first instead);
- receipt: `transferred_in` at the destination of every dispatched movement, `…in:<movement id>`; then each line's
  difference from its count as its own movement naming the shipment: `adjusted_down` (`…short:<line>:<lot>`) for
  goods missing or damaged, `adjusted_up` (`…extra:<line>`) for more than was sent;
- lost (never received): the receipt of everything, then all of it `adjusted_down` as missing.
"""

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import Date, cast, func, or_, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from db.shipments import Shipment, ShipmentLine, ShipmentPick
from db.supply import Lot, StockBalance, StockMovement, SupplyPlace
from domain.refusals import RuleViolation
from domain.shipment_flow import (
    DispatchInput,
    LineOutcome,
    OpenInput,
    PickInput,
    ReceiptInput,
    ShipmentAnswer,
    ShipmentEvent,
    ShipmentOpened,
    ShipmentPolicy,
    ShipmentStage,
    ShipmentStep,
)
from domain.shipments import shipment_key
from domain.supply import MovementKind
from services import stock_ledger
from services.stock_ledger import Movement

CITY_TODAY = cast(func.timezone("Asia/Ho_Chi_Minh", func.statement_timestamp()), Date)


async def open_shipment(session: AsyncSession, inp: OpenInput, policy: ShipmentPolicy) -> ShipmentOpened:
    """The shipment and its lines from the order, once: the same order again finds them written."""
    order = inp.order
    places = {
        p.code: p
        for p in (
            await session.scalars(select(SupplyPlace).where(SupplyPlace.code.in_((order.from_place, order.to_place))))
        ).all()
    }
    source, destination = places.get(order.from_place), places.get(order.to_place)
    if source is None or destination is None or destination.district_code is None:
        raise RuleViolation(f"shipment {order.code}: a place of the order is unknown")
    shipment_id = uuid.uuid5(stock_ledger.LOT_NAMESPACE, f"shipment:{order.code}")
    await session.execute(
        insert(Shipment)
        .values(
            id=shipment_id,
            code=order.code,
            round_id=order.round_id,
            from_place=order.from_place,
            to_place=order.to_place,
            to_district=destination.district_code,
            stage=ShipmentStage.CREATED.value,
            stage_seq=1,
            differences=0,
            created_at=inp.at,
        )
        .on_conflict_do_nothing(index_elements=["code"])
    )
    await session.execute(
        insert(ShipmentLine)
        .values(
            [
                {
                    "shipment_id": shipment_id,
                    "line_no": number,
                    "item_code": line.item_code,
                    "lot_id": _lot_id(order.code, line.lot_id),
                    "ordered": line.quantity,
                    "picked": 0,
                }
                for number, line in enumerate(order.lines, start=1)
            ]
        )
        .on_conflict_do_nothing()
    )
    return ShipmentOpened(to_district=destination.district_code, policy=policy)


def _lot_id(code: str, lot: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(lot) if lot else None
    except ValueError:
        raise RuleViolation(f"shipment {code}: a line names a lot that is not one") from None


async def _locked(session: AsyncSession, code: str) -> Shipment:
    shipment = (
        await session.execute(select(Shipment).where(Shipment.code == code).with_for_update())
    ).scalar_one_or_none()
    if shipment is None:
        raise RuleViolation(f"shipment {code} has no record")
    return shipment


async def _lines(session: AsyncSession, shipment_id: uuid.UUID) -> list[ShipmentLine]:
    return list(
        (
            await session.scalars(
                select(ShipmentLine).where(ShipmentLine.shipment_id == shipment_id).order_by(ShipmentLine.line_no)
            )
        ).all()
    )


async def answer(session: AsyncSession, shipment: Shipment) -> ShipmentAnswer:
    return ShipmentAnswer(
        stage=ShipmentStage(shipment.stage),
        lines=tuple(
            LineOutcome(
                line_no=line.line_no,
                item_code=line.item_code,
                ordered=line.ordered,
                picked=line.picked,
                dispatched=line.dispatched,
                received=line.received,
            )
            for line in await _lines(session, shipment.id)
        ),
    )


def _written(shipment: Shipment, step: ShipmentStep) -> bool:
    return shipment.stage_seq >= step.seq


def _require(shipment: Shipment, stage: ShipmentStage, step: ShipmentStep) -> None:
    if shipment.stage != stage.value:
        raise RuleViolation(f"shipment {step.code} is {shipment.stage}: no {step.event.value} now")


# --- picking ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Free:
    lot_id: uuid.UUID
    free: Decimal
    expires_on: date | None


async def _free_lots(
    session: AsyncSession, place: str, item: str, least_days: int, only: uuid.UUID | None = None
) -> list[_Free]:
    """The item's lots at the place with something free and enough life left, first expiry first."""
    free = StockBalance.on_hand - StockBalance.reserved
    query = (
        select(StockBalance.lot_id, free, Lot.expires_on)
        .join(Lot, Lot.id == StockBalance.lot_id)
        .where(
            StockBalance.place_code == place,
            StockBalance.item_code == item,
            free > 0,
            or_(Lot.expires_on.is_(None), Lot.expires_on >= CITY_TODAY + timedelta(days=least_days)),
        )
        .order_by(Lot.expires_on.asc().nulls_last(), Lot.created_at, Lot.id)
    )
    if only is not None:
        query = query.where(StockBalance.lot_id == only)
    return [_Free(lot, Decimal(q), expiry) for lot, q, expiry in (await session.execute(query)).all()]


async def pick(session: AsyncSession, inp: PickInput) -> ShipmentAnswer:
    """Chooses the lots at the source: the order's lot first when it names one, then first expiry first. Picking
    moves no stock (the dispatch does); a line the source cannot fill is picked short and the shortfall shown. With
    nothing at all to pick the shipment is unfilled: the next round sees the need again."""
    step = inp.step
    shipment = await _locked(session, step.code)
    if _written(shipment, step):
        return await answer(session, shipment)
    _require(shipment, ShipmentStage.CREATED, step)
    taken: dict[uuid.UUID, Decimal] = defaultdict(Decimal)  # across lines: two lines may draw on one lot
    picks = []
    lines = await _lines(session, shipment.id)
    for line in lines:
        remaining = line.ordered
        candidates = []
        if line.lot_id is not None:
            candidates += await _free_lots(
                session, shipment.from_place, line.item_code, inp.policy.least_days_left_at_pick, only=line.lot_id
            )
        candidates += await _free_lots(session, shipment.from_place, line.item_code, inp.policy.least_days_left_at_pick)
        chosen: dict[uuid.UUID, tuple[Decimal, date | None]] = {}
        for lot in candidates:
            take = min(lot.free - taken[lot.lot_id], remaining)
            if take <= 0:
                continue
            taken[lot.lot_id] += take
            before, _ = chosen.get(lot.lot_id, (Decimal(0), None))
            chosen[lot.lot_id] = (before + take, lot.expires_on)
            remaining -= take
            if remaining == 0:
                break
        picks += [
            {"shipment_id": shipment.id, "line_no": line.line_no, "lot_id": lot, "quantity": q, "expires_on": expiry}
            for lot, (q, expiry) in chosen.items()
        ]
        line.picked = line.ordered - remaining
    if picks:
        await session.execute(insert(ShipmentPick).values(picks))
    stage = ShipmentStage.PICKED if picks else ShipmentStage.UNFILLED
    shipment.stage, shipment.stage_seq, shipment.picked_at = stage.value, step.seq, step.at
    if stage.is_final:
        shipment.closed_at = step.at
    await session.flush()
    return await answer(session, shipment)


# --- dispatch -----------------------------------------------------------------------------------------------------


async def dispatch(session: AsyncSession, inp: DispatchInput) -> ShipmentAnswer:
    """The goods leave the source: a `transferred_out` per picked lot, with the driver and the vehicle, in one
    transaction. A lot that no longer holds what was picked gives what it has, and the rest of the line is taken
    first-expiry-first; what the source no longer has at all is dispatched short."""
    step, action = inp.step, inp.dispatch
    shipment = await _locked(session, step.code)
    if _written(shipment, step):
        return await answer(session, shipment)
    _require(shipment, ShipmentStage.PICKED, step)
    prefix = shipment_key(shipment.code)
    picks = (
        await session.scalars(
            select(ShipmentPick)
            .where(ShipmentPick.shipment_id == shipment.id)
            .order_by(ShipmentPick.line_no, ShipmentPick.expires_on.asc().nulls_last(), ShipmentPick.lot_id)
        )
    ).all()
    sent: dict[int, Decimal] = defaultdict(Decimal)
    short: dict[int, Decimal] = defaultdict(Decimal)
    for picked in picks:
        quantity = min(picked.quantity, await _free_of(session, shipment.from_place, picked.lot_id))
        if quantity > 0:
            await stock_ledger.record(
                session,
                Movement(
                    f"{prefix}out:{picked.line_no}:{picked.lot_id}",
                    shipment.from_place,
                    picked.lot_id,
                    MovementKind.TRANSFERRED_OUT,
                    quantity,
                    counterpart_code=shipment.to_place,
                    reason=f"shipment {shipment.code}",
                    actor_id=action.actor.user_id,
                ),
            )
        sent[picked.line_no] += quantity
        short[picked.line_no] += picked.quantity - quantity
    lines = {line.line_no: line for line in await _lines(session, shipment.id)}
    for line_no, missing in short.items():
        line = lines[line_no]
        quantity = min(missing, await stock_ledger.available(session, shipment.from_place, line.item_code))
        if quantity > 0:
            more = await stock_ledger.take(
                session,
                f"{prefix}out:{line_no}:fefo",
                shipment.from_place,
                line.item_code,
                quantity,
                MovementKind.TRANSFERRED_OUT,
                counterpart_code=shipment.to_place,
                reason=f"shipment {shipment.code}",
                actor_id=action.actor.user_id,
            )
            sent[line_no] += sum((p.quantity for p in more), Decimal(0))
    for line in lines.values():
        line.dispatched = sent.get(line.line_no, Decimal(0))
    shipment.stage, shipment.stage_seq = ShipmentStage.IN_TRANSIT.value, step.seq
    shipment.driver_name, shipment.driver_phone = action.driver_name, action.driver_phone
    shipment.vehicle_plate, shipment.dispatched_at, shipment.dispatched_by = (
        action.vehicle_plate,
        step.at,
        action.actor.user_id,
    )
    shipment.late_at = None
    await session.flush()
    return await answer(session, shipment)


async def _free_of(session: AsyncSession, place: str, lot_id: uuid.UUID) -> Decimal:
    free = (
        await session.execute(
            select(StockBalance.on_hand - StockBalance.reserved)
            .where(StockBalance.place_code == place, StockBalance.lot_id == lot_id)
            .with_for_update()
        )
    ).scalar_one_or_none()
    return Decimal(free or 0)


# --- receipt ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Arrival:
    line_no: int
    lot_id: uuid.UUID
    quantity: Decimal


async def _arrive(session: AsyncSession, shipment: Shipment, actor_id: uuid.UUID | None) -> list[_Arrival]:
    """`transferred_in` at the destination of every movement the dispatch wrote, lot by lot."""
    prefix = shipment_key(shipment.code)
    outs = (
        await session.execute(
            select(StockMovement.id, StockMovement.idempotency_key, StockMovement.lot_id, StockMovement.quantity)
            .where(
                # A code has no LIKE wildcards (SHIPMENT_CODE_PATTERN): the prefix needs no escaping.
                StockMovement.idempotency_key.like(f"{prefix}out:%"),
                StockMovement.kind == MovementKind.TRANSFERRED_OUT.value,
            )
            .order_by(StockMovement.id)
        )
    ).all()
    arrivals = []
    for movement_id, key, lot_id, quantity in outs:
        line_no = int(key.removeprefix(prefix).split(":")[1])
        await stock_ledger.record(
            session,
            Movement(
                f"{prefix}in:{movement_id}",
                shipment.to_place,
                lot_id,
                MovementKind.TRANSFERRED_IN,
                -Decimal(quantity),
                counterpart_code=shipment.from_place,
                reason=f"shipment {shipment.code}",
                actor_id=actor_id,
            ),
        )
        arrivals.append(_Arrival(line_no, lot_id, -Decimal(quantity)))
    return arrivals


async def _adjust(
    session: AsyncSession,
    shipment: Shipment,
    line: ShipmentLine,
    arrivals: list[_Arrival],
    counted: Decimal,
    why: str,
    actor_id: uuid.UUID | None,
) -> None:
    """The line's difference between what arrived and what was counted, as its own movement naming the shipment."""
    prefix = shipment_key(shipment.code)
    came = [a for a in arrivals if a.line_no == line.line_no]
    difference = counted - sum((a.quantity for a in came), Decimal(0))
    if difference > 0:
        await stock_ledger.record(
            session,
            Movement(
                f"{prefix}extra:{line.line_no}",
                shipment.to_place,
                came[-1].lot_id,
                MovementKind.ADJUSTED_UP,
                difference,
                reason=f"shipment {shipment.code}: received extra ({why})",
                actor_id=actor_id,
            ),
        )
    missing = -difference
    for arrival in reversed(came):  # the latest expiry first: what is left is what spoils first
        if missing <= 0:
            break
        quantity = min(arrival.quantity, missing)
        await stock_ledger.record(
            session,
            Movement(
                f"{prefix}short:{line.line_no}:{arrival.lot_id}",
                shipment.to_place,
                arrival.lot_id,
                MovementKind.ADJUSTED_DOWN,
                quantity,
                reason=f"shipment {shipment.code}: received short ({why})",
                actor_id=actor_id,
            ),
        )
        missing -= quantity


async def receive(session: AsyncSession, inp: ReceiptInput) -> ShipmentAnswer:
    """Everything dispatched arrives at the destination, then each line's difference from its count is adjusted,
    with the counts, in one transaction: the receipt moves the stock once, whatever is retried."""
    step, receipt = inp.step, inp.receipt
    shipment = await _locked(session, step.code)
    if _written(shipment, step):
        return await answer(session, shipment)
    _require(shipment, ShipmentStage.IN_TRANSIT, step)
    actor_id = receipt.actor.user_id
    arrivals = await _arrive(session, shipment, actor_id)
    counts = {count.line_no: count.received_quantity for count in receipt.lines}
    lines = await _lines(session, shipment.id)
    if set(counts) != {line.line_no for line in lines}:
        raise RuleViolation(f"the receipt of shipment {step.code} does not count its lines")
    differences = 0
    for line in lines:
        await _adjust(session, shipment, line, arrivals, counts[line.line_no], "counted at receipt", actor_id)
        line.received = counts[line.line_no]
        differences += line.received != line.dispatched
    shipment.stage, shipment.stage_seq = ShipmentStage.RECEIVED.value, step.seq
    shipment.received_at, shipment.received_by, shipment.closed_at = step.at, actor_id, step.at
    shipment.differences, shipment.receipt_note, shipment.late_at = differences, receipt.note, None
    await session.flush()
    return await answer(session, shipment)


# --- timers -------------------------------------------------------------------------------------------------------


async def record_step(session: AsyncSession, step: ShipmentStep) -> ShipmentAnswer:
    """A timer's step: late (escalated to the city), cancelled (never dispatched: nothing moved), or lost (never
    received: everything arrives on paper and is written down as missing, so nothing stays in transit)."""
    shipment = await _locked(session, step.code)
    if _written(shipment, step):
        return await answer(session, shipment)
    match step.event:
        case ShipmentEvent.DISPATCH_LATE | ShipmentEvent.TRANSIT_LATE:
            waiting = ShipmentStage.PICKED if step.event == ShipmentEvent.DISPATCH_LATE else ShipmentStage.IN_TRANSIT
            _require(shipment, waiting, step)
            shipment.late_at = step.at
        case ShipmentEvent.CANCELLED:
            _require(shipment, ShipmentStage.PICKED, step)
            shipment.stage, shipment.closed_at = ShipmentStage.CANCELLED.value, step.at
        case ShipmentEvent.LOST:
            _require(shipment, ShipmentStage.IN_TRANSIT, step)
            arrivals = await _arrive(session, shipment, None)
            lines = await _lines(session, shipment.id)
            for line in lines:
                await _adjust(session, shipment, line, arrivals, Decimal(0), "never arrived", None)
            shipment.stage, shipment.closed_at = ShipmentStage.LOST.value, step.at
            shipment.differences = sum(1 for line in lines if line.dispatched)
        case _:
            raise RuleViolation(f"shipment {step.code}: {step.event.value} is not a timer's step")
    shipment.stage_seq = step.seq
    await session.flush()
    return await answer(session, shipment)
