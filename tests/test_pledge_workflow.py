"""A pledge's whole life through the real HTTP API on the time-skipping server: paid and confirmed; expired and
offered again (and the helper slowed); the household reminded, then the ward asked; disputed and decided both
ways; released before paying. Each end tells the relief request's workflow `support_changed`."""

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from db.audit import AuditEntry
from db.base import transaction
from db.cash import CommunityHelper
from db.notifications import Notification
from domain.cash import CASH_POLICY, CashPolicy, PledgeState
from domain.names import pledge_workflow_id, workflow_id
from domain.pledges import PledgeAnswer
from domain.roles import Role
from services import cash_ledger
from tests.factories import WARD, make_staff
from tests.pledge_fixtures import (
    ACCOUNT_NUMBER,
    HOLDER,
    Need,
    V,
    a_helper,
    household_headers,
    pledge,
    pledge_app,
    published_need,
    world,
)
from tests.trust_fixtures import in_process
from usecases.trust.tokens import issue_staff_token

pytestmark = pytest.mark.timeout(180)
__all__ = ["world"]  # the fixture, shared by the pledge tests


async def result(client: Client, code: str) -> PledgeState:
    return (await client.get_workflow_handle(pledge_workflow_id(code), result_type=PledgeAnswer).result()).state


async def signalled(client: Client, code: str) -> list[tuple[str, str]]:
    """(workflow id, signal name) of every signal the pledge's workflow sent to another workflow."""
    history = await client.get_workflow_handle(pledge_workflow_id(code)).fetch_history()
    return [
        (e.signal_external_workflow_execution_initiated_event_attributes.workflow_execution.workflow_id,
         e.signal_external_workflow_execution_initiated_event_attributes.signal_name)
        for e in history.events
        if e.HasField("signal_external_workflow_execution_initiated_event_attributes")
    ]  # fmt: skip


async def messages(code: str) -> list[tuple[str, str]]:
    async with transaction() as session:
        rows = await session.execute(
            select(Notification.event, Notification.audience)
            .where(Notification.pledge_id.in_(select(cash_ledger.Pledge.id).where(cash_ledger.Pledge.code == code)))
            .order_by(Notification.seq, Notification.audience)
        )
        return [(event, audience) for event, audience in rows]


async def totals(need: Need) -> cash_ledger.NeedTotals:
    async with transaction() as session:
        return await cash_ledger.totals(session, need.request_id)


async def test_pledged_then_paid_then_confirmed(world: Any, client: Client) -> None:
    http, settings = world
    need = await published_need(1_000_000)
    _, helper = await a_helper(settings)
    made = await pledge(http, helper, need, 300_000)
    assert made.status_code == 201, made.text
    code = made.json()["code"]
    assert made.json()["state"] == "pledged" and made.json()["reference"] == f"ANSINH {code}"
    details = (await http.get(f"{V}/helper/pledges/{code}", headers=helper)).json()
    payment = details["payment"]
    assert payment["account_number"] == ACCOUNT_NUMBER and payment["holder_name"] == HOLDER
    assert payment["bank_name"] and f"ANSINH {code}" in payment["qr_payload"] and "300000" in payment["qr_payload"]
    paid = await http.post(f"{V}/helper/pledges/{code}/transfer", headers=helper)
    assert paid.json() == {"state": "transferred"}, paid.text
    # Paid, the account is no longer shown.
    assert (await http.get(f"{V}/helper/pledges/{code}", headers=helper)).json()["payment"] is None
    household = household_headers(settings, need.household_id)
    confirmed = await http.post(f"{V}/citizen/pledges/{code}/confirmation", json={"arrived": True}, headers=household)
    assert confirmed.json() == {"state": "confirmed"}, confirmed.text
    assert await result(client, code) == PledgeState.CONFIRMED
    assert (await totals(need)).amount_confirmed == 300_000
    assert await signalled(client, code) == [(workflow_id(need.request_code), "support_changed")]
    assert await messages(code) == [
        ("pledged", "citizen"), ("pledged", "helper"), ("transferred", "citizen"), ("confirmed", "helper"),
    ]  # fmt: skip
    async with transaction() as session:
        reads = await session.scalar(select(AuditEntry.id).where(AuditEntry.action == "account_number_read").limit(1))
    assert reads is not None  # the one reading while pledged was recorded


async def test_a_pledge_not_paid_in_time_expires_and_its_amount_is_offered_again(
    world: Any, client: Client, temporal_env: WorkflowEnvironment
) -> None:
    http, settings = world
    need = await published_need(500_000)
    helper_id, helper = await a_helper(settings)
    codes = []
    for _ in range(CASH_POLICY.helper_expiries_to_slow):
        made = await pledge(http, helper, need, 500_000)
        assert made.status_code == 201, made.text
        codes.append(made.json()["code"])
        assert (await totals(need)).remaining == 0
        await temporal_env.sleep(CASH_POLICY.pledge_transfer_within + timedelta(minutes=5))
        assert await result(client, codes[-1]) == PledgeState.EXPIRED
        assert await signalled(client, codes[-1]) == [(workflow_id(need.request_code), "support_changed")]
        assert (await totals(need)).remaining == 500_000  # offered again
        assert ("expired", "helper") in await messages(codes[-1])
    async with transaction() as session:
        helper_row = await session.get(CommunityHelper, helper_id)
        assert helper_row is not None and helper_row.expired_pledges == CASH_POLICY.helper_expiries_to_slow
        assert helper_row.slowed_until is not None and helper_row.flagged_at is None
    # Slowed: no new pledge for now, and nothing held.
    slowed = await pledge(http, helper, need, 100_000)
    assert slowed.status_code == 429 and slowed.json()["kind"] == "RateLimited", slowed.text
    assert (await totals(need)).amount_pledged == 0


async def test_a_helper_whose_pledges_keep_expiring_is_flagged_to_the_city(
    client: Client, task_queue: str, temporal_env: WorkflowEnvironment
) -> None:
    policy = CashPolicy(helper_expiries_to_slow=1, helper_expiries_to_flag=1)
    app, settings = pledge_app(client, task_queue, policy)
    need = await published_need(100_000)
    helper_id, helper = await a_helper(settings)
    async for http in in_process(app):
        code = (await pledge(http, helper, need, 100_000)).json()["code"]
    await temporal_env.sleep(policy.pledge_transfer_within + timedelta(minutes=5))
    assert await result(client, code) == PledgeState.EXPIRED
    async with transaction() as session:
        helper_row = await session.get(CommunityHelper, helper_id)
        assert helper_row is not None and helper_row.flagged_at is not None
        city = await session.scalar(select(Notification.unit_code).where(Notification.event == "helper_flagged"))
    assert city == "79"


async def test_an_unconfirmed_payment_reminds_the_household_then_asks_the_ward(
    world: Any, client: Client, temporal_env: WorkflowEnvironment
) -> None:
    http, settings = world
    need = await published_need(400_000)
    _, helper = await a_helper(settings)
    code = (await pledge(http, helper, need, 400_000)).json()["code"]
    await http.post(f"{V}/helper/pledges/{code}/transfer", headers=helper)
    official = await make_staff(Role.WARD_OFFICIAL, WARD)
    ward = {"Authorization": f"Bearer {issue_staff_token(settings, official.id, official.role)}"}
    # Too early for the ward to decide: the household has not been asked long enough.
    early = await http.post(f"{V}/cash/pledges/{code}/resolution", json={"arrived": True}, headers=ward)
    assert early.status_code == 409 and early.json()["kind"] == "WrongStage", early.text
    await temporal_env.sleep(CASH_POLICY.confirm_reminder_after + timedelta(minutes=5))
    assert ("confirm_reminder", "citizen") in await messages(code)
    assert ("ward_asked", "ward") not in await messages(code)
    await temporal_env.sleep(CASH_POLICY.confirm_ward_after - CASH_POLICY.confirm_reminder_after)
    assert ("ward_asked", "ward") in await messages(code)
    handle = client.get_workflow_handle(pledge_workflow_id(code))
    attributes = (await handle.describe()).typed_search_attributes
    from domain import names

    assert attributes.get(names.SA_OVERDUE) is True and attributes.get(names.SA_STAGE) == "transferred"
    assert attributes.get(names.SA_KIND) == "pledge" and attributes.get(names.SA_WARD) == WARD
    told = (await http.get(f"{V}/notifications", headers=ward)).json()
    assert any(row["event"] == "ward_asked" and f"ANSINH {code}" in row["message"] for row in told), told
    listed = (await http.get(f"{V}/cash/pledges/awaiting-ward", headers=ward)).json()
    assert [row["code"] for row in listed] == [code]
    decided = await http.post(f"{V}/cash/pledges/{code}/resolution", json={"arrived": True}, headers=ward)
    assert decided.json() == {"state": "confirmed"}, decided.text
    assert await result(client, code) == PledgeState.CONFIRMED
    assert (await totals(need)).amount_confirmed == 400_000


@pytest.mark.parametrize(
    ("arrived", "ends", "confirmed", "remaining"), [(True, "confirmed", 250_000, 0), (False, "released", 0, 250_000)]
)
async def test_a_disputed_pledge_is_the_wards_to_decide(
    world: Any, client: Client, arrived: bool, ends: str, confirmed: int, remaining: int
) -> None:
    http, settings = world
    need = await published_need(250_000)
    _, helper = await a_helper(settings)
    code = (await pledge(http, helper, need, 250_000)).json()["code"]
    await http.post(f"{V}/helper/pledges/{code}/transfer", headers=helper)
    household = household_headers(settings, need.household_id)
    disputed = await http.post(f"{V}/citizen/pledges/{code}/confirmation", json={"arrived": False}, headers=household)
    assert disputed.json() == {"state": "disputed"}, disputed.text
    assert ("disputed", "ward") in await messages(code) and ("disputed", "helper") in await messages(code)
    official = await make_staff(Role.WARD_OFFICIAL, WARD)
    ward = {"Authorization": f"Bearer {issue_staff_token(settings, official.id, official.role)}"}
    decided = await http.post(f"{V}/cash/pledges/{code}/resolution", json={"arrived": arrived}, headers=ward)
    assert decided.json() == {"state": ends}, decided.text
    assert await result(client, code) == PledgeState(ends)
    after = await totals(need)
    assert after.amount_confirmed == confirmed and after.remaining == remaining


async def test_the_helper_releases_a_pledge_before_paying(world: Any, client: Client) -> None:
    http, settings = world
    need = await published_need(200_000)
    _, helper = await a_helper(settings)
    code = (await pledge(http, helper, need, 150_000)).json()["code"]
    released = await http.post(f"{V}/helper/pledges/{code}/release", headers=helper)
    assert released.json() == {"state": "released"}, released.text
    assert await result(client, code) == PledgeState.RELEASED
    assert (await totals(need)).remaining == 200_000
    assert await signalled(client, code) == [(workflow_id(need.request_code), "support_changed")]
    # Released, it cannot be reported paid.
    late = await http.post(f"{V}/helper/pledges/{code}/transfer", headers=helper)
    assert late.status_code == 409, late.text
