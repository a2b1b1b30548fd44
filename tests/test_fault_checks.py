"""The fault suite's verdict (tests/system/checks.py) can fail: on a ledger with nothing in it, on a balance that
is not the sum of its movements, on a bag still held for a request that ended; on a pledge whose workflow was lost,
a need whose totals are not its pledges', and a supported request that was not confirmed in full."""

from datetime import date, timedelta

from sqlalchemy import text
from temporalio.client import Client

from db.base import transaction
from domain.cash import PledgeState
from services import cash_ledger, kits, stock_ledger
from services.supply_seed import ward_point_code
from tests.cash_factories import NOW, a_helper, a_need
from tests.factories import DISTRICT, WARD
from tests.system.checks import cash_checks, ledger_checks
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


async def test_the_cash_checks_fail_on_a_lost_pledge_workflow_wrong_totals_and_a_short_supported_need(
    database_url: str, client: Client, db: None
) -> None:
    async def verdict() -> list[bool]:
        return [check.passed for check in await cash_checks(database_url, client, settle_seconds=0)]

    assert await verdict() == [True, True, True]
    need, helper = await a_need(500_000), await a_helper()
    async with transaction() as session:
        await cash_ledger.pledge(session, "LOSTWF", need, helper, 200_000)
        await cash_ledger.move_pledge(session, "LOSTWF", PledgeState.EXPIRED, NOW)
    assert await verdict() == [False, True, True], "a pledge without its workflow passed"
    async with transaction() as session:
        await session.execute(
            text("UPDATE cash_needs SET amount_pledged = amount_pledged + 1000 WHERE request_id = :id"), {"id": need}
        )
    assert (await verdict())[1] is False, "a need holding more than its pledges passed"
    async with transaction() as session:
        await session.execute(
            text("UPDATE cash_needs SET amount_pledged = amount_pledged - 1000 WHERE request_id = :id"), {"id": need}
        )
        await session.execute(text("UPDATE relief_requests SET stage = 'supported' WHERE id = :id"), {"id": need})
    assert (await verdict())[1:] == [True, False], "a supported request with nothing confirmed passed"
