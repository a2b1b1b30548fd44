"""The stock ledger: every change of stock is one append-only movement, and the database keeps the balances.

Each function takes the caller's session and writes inside its transaction, so a use case that records a
donation's counts or a bag's issue commits the movement with the rest of its work or not at all. Every
movement carries an idempotency key: writing it again returns the movement already written, so a retried
activity or a double-submitted form moves stock once. The rules (no balance below zero, nothing taken from a
lot past its expiry date) are the database's (migration 0008); this module turns its refusals into StockErrors.
"""

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import psycopg
from sqlalchemy import Date, Select, and_, cast, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from db.supply import BagReservation, Lot, StockBalance, StockMovement
from domain.supply import FOOD_BAG, MovementKind, ReservationState
from services.stock_errors import InsufficientStock, LotExpired, MovementKeyReused

# Keys derive lot ids, so a retried receipt or assembly names the lot it made the first time.
LOT_NAMESPACE = uuid.UUID("5b0e7a52-55a1-4c53-9a59-2f4b1a0c2d11")


@dataclass(frozen=True)
class Movement:
    key: str
    place_code: str
    lot_id: uuid.UUID
    kind: MovementKind
    quantity: Decimal  # a magnitude: the kind gives the sign
    counterpart_code: str | None = None
    request_code: str | None = None
    reason: str | None = None
    actor_id: uuid.UUID | None = None


@dataclass(frozen=True)
class Pick:
    lot_id: uuid.UUID
    quantity: Decimal
    expires_on: date | None


# The database's clock in city time, as the expiry rule in the database reads it.
CITY_TODAY = cast(func.timezone("Asia/Ho_Chi_Minh", func.statement_timestamp()), Date)


def lot_id_for(key: str) -> uuid.UUID:
    return uuid.uuid5(LOT_NAMESPACE, key)


async def record(session: AsyncSession, m: Movement) -> int:
    """Writes the movement once; the same key again returns the first one's id (or refuses a different one)."""
    if m.quantity <= 0:
        raise ValueError("a movement's quantity is a positive magnitude")
    signed = m.quantity * m.kind.sign
    stmt = (
        insert(StockMovement)
        .values(
            idempotency_key=m.key,
            place_code=m.place_code,
            lot_id=m.lot_id,
            item_code="",  # the trigger sets the lot's item
            kind=m.kind.value,
            quantity=signed,
            counterpart_code=m.counterpart_code,
            request_code=m.request_code,
            reason=m.reason,
            actor_id=m.actor_id,
        )
        .on_conflict_do_nothing(index_elements=["idempotency_key"])
        .returning(StockMovement.id)
    )
    try:
        async with session.begin_nested():
            movement_id = (await session.execute(stmt)).scalar_one_or_none()
    except IntegrityError as exc:
        raise _refusal(exc, m) from exc
    if movement_id is not None:
        return movement_id
    first = (await session.execute(select(StockMovement).where(StockMovement.idempotency_key == m.key))).scalar_one()
    if (first.place_code, first.lot_id, first.kind, first.quantity) != (m.place_code, m.lot_id, m.kind, signed):
        raise MovementKeyReused(m.key)
    return first.id


def _refusal(exc: IntegrityError, m: Movement) -> Exception:
    cause = exc.orig
    constraint = cause.diag.constraint_name if isinstance(cause, psycopg.Error) else None
    if constraint in ("ck_stock_movements_lot_not_expired", "ck_bag_reservations_lot_not_expired"):
        return LotExpired(m.lot_id)
    if constraint == "ck_stock_balances_not_negative" or constraint == "ck_stock_balances_reserved_within_on_hand":
        return InsufficientStock(m.place_code, str(m.lot_id), m.quantity, Decimal(0))
    return exc


async def create_lot(
    session: AsyncSession,
    key: str,
    item_code: str,
    expires_on: date | None,
    donation_line_id: uuid.UUID | None = None,
    kit_version: int | None = None,
) -> uuid.UUID:
    lot_id = lot_id_for(key)
    await session.execute(
        insert(Lot)
        .values(
            id=lot_id,
            item_code=item_code,
            expires_on=expires_on,
            donation_line_id=donation_line_id,
            kit_version=kit_version,
        )
        .on_conflict_do_nothing(index_elements=["id"])
    )
    return lot_id


async def receive(
    session: AsyncSession,
    key: str,
    place_code: str,
    item_code: str,
    quantity: Decimal,
    expires_on: date | None,
    donation_line_id: uuid.UUID | None = None,
    actor_id: uuid.UUID | None = None,
) -> uuid.UUID:
    """Goods arriving at a place become a new lot there."""
    lot_id = await create_lot(session, key, item_code, expires_on, donation_line_id)
    await record(session, Movement(key, place_code, lot_id, MovementKind.RECEIVED, quantity, actor_id=actor_id))
    return lot_id


def _usable(place_code: str, item_code: str) -> Select[uuid.UUID, Decimal, date | None]:
    """Lots of the item at the place with something free, first expiry first (no expiry last, then oldest)."""
    free = StockBalance.on_hand - StockBalance.reserved
    return (
        select(StockBalance.lot_id, free.label("free"), Lot.expires_on)
        .join(Lot, Lot.id == StockBalance.lot_id)
        .where(
            StockBalance.place_code == place_code,
            StockBalance.item_code == item_code,
            free > 0,
            or_(Lot.expires_on.is_(None), Lot.expires_on >= CITY_TODAY),
        )
        .order_by(Lot.expires_on.asc().nulls_last(), Lot.created_at, Lot.id)
    )


async def available(session: AsyncSession, place_code: str, item_code: str) -> Decimal:
    free = _usable(place_code, item_code).subquery()
    return Decimal((await session.execute(select(func.coalesce(func.sum(free.c.free), 0)))).scalar_one())


async def pick_fefo(session: AsyncSession, place_code: str, item_code: str, quantity: Decimal) -> list[Pick]:
    """Which lots to take the quantity from, first expiry first. Nothing is locked here: the movements that
    take them are refused by the database if another pick got there first, and the whole unit of work fails."""
    picks: list[Pick] = []
    remaining = quantity
    for lot_id, free, expires_on in (await session.execute(_usable(place_code, item_code))).all():
        take = min(Decimal(free), remaining)
        picks.append(Pick(lot_id, take, expires_on))
        remaining -= take
        if remaining <= 0:
            return picks
    raise InsufficientStock(place_code, item_code, quantity, quantity - remaining)


async def take(
    session: AsyncSession,
    key: str,
    place_code: str,
    item_code: str,
    quantity: Decimal,
    kind: MovementKind,
    counterpart_code: str | None = None,
    reason: str | None = None,
    actor_id: uuid.UUID | None = None,
    lot_id: uuid.UUID | None = None,
) -> list[Pick]:
    """Takes the quantity out of the place FEFO (or out of the one lot named), one movement per lot. Idempotent:
    the movements already written under this key are the answer, whatever stock has done since."""
    done = await _movements_under(session, key)
    if done:
        return done
    if lot_id is None:
        picks = await pick_fefo(session, place_code, item_code, quantity)
    else:
        picks = [Pick(lot_id, quantity, (await session.get_one(Lot, lot_id)).expires_on)]
    for pick in picks:
        await record(
            session,
            Movement(
                f"{key}:{pick.lot_id}",
                place_code,
                pick.lot_id,
                kind,
                pick.quantity,
                counterpart_code=counterpart_code,
                reason=reason,
                actor_id=actor_id,
            ),
        )
    return picks


async def _movements_under(session: AsyncSession, key: str) -> list[Pick]:
    rows = (
        await session.execute(
            select(StockMovement.lot_id, StockMovement.quantity, Lot.expires_on)
            .join(Lot, Lot.id == StockMovement.lot_id)
            .where(StockMovement.idempotency_key.like(f"{_escape_like(key)}:%", escape="\\"))
            .where(StockMovement.quantity < 0)
            .order_by(StockMovement.id)
        )
    ).all()
    return [Pick(lot_id, -Decimal(q), expires_on) for lot_id, q, expires_on in rows]


def _escape_like(key: str) -> str:
    return key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


async def transfer(
    session: AsyncSession,
    key: str,
    from_place: str,
    to_place: str,
    item_code: str,
    quantity: Decimal,
    actor_id: uuid.UUID | None = None,
    lot_id: uuid.UUID | None = None,
) -> list[Pick]:
    """Moves stock between places lot by lot (FEFO, or the one lot named), keeping each lot's identity and expiry."""
    picks = await take(
        session,
        f"{key}:out",
        from_place,
        item_code,
        quantity,
        MovementKind.TRANSFERRED_OUT,
        to_place,
        actor_id=actor_id,
        lot_id=lot_id,
    )
    for pick in picks:
        await record(
            session,
            Movement(
                f"{key}:in:{pick.lot_id}",
                to_place,
                pick.lot_id,
                MovementKind.TRANSFERRED_IN,
                pick.quantity,
                counterpart_code=from_place,
                actor_id=actor_id,
            ),
        )
    return picks


async def count(
    session: AsyncSession, key: str, place_code: str, lot_id: uuid.UUID, counted: Decimal, actor_id: uuid.UUID | None
) -> Decimal:
    """A physical count of one lot: the difference from the ledger becomes an adjustment. Returns the difference."""
    on_hand = (
        await session.execute(
            select(StockBalance.on_hand)
            .where(StockBalance.place_code == place_code, StockBalance.lot_id == lot_id)
            .with_for_update()
        )
    ).scalar_one_or_none()
    difference = counted - Decimal(on_hand or 0)
    if difference != 0:
        kind = MovementKind.ADJUSTED_UP if difference > 0 else MovementKind.ADJUSTED_DOWN
        await record(session, Movement(key, place_code, lot_id, kind, abs(difference), actor_id=actor_id))
    return difference


# --- bags reserved for requests ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Reservation:
    request_code: str
    round: int
    place_code: str
    lot_id: uuid.UUID
    state: ReservationState


async def reserve_bag(session: AsyncSession, request_code: str, round: int, place_code: str) -> Reservation | None:
    """Holds one bag at the place for the request (FEFO), or None when the place has none free. The same
    request and round again returns the reservation already made."""
    existing = await _reservation(session, request_code, round)
    if existing is not None:
        return existing
    for lot_id, _free, _expires in (await session.execute(_usable(place_code, FOOD_BAG))).all():
        try:
            async with session.begin_nested():
                session.add(
                    BagReservation(
                        request_code=request_code, round=round, place_code=place_code, lot_id=lot_id, state="held"
                    )
                )
                await session.flush()
        except IntegrityError as exc:
            if _constraint(exc) == "uq_bag_reservations_request_round":
                return await _reservation(session, request_code, round)
            continue  # another request took this lot's last free bag: try the next lot
        return Reservation(request_code, round, place_code, lot_id, ReservationState.HELD)
    return None


def _constraint(exc: IntegrityError) -> str | None:
    cause = exc.orig
    return cause.diag.constraint_name if isinstance(cause, psycopg.Error) else None


async def _reservation(session: AsyncSession, request_code: str, round: int) -> Reservation | None:
    row = (
        await session.execute(
            select(BagReservation).where(BagReservation.request_code == request_code, BagReservation.round == round)
        )
    ).scalar_one_or_none()
    if row is None:
        return None
    return Reservation(row.request_code, row.round, row.place_code, row.lot_id, ReservationState(row.state))


async def release_bag(session: AsyncSession, request_code: str) -> bool:
    """Puts the request's held bag back on the shelf; True if one was held. Releasing again does nothing."""
    result = await session.execute(
        update(BagReservation)
        .where(BagReservation.request_code == request_code, BagReservation.state == ReservationState.HELD.value)
        .values(state=ReservationState.RELEASED.value, closed_at=func.statement_timestamp())
    )
    return bool(getattr(result, "rowcount", 0))


async def issue_bag(session: AsyncSession, request_code: str, actor_id: uuid.UUID | None) -> Reservation | None:
    """The courier handed the held bag to the household: the reservation closes and an issue movement naming
    the request takes the bag off the place's stock. Issuing again returns the issued reservation."""
    held = (
        await session.execute(
            select(BagReservation)
            .where(
                BagReservation.request_code == request_code,
                BagReservation.state.in_((ReservationState.HELD.value, ReservationState.ISSUED.value)),
            )
            .order_by(BagReservation.round.desc())
            .limit(1)
            .with_for_update()
        )
    ).scalar_one_or_none()
    if held is None:
        return None
    if held.state == ReservationState.HELD.value:
        # The reservation lets go of the bag first: reserved may never exceed on hand, even within a statement.
        held.state = ReservationState.ISSUED.value
        held.closed_at = func.statement_timestamp()
        await session.flush()
        held.issued_movement_id = await record(
            session,
            Movement(
                f"issue:{request_code}:{held.round}",
                held.place_code,
                held.lot_id,
                MovementKind.ISSUED_HOUSEHOLD,
                Decimal(1),
                request_code=request_code,
                actor_id=actor_id,
            ),
        )
        await session.flush()
    return Reservation(held.request_code, held.round, held.place_code, held.lot_id, ReservationState(held.state))


# --- the ledger's own check ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Discrepancy:
    place_code: str
    lot_id: uuid.UUID
    balance: Decimal
    movements: Decimal
    reserved: Decimal
    held: int


async def discrepancies(session: AsyncSession) -> list[Discrepancy]:
    """Balances that differ from the sum of their movements, or whose reservations differ from the held ones,
    or that are negative: the fault suite expects none after its faults."""
    sums = (
        select(
            StockMovement.place_code,
            StockMovement.lot_id,
            func.sum(StockMovement.quantity).label("total"),
        )
        .group_by(StockMovement.place_code, StockMovement.lot_id)
        .subquery()
    )
    held = (
        select(BagReservation.place_code, BagReservation.lot_id, func.count().label("held"))
        .where(BagReservation.state == ReservationState.HELD.value)
        .group_by(BagReservation.place_code, BagReservation.lot_id)
        .subquery()
    )
    total = func.coalesce(sums.c.total, 0)
    held_count = func.coalesce(held.c.held, 0)
    rows = (
        await session.execute(
            select(StockBalance.place_code, StockBalance.lot_id, StockBalance.on_hand, total, StockBalance.reserved)
            .add_columns(held_count)
            .outerjoin(sums, and_(sums.c.place_code == StockBalance.place_code, sums.c.lot_id == StockBalance.lot_id))
            .outerjoin(held, and_(held.c.place_code == StockBalance.place_code, held.c.lot_id == StockBalance.lot_id))
            .where(
                or_(
                    StockBalance.on_hand != total,
                    StockBalance.reserved != held_count,
                    StockBalance.on_hand < 0,
                )
            )
        )
    ).all()
    return [Discrepancy(r[0], r[1], Decimal(r[2]), Decimal(r[3]), Decimal(r[4]), int(r[5])) for r in rows]
