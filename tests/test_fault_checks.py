"""The fault suite's verdict on the stock ledger (tests/system/checks.py) can fail: on a ledger with nothing in it,
on a balance that is not the sum of its movements, and on a bag still held for a request that ended."""

from datetime import date, timedelta

from sqlalchemy import text

from db.base import transaction
from services import kits, stock_ledger
from services.supply_seed import ward_point_code
from tests.factories import DISTRICT, WARD
from tests.system.checks import ledger_checks
from tests.trust_fixtures import insert_request

POINT = ward_point_code(WARD)


async def verdict(database_url: str) -> list[bool]:
    return [check.passed for check in await ledger_checks(database_url)]


async def test_the_ledger_checks_fail_on_a_broken_balance_and_on_a_bag_held_after_the_end(
    database_url: str, db: None
) -> None:
    assert await verdict(database_url) == [False, True], "a ledger that never moved passed"
    expires_on = date.today() + timedelta(days=30)
    async with transaction() as session:
        _, per_bag = await kits.current_kit(session)
        for item, quantity in per_bag.items():
            await stock_ledger.receive(session, f"d:{item}", POINT, item, quantity * 2, expires_on)
        await kits.assemble(session, "bags", POINT, 2, actor_id=None)
    assert await verdict(database_url) == [True, True]

    delivered = await insert_request(WARD, DISTRICT, "+84903111555", stage="delivered")
    async with transaction() as session:
        assert await stock_ledger.reserve_bag(session, delivered.code, 1, POINT) is not None
    assert await verdict(database_url) == [True, False]
    async with transaction() as session:
        await stock_ledger.release_bag(session, delivered.code)
        await session.execute(text("UPDATE stock_balances SET on_hand = on_hand + 1 WHERE item_code = 'rice'"))
    assert await verdict(database_url) == [False, True]
