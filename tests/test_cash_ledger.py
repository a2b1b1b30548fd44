"""The cash ledger's rules hold in the database: concurrent pledges never over-fund a need, a pledge moves only
along its allowed states (a second confirmation writes nothing), and a supported need starts the household's
cash window."""

import asyncio
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import delete, select, update
from sqlalchemy.exc import DBAPIError, IntegrityError

from db.base import transaction
from db.cash import CashNeed, Pledge
from domain.cash import NeedState, PledgeState
from services import cash_ledger
from services.cash_ledger import NeedNotOpen, OverFunded, PledgeMoveRefused
from tests.cash_factories import NOW, a_helper, a_need

pytestmark = pytest.mark.usefixtures("db")

WINDOW = timedelta(days=14)


async def try_pledge(request_id: uuid.UUID, helper_id: uuid.UUID, code: str, amount: int) -> bool:
    try:
        async with transaction() as session:
            await cash_ledger.pledge(session, code, request_id, helper_id, amount)
    except OverFunded:
        return False
    return True


async def totals(request_id: uuid.UUID) -> cash_ledger.NeedTotals:
    async with transaction() as session:
        return await cash_ledger.totals(session, request_id)


async def move(code: str, to: PledgeState) -> cash_ledger.PledgeRow:
    async with transaction() as session:
        return await cash_ledger.move_pledge(session, code, to, NOW)


async def test_concurrent_pledges_never_take_a_need_past_what_was_asked() -> None:
    need = await a_need(1_000_000)
    helpers = [await a_helper() for _ in range(8)]
    results = await asyncio.gather(*(try_pledge(need, h, f"P{i:07d}", 300_000) for i, h in enumerate(helpers)))
    assert sum(results) == 3
    assert (await totals(need)).amount_pledged == 900_000
    # The last 100,000: of two racing pledges of 100,000 exactly one is taken; a larger one is refused.
    assert not await try_pledge(need, helpers[0], "BIG", 200_000)
    assert sorted(
        await asyncio.gather(try_pledge(need, helpers[1], "L1", 100_000), try_pledge(need, helpers[2], "L2", 100_000))
    ) == [False, True]
    assert (await totals(need)).remaining == 0


async def test_the_refusal_says_what_remains_and_writes_nothing() -> None:
    need = await a_need(500_000)
    helper = await a_helper()
    assert await try_pledge(need, helper, "A1", 400_000)
    with pytest.raises(OverFunded) as refused:
        async with transaction() as session:
            await cash_ledger.pledge(session, "A2", need, helper, 200_000)
    assert refused.value.remaining == 100_000
    async with transaction() as session:
        assert await session.scalar(select(Pledge.id).where(Pledge.code == "A2")) is None


async def test_the_same_pledge_code_again_holds_the_amount_once() -> None:
    need = await a_need(500_000)
    helper = await a_helper()
    assert await try_pledge(need, helper, "SAME", 200_000)
    assert await try_pledge(need, helper, "SAME", 200_000)
    assert (await totals(need)).amount_pledged == 200_000


async def test_only_a_published_need_takes_pledges() -> None:
    need = await a_need(publish=False)
    helper = await a_helper()
    with pytest.raises(NeedNotOpen):
        async with transaction() as session:
            await cash_ledger.pledge(session, "X1", need, helper, 100_000)
    async with transaction() as session:
        await cash_ledger.set_need_state(session, need, NeedState.PUBLISHED, NOW)
    assert await try_pledge(need, helper, "X2", 100_000)
    async with transaction() as session:
        await cash_ledger.set_need_state(session, need, NeedState.WITHDRAWN, NOW)
    with pytest.raises(NeedNotOpen):
        async with transaction() as session:
            await cash_ledger.pledge(session, "X3", need, helper, 100_000)
    # A pledge made before the need was withdrawn runs on.
    assert (await move("X2", PledgeState.TRANSFERRED)).state == PledgeState.TRANSFERRED


async def test_an_expired_pledge_offers_its_amount_again_and_a_confirmed_one_counts() -> None:
    need = await a_need(600_000)
    helper = await a_helper()
    assert await try_pledge(need, helper, "E1", 400_000)
    assert await try_pledge(need, helper, "C1", 200_000)
    await move("E1", PledgeState.EXPIRED)
    assert (await totals(need)).remaining == 400_000
    await move("C1", PledgeState.TRANSFERRED)
    await move("C1", PledgeState.CONFIRMED)
    t = await totals(need)
    assert (t.amount_pledged, t.amount_confirmed) == (200_000, 200_000)
    # A dispute the ward finds never arrived gives the amount back.
    assert await try_pledge(need, helper, "D1", 400_000)
    await move("D1", PledgeState.TRANSFERRED)
    await move("D1", PledgeState.DISPUTED)
    assert (await totals(need)).remaining == 0
    await move("D1", PledgeState.RELEASED)
    assert (await totals(need)).remaining == 400_000


async def test_a_pledge_moves_only_along_its_states() -> None:
    need = await a_need()
    helper = await a_helper()
    assert await try_pledge(need, helper, "M1", 100_000)
    with pytest.raises(PledgeMoveRefused):  # confirmed before the helper said they paid
        await move("M1", PledgeState.CONFIRMED)
    await move("M1", PledgeState.TRANSFERRED)
    await move("M1", PledgeState.CONFIRMED)
    # A second confirmation is the first one's answer; nothing is written twice.
    assert (await move("M1", PledgeState.CONFIRMED)).state == PledgeState.CONFIRMED
    assert (await totals(need)).amount_confirmed == 100_000
    for wrong in (PledgeState.EXPIRED, PledgeState.DISPUTED, PledgeState.RELEASED):
        with pytest.raises(PledgeMoveRefused):
            await move("M1", wrong)
    assert (await totals(need)).amount_confirmed == 100_000


async def test_pledges_are_never_deleted_nor_rewritten() -> None:
    need = await a_need()
    helper = await a_helper()
    assert await try_pledge(need, helper, "R1", 100_000)
    for statement in (
        delete(Pledge).where(Pledge.code == "R1"),
        update(Pledge).where(Pledge.code == "R1").values(amount=1),
        update(Pledge).where(Pledge.code == "R1").values(state="confirmed"),
    ):
        with pytest.raises(DBAPIError):
            async with transaction() as session:
                await session.execute(statement)
    async with transaction() as session:
        with pytest.raises(DBAPIError):  # and the totals cannot be written past the rule by hand
            async with session.begin_nested():
                await session.execute(
                    update(CashNeed).where(CashNeed.request_id == need).values(amount_pledged=2_000_000)
                )


async def test_a_supported_need_starts_the_household_s_cash_window() -> None:
    need = await a_need(300_000)
    helper = await a_helper()
    assert await try_pledge(need, helper, "W1", 300_000)
    await move("W1", PledgeState.TRANSFERRED)
    await move("W1", PledgeState.CONFIRMED)
    async with transaction() as session:
        closed = await cash_ledger.close_need(session, need, NOW, WINDOW)
        again = await cash_ledger.close_need(session, need, NOW + timedelta(days=1), WINDOW)
        household = await session.scalar(select(CashNeed.household_id).where(CashNeed.request_id == need))
    assert closed.fully_confirmed and again.state == NeedState.CLOSED
    # A second need of the same household supported inside the window is impossible in the database.
    second = await a_need(300_000, household_id=household)
    assert await try_pledge(second, helper, "W2", 300_000)
    await move("W2", PledgeState.TRANSFERRED)
    await move("W2", PledgeState.CONFIRMED)
    with pytest.raises(IntegrityError):
        async with transaction() as session:
            await cash_ledger.close_need(session, second, NOW + timedelta(days=3), WINDOW)
    async with transaction() as session:
        closed_later = await cash_ledger.close_need(session, second, NOW + WINDOW, WINDOW)
    assert closed_later.state == NeedState.CLOSED


async def test_a_need_closed_with_nothing_confirmed_leaves_the_window_free() -> None:
    need = await a_need(300_000)
    async with transaction() as session:
        await cash_ledger.close_need(session, need, NOW, WINDOW)
        period = await session.scalar(select(CashNeed.entitled_period).where(CashNeed.request_id == need))
    assert period is None
    with pytest.raises(NeedNotOpen):
        async with transaction() as session:
            await cash_ledger.pledge(session, "Z1", need, await a_helper(), 100_000)
