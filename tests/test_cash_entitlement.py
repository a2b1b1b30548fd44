"""The cash window is read from the cash ledger: a need closed with money confirmed refuses the household's next
cash need within the window (merged households included), a need closed with nothing confirmed does not, and a
bag's window is its own."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from db.base import transaction
from db.cash import CashNeed
from db.households import Household
from domain.cash import PledgeState
from domain.stages import RefusalReason, RequestKind
from services import cash_ledger, entitlement
from services.household_merge import merge_households
from tests.factories import WARD
from tests.test_cash_ledger import NOW, WINDOW, a_helper, a_need

pytestmark = pytest.mark.usefixtures("db")


async def _supported_need(amount_confirmed: int) -> CashNeed:
    request_id = await a_need(1_000_000)
    if amount_confirmed:
        helper = await a_helper()
        async with transaction() as session:
            await cash_ledger.pledge(session, "P-ENT-1", request_id, helper, amount_confirmed)
            for state in (PledgeState.TRANSFERRED, PledgeState.CONFIRMED):
                await cash_ledger.move_pledge(session, "P-ENT-1", state, NOW)
    async with transaction() as session:
        await cash_ledger.close_need(session, request_id, NOW, WINDOW)
        return (await session.scalars(select(CashNeed).where(CashNeed.request_id == request_id))).one()


async def test_a_supported_need_refuses_cash_within_the_window_and_not_a_bag() -> None:
    need = await _supported_need(400_000)
    assert need.household_id is not None
    async with transaction() as session:
        refused = await entitlement.refusal(session, need.household_id, RequestKind.CASH_SUPPORT, NOW + timedelta(1))
        bag = await entitlement.refusal(session, need.household_id, RequestKind.FOOD_BAG, NOW + timedelta(1))
        later = await entitlement.refusal(session, need.household_id, RequestKind.CASH_SUPPORT, NOW + WINDOW)
    assert refused is not None and refused.refusal == RefusalReason.ALREADY_RECEIVED
    assert refused.eligible_again_on is not None and bag is None and later is None


async def test_a_need_closed_without_money_leaves_the_household_free() -> None:
    need = await _supported_need(0)
    assert need.household_id is not None
    async with transaction() as session:
        assert await entitlement.refusal(session, need.household_id, RequestKind.CASH_SUPPORT, NOW) is None


async def test_a_merge_cannot_hide_a_recent_transfer() -> None:
    need = await _supported_need(400_000)
    assert need.household_id is not None
    async with transaction() as session:
        other = Household(ward_code=WARD, address="99 Pasteur", address_key="99 pasteur", size=2)
        session.add(other)
        await session.flush()
        await merge_households(session, source=need.household_id, target=other.id)
        refused = await entitlement.refusal(session, other.id, RequestKind.CASH_SUPPORT, NOW + timedelta(1))
    assert refused is not None and refused.refusal == RefusalReason.ALREADY_RECEIVED
