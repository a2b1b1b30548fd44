"""The ledger's rules hold in the database: under concurrent picks, for expired lots, for retries."""

import asyncio
import uuid
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from db.base import transaction
from db.supply import LotComponent, StockBalance, StockMovement
from domain.supply import FOOD_BAG, MovementKind
from services import kits, stock_ledger
from services.stock_errors import InsufficientStock, LotExpired, MovementKeyReused
from services.stock_ledger import Movement
from services.supply_seed import district_warehouse_code, ward_point_code

pytestmark = pytest.mark.usefixtures("db")

WARD_POINT = ward_point_code("26734")  # Phường Bến Nghé, Quận 1
DISTRICT = district_warehouse_code("760")
SOON = date.today() + timedelta(days=3)
LATER = date.today() + timedelta(days=30)


async def receive(key: str, item: str, quantity: int, expires_on: date | None = LATER, place: str = WARD_POINT):
    async with transaction() as session:
        return await stock_ledger.receive(session, key, place, item, Decimal(quantity), expires_on)


async def on_hand(place: str, lot_id: uuid.UUID) -> Decimal:
    async with transaction() as session:
        row = await session.get(StockBalance, (place, lot_id))
        return Decimal(row.on_hand) if row else Decimal(0)


async def take_one(key: str, quantity: int = 1) -> bool:
    try:
        async with transaction() as session:
            await stock_ledger.take(
                session, key, WARD_POINT, "rice", Decimal(quantity), MovementKind.ISSUED_INSTITUTION
            )
    except InsufficientStock:
        return False
    return True


async def test_concurrent_picks_never_take_more_than_there_is() -> None:
    lot = await receive("donation-1:rice", "rice", 3)
    results = await asyncio.gather(*(take_one(f"pick-{i}") for i in range(8)))
    assert sum(results) == 3
    assert await on_hand(WARD_POINT, lot) == 0
    # Two picks of 2 racing for the last 3: one of them only.
    await receive("donation-2:rice", "rice", 3)
    assert sorted(await asyncio.gather(take_one("big-1", 2), take_one("big-2", 2))) == [False, True]
    async with transaction() as session:
        assert await stock_ledger.discrepancies(session) == []
        negative = (await session.execute(select(StockBalance).where(StockBalance.on_hand < 0))).all()
    assert negative == []


async def test_the_database_refuses_a_balance_below_zero_whoever_writes() -> None:
    lot = await receive("donation-1:oil", "cooking_oil", 2)
    with pytest.raises(InsufficientStock):
        async with transaction() as session:
            await stock_ledger.record(
                session, Movement("too-much", WARD_POINT, lot, MovementKind.WRITTEN_OFF, Decimal(3), reason="spilt")
            )
    with pytest.raises(DBAPIError, match="append-only"):
        async with transaction() as session:
            await session.execute(text("UPDATE stock_movements SET quantity = 100"))
    with pytest.raises(DBAPIError, match="cannot have quantity"):
        async with transaction() as session:
            await session.execute(
                text(
                    "INSERT INTO stock_movements (idempotency_key, place_code, lot_id, item_code, kind, quantity) "
                    "VALUES ('x', :place, :lot, 'cooking_oil', 'received', -1)"
                ),
                {"place": WARD_POINT, "lot": lot},
            )
    assert await on_hand(WARD_POINT, lot) == 2


async def test_an_expired_lot_is_refused_for_issue_and_transfer_and_can_be_written_off() -> None:
    lot = await receive("donation-1:veg", "vegetables", 10, expires_on=date.today() + timedelta(days=1))
    async with transaction() as session:  # two days pass
        await session.execute(
            text("UPDATE supply_lots SET expires_on = :d WHERE id = :lot"),
            {"d": date.today() - timedelta(days=1), "lot": lot},
        )
    for kind in (MovementKind.ISSUED_INSTITUTION, MovementKind.TRANSFERRED_OUT, MovementKind.ASSEMBLED_OUT):
        with pytest.raises(LotExpired):
            async with transaction() as session:
                await stock_ledger.record(session, Movement(f"use-{kind}", WARD_POINT, lot, kind, Decimal(1)))
    async with transaction() as session:  # nor offered to a pick
        assert await stock_ledger.available(session, WARD_POINT, "vegetables") == 0
        with pytest.raises(InsufficientStock):
            await stock_ledger.transfer(session, "t-1", WARD_POINT, DISTRICT, "vegetables", Decimal(1))
    with pytest.raises(LotExpired):
        await receive("late-delivery:veg", "vegetables", 5, expires_on=date.today() - timedelta(days=1))
    async with transaction() as session:
        await stock_ledger.record(
            session, Movement("spoiled-1", WARD_POINT, lot, MovementKind.WRITTEN_OFF, Decimal(10), reason="héo")
        )
    assert await on_hand(WARD_POINT, lot) == 0


async def test_a_movement_written_twice_is_written_once_and_a_reused_key_is_refused() -> None:
    lot = await receive("donation-1:fish", "canned_fish", 10)
    await receive("donation-1:fish", "canned_fish", 10)  # the same receipt, retried
    assert await on_hand(WARD_POINT, lot) == 10
    async with transaction() as session:
        first = await stock_ledger.transfer(session, "t-1", WARD_POINT, DISTRICT, "canned_fish", Decimal(4))
    async with transaction() as session:
        again = await stock_ledger.transfer(session, "t-1", WARD_POINT, DISTRICT, "canned_fish", Decimal(4))
    assert first == again
    assert (await on_hand(WARD_POINT, lot), await on_hand(DISTRICT, lot)) == (6, 4)
    with pytest.raises(MovementKeyReused):
        async with transaction() as session:
            await stock_ledger.record(
                session, Movement("donation-1:fish", WARD_POINT, lot, MovementKind.RECEIVED, Decimal(99))
            )


async def test_transfers_and_picks_take_the_first_expiry_first() -> None:
    late = await receive("d-1:rice", "rice", 20, expires_on=LATER)
    soon = await receive("d-2:rice", "rice", 20, expires_on=SOON)
    never = await receive("d-3:rice", "rice", 20, expires_on=None)
    async with transaction() as session:
        picks = await stock_ledger.transfer(session, "t-1", WARD_POINT, DISTRICT, "rice", Decimal(30))
    assert [(p.lot_id, p.quantity) for p in picks] == [(soon, 20), (late, 10)]
    assert await on_hand(WARD_POINT, never) == 20
    async with transaction() as session:  # a named lot goes whatever its expiry, and only once
        for _ in range(2):
            named = await stock_ledger.transfer(session, "t-2", WARD_POINT, DISTRICT, "rice", Decimal(5), lot_id=never)
    assert [(p.lot_id, p.quantity) for p in named] == [(never, 5)]
    assert (await on_hand(WARD_POINT, never), await on_hand(DISTRICT, never)) == (15, 5)


async def stock_for_bags(bags: int, veg_expiry: date = SOON) -> dict[str, uuid.UUID]:
    lots = {}
    for item, per_bag in (("rice", 10), ("cooking_oil", 1), ("instant_noodles", 10), ("canned_fish", 5)):
        lots[item] = await receive(f"d:{item}", item, per_bag * bags)
    lots["vegetables"] = await receive("d:veg", "vegetables", 2 * bags, expires_on=veg_expiry)
    return lots


async def test_bags_are_assembled_fefo_and_remember_their_lots() -> None:
    lots = await stock_for_bags(3)
    older_rice = await receive("d-old:rice", "rice", 15, expires_on=SOON - timedelta(days=1))
    async with transaction() as session:
        bags = await kits.assemble(session, "assembly-1", WARD_POINT, 2, actor_id=None)
    assert bags.expires_on == SOON - timedelta(days=1) and bags.kit_version == 1
    assert await on_hand(WARD_POINT, bags.lot_id) == 2
    assert await on_hand(WARD_POINT, older_rice) == 0  # 15 kg of the older lot first, then 5 of the other
    assert await on_hand(WARD_POINT, lots["rice"]) == 25
    async with transaction() as session:
        parts = dict(
            (
                await session.execute(
                    select(LotComponent.component_lot_id, LotComponent.quantity).where(
                        LotComponent.lot_id == bags.lot_id
                    )
                )
            ).all()
        )
        assert parts[older_rice] == Decimal("7.5") and parts[lots["rice"]] == Decimal("2.5")
        assert parts[lots["vegetables"]] == 2
        again = await kits.assemble(session, "assembly-1", WARD_POINT, 2, actor_id=None)
    assert again == bags


async def test_an_assembly_short_of_one_line_writes_nothing() -> None:
    await stock_for_bags(1)
    with pytest.raises(InsufficientStock) as refused:
        async with transaction() as session:
            await kits.assemble(session, "assembly-1", WARD_POINT, 2, actor_id=None)
    assert refused.value.item_code in {"rice", "cooking_oil", "instant_noodles", "canned_fish", "vegetables"}
    async with transaction() as session:
        kinds = (await session.execute(select(StockMovement.kind))).scalars().all()
    assert set(kinds) == {"received"}


async def test_a_bag_is_reserved_once_issued_to_the_request_or_released() -> None:
    await stock_for_bags(1)
    async with transaction() as session:
        bags = await kits.assemble(session, "assembly-1", WARD_POINT, 1, actor_id=None)

    async def reserve(code: str) -> bool:
        async with transaction() as session:
            return await stock_ledger.reserve_bag(session, code, 1, WARD_POINT) is not None

    assert sorted(await asyncio.gather(reserve("AS-A"), reserve("AS-B"))) == [False, True]
    holder = "AS-A" if await reserve("AS-A") else "AS-B"
    async with transaction() as session:
        assert await stock_ledger.release_bag(session, holder)
        assert not await stock_ledger.release_bag(session, holder)
        assert await stock_ledger.reserve_bag(session, "AS-C", 1, WARD_POINT) is not None
        issued = await stock_ledger.issue_bag(session, "AS-C", actor_id=None)
        assert issued is not None and issued.lot_id == bags.lot_id
        assert await stock_ledger.issue_bag(session, "AS-C", actor_id=None) == issued
    assert await on_hand(WARD_POINT, bags.lot_id) == 0
    async with transaction() as session:
        movement = (
            await session.execute(select(StockMovement).where(StockMovement.kind == MovementKind.ISSUED_HOUSEHOLD))
        ).scalar_one()
        assert (movement.request_code, movement.item_code, movement.quantity) == ("AS-C", FOOD_BAG, -1)
        assert await stock_ledger.discrepancies(session) == []


async def test_an_issued_bag_traces_to_the_donation_lines_it_was_made_of() -> None:
    from services.bag_trace import trace_issued_bags
    from services.supply_demo import donated_goods

    goods = {"rice": 20, "cooking_oil": 2, "instant_noodles": 20, "canned_fish": 10, "vegetables": 2}
    async with transaction() as session:
        await donated_goods(session, "gift-1", WARD_POINT, {k: Decimal(v) for k, v in goods.items()}, LATER)
        # Vegetables the ward bought, from no donation, expiring sooner: the first bag takes them (FEFO).
        await stock_ledger.receive(session, "bought:veg", WARD_POINT, "vegetables", Decimal(2), SOON)
        first = await kits.assemble(session, "assembly-1", WARD_POINT, 1, actor_id=None)
        second = await kits.assemble(session, "assembly-2", WARD_POINT, 1, actor_id=None)
        for code in ("AS-1", "AS-2"):
            await stock_ledger.reserve_bag(session, code, 1, WARD_POINT)
            await stock_ledger.issue_bag(session, code, actor_id=None)
        trace = await trace_issued_bags(session)
    assert first.lot_id != second.lot_id
    assert (trace.issued, trace.traced, trace.untraced_requests) == (2, 1, ("AS-1",))
