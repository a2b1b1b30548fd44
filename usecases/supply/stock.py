"""What warehouse staff do with their place's stock: assemble food bags, count a lot, write off, transfer to another
place, issue to an institution.

Each action is one transaction: the movements and the audit entry are committed together, or nothing is (a refusal
rolls the session back before it is answered). Each carries the person's idempotency key (the API's Idempotency-Key,
a page's hidden form token): the key, scoped to the person and the action, is taken under a transaction-level
advisory lock, so a double submission, even two at the same instant, moves stock once and the repeat is answered
with the movements the first one wrote. The ledger (services/stock_ledger.py) and the database keep the rules; here
quantities are judged against the item's unit and the ledger's refusals become field errors, each a stable code
with the catalogue's words (texts/errors_supply.py).
"""

import hashlib
from collections.abc import Awaitable, Callable
from decimal import Decimal
from uuid import UUID

from sqlalchemy import Select, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.supply import StockBalance, StockMovement, SupplyItem, SupplyPlace
from domain.supply import ASSEMBLY_KINDS, FOOD_BAG, INSTITUTION_KINDS, MovementKind, PlaceKind
from services import kits, stock_ledger
from services.stock_errors import InsufficientStock, LotExpired, MovementKeyReused, StockError
from services.stock_ledger import Movement
from texts import Text
from usecases.context import Context
from usecases.errors import FieldProblem, InvalidInput
from usecases.principal import Principal
from usecases.relief.stock_arrivals import signal_waiting_requests
from usecases.schemas.stock import (
    AssemblyBody,
    CountBody,
    IssueBody,
    MovementLine,
    StockActionResult,
    TransferBody,
    WriteOffBody,
)
from usecases.supply.item_names import item_name, unit_name
from usecases.supply.stock_places import STOCK_HOLDING_KINDS, Place, audit_unit, own_place

# Beyond these a number is a slip of the finger, not a delivery (the city's largest donation lines were ~500 t).
MAX_QUANTITY = Decimal(1_000_000)
MAX_BAGS = 5_000
WRITE_OFF_CAUSES = ("spoiled", "damaged")
KEY_HEADER = "Idempotency-Key"


async def wake_requests_awaiting_stock(ctx: Context, ward_code: str) -> None:
    """Food bags became free at the ward's point, and are committed: the ward's requests waiting for stock
    (`awaiting_stock`) check again now rather than at their next re-check."""
    await signal_waiting_requests(ctx.temporal, ward_code)


def _problem(field: str, code: str, message: Text, value: object = None) -> InvalidInput:
    location = "header" if field == KEY_HEADER else "body"
    return InvalidInput(FieldProblem(field, code, message, value, location))


def _action_key(principal: Principal, action: str, client_key: str | None) -> str:
    """The ledger key of this person's action: another person's same client key is another action."""
    if not client_key:
        raise _problem(KEY_HEADER, "missing", Text("err.idempotency_key_missing"))
    digest = hashlib.sha256(f"{principal.user_id}|{action}|{client_key}".encode()).hexdigest()[:40]
    return f"stock:{action}:{digest}"


def _quantity(value: Decimal, field: str, item: SupplyItem, *, zero_allowed: bool = False) -> Decimal:
    if value < 0 or (value == 0 and not zero_allowed):
        least = Text("err.quantity_negative") if zero_allowed else Text("err.quantity_not_positive")
        raise _problem(field, "not_positive", least, str(value))
    if value > MAX_QUANTITY:
        raise _problem(field, "too_large", Text("err.quantity_too_large", most=MAX_QUANTITY), str(value))
    if item.whole_units and value != value.to_integral_value():
        words = Text("err.quantity_not_whole", item=item_name(item), unit=unit_name(item))
        raise _problem(field, "not_whole", words, str(value))
    exponent = value.normalize().as_tuple().exponent
    if isinstance(exponent, int) and exponent < -3:
        raise _problem(field, "too_precise", Text("err.quantity_too_precise"), str(value))
    return value


async def _item(session: AsyncSession, code: str) -> SupplyItem:
    item = await session.get(SupplyItem, code)
    if item is None:
        raise _problem("item_code", "unknown_item", Text("err.unknown_supply_item"), code)
    return item


async def _lot_here(session: AsyncSession, place: Place, lot_id: UUID, item_code: str | None = None) -> str:
    """The item of a lot held at this place; another place's lot answers like a lot that does not exist."""
    held = (
        await session.execute(
            select(StockBalance.item_code).where(StockBalance.place_code == place.code, StockBalance.lot_id == lot_id)
        )
    ).scalar_one_or_none()
    if held is None:
        raise _problem("lot_id", "unknown_lot", Text("err.unknown_lot"), str(lot_id))
    if item_code is not None and held != item_code:
        raise _problem("lot_id", "lot_item_mismatch", Text("err.lot_item_mismatch"), str(lot_id))
    return held


def movements_under(key: str) -> Select[StockMovement]:
    """The movements an action wrote under its key: the key itself, or `key:…` for one per lot or item."""
    return (
        select(StockMovement)
        .where(
            or_(
                StockMovement.idempotency_key == key,
                StockMovement.idempotency_key.startswith(f"{key}:", autoescape=True),
            )
        )
        .order_by(StockMovement.id)
    )


async def _recorded(session: AsyncSession, key: str) -> list[MovementLine]:
    rows = (await session.execute(movements_under(key))).scalars()
    return [
        MovementLine(place_code=m.place_code, lot_id=m.lot_id, item_code=m.item_code, kind=m.kind, quantity=m.quantity)
        for m in rows
    ]


async def _act(
    ctx: Context,
    principal: Principal,
    place: Place,
    action: str,
    key: str,
    work: Callable[[], Awaitable[object]],
    quantity_field: str,
) -> StockActionResult:
    session = ctx.session
    # Two submissions of one key wait for each other here; the second then finds the first's movements.
    await session.execute(select(func.pg_advisory_xact_lock(func.hashtextextended(key, 0))))
    done = await _recorded(session, key)
    repeated = bool(done)
    if not repeated:
        try:
            await work()
        except StockError as refused:
            await session.rollback()
            problem = await _refusal(session, refused, place, quantity_field)
            await ctx.auditor(principal).record(
                f"stock_{action}_refused", unit=audit_unit(place), place_code=place.code, code=refused.code
            )
            raise problem from refused
        done = await _recorded(session, key)
    await ctx.auditor(principal).record(
        f"stock_{action}", unit=audit_unit(place), place_code=place.code, movements=len(done), repeated=repeated
    )
    return StockActionResult(action=action, place_code=place.code, repeated=repeated, movements=done)


async def _refusal(session: AsyncSession, refused: StockError, place: Place, field: str) -> InvalidInput:
    if isinstance(refused, MovementKeyReused):
        return _problem(KEY_HEADER, refused.code, refused.text)
    if isinstance(refused, LotExpired):
        return _problem("lot_id" if field != "bags" else field, refused.code, refused.text)
    if isinstance(refused, InsufficientStock):
        item = await session.get(SupplyItem, refused.item_code)
        if item is None:  # the database's own refusal names a lot, not an item: a race or the reserved bags
            return _problem(field, refused.code, Text("err.insufficient_stock_bags_held"))
        free = f"{(await stock_ledger.available(session, place.code, item.code)).normalize():f}"
        wanted = f"{refused.wanted.normalize():f}"
        words = Text(
            "err.insufficient_free_stock", item=item_name(item), free=free, unit=unit_name(item), wanted=wanted
        )
        return _problem(field, refused.code, words)
    return _problem(field, refused.code, refused.text)


async def assemble(
    ctx: Context, principal: Principal, place_code: str, body: AssemblyBody, client_key: str | None
) -> StockActionResult:
    """Bags from the place's stock, FEFO, at a district warehouse or a ward point; all of them or none."""
    session = ctx.session
    place = await own_place(session, principal, place_code)
    if place.kind not in ASSEMBLY_KINDS:
        raise _problem("bags", "not_an_assembly_place", Text("err.not_an_assembly_place"))
    bag = await _item(session, FOOD_BAG)
    bags = _quantity(body.bags, "bags", bag)
    if bags > MAX_BAGS:
        raise _problem("bags", "too_large", Text("err.too_many_bags", most=MAX_BAGS), str(bags))
    key = _action_key(principal, "assembly", client_key)

    async def work() -> None:
        await kits.assemble(session, key, place.code, int(bags), principal.user_id)

    result = await _act(ctx, principal, place, "assembly", key, work, "bags")
    if place.kind == PlaceKind.WARD_POINT and not result.repeated:
        await wake_requests_awaiting_stock(ctx, place.unit_code)
    return result


async def count(
    ctx: Context, principal: Principal, place_code: str, body: CountBody, client_key: str | None
) -> StockActionResult:
    """A physical count of one lot; the difference from the ledger becomes an adjustment."""
    session = ctx.session
    place = await own_place(session, principal, place_code)
    item = await _item(session, await _lot_here(session, place, body.lot_id))
    counted = _quantity(body.counted, "counted", item, zero_allowed=True)
    key = _action_key(principal, "count", client_key)

    async def work() -> None:
        await stock_ledger.count(session, key, place.code, body.lot_id, counted, principal.user_id)

    return await _act(ctx, principal, place, "count", key, work, "counted")


async def write_off(
    ctx: Context, principal: Principal, place_code: str, body: WriteOffBody, client_key: str | None
) -> StockActionResult:
    """Spoiled or damaged goods leave the ledger, with the cause and a reason; the only way out of an expired lot
    besides a count."""
    session = ctx.session
    place = await own_place(session, principal, place_code)
    if body.cause not in WRITE_OFF_CAUSES:
        raise _problem("cause", "unknown_cause", Text("err.unknown_write_off_cause"), body.cause)
    if len(body.reason) < 3:
        raise _problem("reason", "missing", Text("err.write_off_reason_missing"))
    item = await _item(session, await _lot_here(session, place, body.lot_id))
    quantity = _quantity(body.quantity, "quantity", item)
    key = _action_key(principal, "write_off", client_key)
    movement = Movement(
        key,
        place.code,
        body.lot_id,
        MovementKind.WRITTEN_OFF,
        quantity,
        reason=f"{body.cause}: {body.reason}",
        actor_id=principal.user_id,
    )

    async def work() -> None:
        await stock_ledger.record(session, movement)

    return await _act(ctx, principal, place, "write_off", key, work, "quantity")


async def transfer(
    ctx: Context, principal: Principal, place_code: str, body: TransferBody, client_key: str | None
) -> StockActionResult:
    """Stock sent to another warehouse or ward point, FEFO or from one named lot; each lot keeps its expiry."""
    session = ctx.session
    place = await own_place(session, principal, place_code)
    destination = await session.get(SupplyPlace, body.to_place_code)
    if destination is None or not destination.active or destination.kind not in STOCK_HOLDING_KINDS:
        raise _problem("to_place_code", "unknown_place", Text("err.unknown_receiving_place"), body.to_place_code)
    if destination.code == place.code:
        raise _problem("to_place_code", "same_place", Text("err.transfer_to_same_place"), body.to_place_code)
    item = await _item(session, body.item_code)
    quantity = _quantity(body.quantity, "quantity", item)
    if body.lot_id is not None:
        await _lot_here(session, place, body.lot_id, item.code)
    key = _action_key(principal, "transfer", client_key)
    lot_id = body.lot_id

    async def work() -> None:
        await stock_ledger.transfer(
            session, key, place.code, destination.code, item.code, quantity, principal.user_id, lot_id
        )

    bags_to_ward = destination.unit_code if destination.kind == PlaceKind.WARD_POINT and item.code == FOOD_BAG else None
    result = await _act(ctx, principal, place, "transfer", key, work, "quantity")
    if bags_to_ward is not None and not result.repeated:
        await wake_requests_awaiting_stock(ctx, bags_to_ward)
    return result


async def issue(
    ctx: Context, principal: Principal, place_code: str, body: IssueBody, client_key: str | None
) -> StockActionResult:
    """Goods handed to a hospital, a quarantine area or a community kitchen: they leave the ledger."""
    session = ctx.session
    place = await own_place(session, principal, place_code)
    institution = await session.get(SupplyPlace, body.institution_code)
    if institution is None or not institution.active or institution.kind not in INSTITUTION_KINDS:
        raise _problem(
            "institution_code", "unknown_institution", Text("err.unknown_institution"), body.institution_code
        )
    item = await _item(session, body.item_code)
    quantity = _quantity(body.quantity, "quantity", item)
    if body.lot_id is not None:
        await _lot_here(session, place, body.lot_id, item.code)
    key = _action_key(principal, "issue", client_key)
    lot_id = body.lot_id

    async def work() -> None:
        kind = MovementKind.ISSUED_INSTITUTION
        if lot_id is None:
            await stock_ledger.take(
                session, key, place.code, item.code, quantity, kind, institution.code, actor_id=principal.user_id
            )
            return
        await stock_ledger.record(
            session,
            Movement(
                f"{key}:{lot_id}", place.code, lot_id, kind, quantity, institution.code, actor_id=principal.user_id
            ),
        )

    return await _act(ctx, principal, place, "issue", key, work, "quantity")
