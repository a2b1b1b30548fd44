"""Every delivered bag has stock behind it: a dispatched food-bag request holds a bag at its ward's distribution
point, the proof of delivery issues it to the household, any other way out releases it; a ward without bags puts
the request in awaiting_stock until bags come, told by a signal or finding them on its own re-check."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from common.settings import get_settings
from db.base import transaction
from db.notifications import Notification
from db.supply import BagReservation, StockBalance, StockMovement
from domain.messages import Cancellation, FailedAttempt, RequestInput
from domain.policy import Policy
from domain.roles import Role
from domain.stages import EventType, Stage
from domain.supply import MovementKind
from server import create_app
from services import kits, stock_ledger
from services.supply_seed import ward_point_code
from tests.factories import DISTRICT, WARD, applicant, make_staff, stock_ward
from tests.relief_helpers import (
    POLICY,
    approve,
    assign,
    events_of,
    open_claims,
    proof,
    register,
    stage_in_db,
    wait_for_stage,
)
from tests.temporal_helpers import finished, raw_search_attributes
from tests.trust_fixtures import in_process
from usecases.relief import workflow_gateway as gateway
from usecases.relief.stock_arrivals import signal_waiting_requests
from usecases.trust.tokens import issue_staff_token
from workflows.relief_request import ReliefRequestWorkflow

POINT = ward_point_code(WARD)
AUTOMATIC = Policy(auto_assign_courier=True)
_A_MINUTE = timedelta(minutes=1)


async def reservations(code: str) -> list[tuple[int, str]]:
    async with transaction() as session:
        rows = await session.execute(
            select(BagReservation.round, BagReservation.state)
            .where(BagReservation.request_code == code)
            .order_by(BagReservation.round)
        )
        return [(r, s) for r, s in rows.all()]


async def bags_at_point() -> tuple[Decimal, Decimal]:
    """On hand and reserved food bags at the ward's point."""
    async with transaction() as session:
        on_hand, reserved = (
            await session.execute(
                select(StockBalance.on_hand, StockBalance.reserved).where(
                    StockBalance.place_code == POINT, StockBalance.item_code == "food_bag"
                )
            )
        ).one()
    return Decimal(on_hand), Decimal(reserved)


async def assert_ledger_agrees() -> None:
    async with transaction() as session:
        assert await stock_ledger.discrepancies(session) == []


async def deliver_to(client: Client, inp: RequestInput, courier, national_id: str) -> None:
    result = await gateway.send(
        client, inp.code, ReliefRequestWorkflow.confirm_delivery, proof(courier, national_id), "confirm-1"
    )
    assert result.stage == Stage.DELIVERED


async def assert_issued_to(inp: RequestInput) -> None:
    async with transaction() as session:
        issued = (
            await session.execute(
                select(StockMovement.place_code, StockMovement.request_code, StockMovement.quantity).where(
                    StockMovement.kind == MovementKind.ISSUED_HOUSEHOLD.value
                )
            )
        ).all()
    assert issued == [(POINT, inp.code, -1)]


@pytest.mark.parametrize("policy", [POLICY, AUTOMATIC], ids=["assigned-by-the-ward", "automatic-dispatch"])
async def test_the_dispatch_holds_a_bag_and_the_proof_of_delivery_issues_it(
    client: Client, task_queue: str, policy: Policy
) -> None:
    official = await make_staff(Role.WARD_OFFICIAL, WARD)
    courier = await make_staff(Role.COURIER, WARD)
    who = applicant()
    inp, _ = await register(client, task_queue, who, policy, bags=2)
    assert await bags_at_point() == (2, 0)

    decided = await approve(client, inp.code, official, "verify-1")
    assert decided.stage == (Stage.OUT_FOR_DELIVERY if policy.auto_assign_courier else Stage.AWAITING_DISPATCH)
    assert await reservations(inp.code) == [(1, "held")]
    assert await bags_at_point() == (2, 1)
    if not policy.auto_assign_courier:
        await assign(client, inp.code, official, courier, "assign-1")

    await deliver_to(client, inp, courier, who.national_id)
    assert await reservations(inp.code) == [(1, "issued")]
    assert await bags_at_point() == (1, 0)  # one bag fewer on the shelf, none held
    await assert_issued_to(inp)
    await assert_ledger_agrees()


async def test_a_cancellation_puts_the_held_bag_back(client: Client, task_queue: str) -> None:
    official = await make_staff(Role.WARD_OFFICIAL, WARD)
    courier = await make_staff(Role.COURIER, WARD)
    inp, _ = await register(client, task_queue, applicant())
    await approve(client, inp.code, official, "verify-1")
    await assign(client, inp.code, official, courier, "assign-1")
    assert await bags_at_point() == (1, 1)

    cancelled = await gateway.send(
        client, inp.code, ReliefRequestWorkflow.cancel, Cancellation(actor=official.actor(), reason="đã chuyển đi"), "c"
    )
    assert cancelled.stage == Stage.CANCELLED
    assert await reservations(inp.code) == [(1, "released")]
    assert await bags_at_point() == (1, 0)
    await assert_ledger_agrees()


async def test_a_failed_attempt_that_returns_the_request_releases_the_bag_and_the_next_dispatch_holds_one_again(
    client: Client, task_queue: str
) -> None:
    official = await make_staff(Role.WARD_OFFICIAL, WARD)
    courier = await make_staff(Role.COURIER, WARD)
    next_courier = await make_staff(Role.COURIER, WARD)
    who = applicant()
    inp, _ = await register(client, task_queue, who, Policy(auto_assign_courier=False, max_delivery_attempts=1))
    await approve(client, inp.code, official, "verify-1")
    await assign(client, inp.code, official, courier, "assign-1")

    failed = await gateway.send(
        client,
        inp.code,
        ReliefRequestWorkflow.report_failed_attempt,
        FailedAttempt(actor=courier.actor(), reason="không có ai ở nhà"),
        "f-1",
    )
    assert failed.stage == Stage.AWAITING_VERIFICATION
    assert await reservations(inp.code) == [(1, "released")]
    assert await bags_at_point() == (1, 0)

    # The ward decides again: a second round holds the bag the courier brought back.
    assert (await approve(client, inp.code, official, "verify-2")).stage == Stage.AWAITING_DISPATCH
    assert await reservations(inp.code) == [(1, "released"), (2, "held")]
    await assign(client, inp.code, official, next_courier, "assign-2")
    await deliver_to(client, inp, next_courier, who.national_id)
    assert await reservations(inp.code) == [(1, "released"), (2, "issued")]
    assert await bags_at_point() == (0, 0)
    await assert_issued_to(inp)
    await assert_ledger_agrees()


async def test_an_expired_dispatch_releases_the_bag(
    client: Client, task_queue: str, temporal_env: WorkflowEnvironment
) -> None:
    official = await make_staff(Role.WARD_OFFICIAL, WARD)
    inp, _ = await register(client, task_queue, applicant())
    await approve(client, inp.code, official, "verify-1")
    assert await reservations(inp.code) == [(1, "held")]

    await temporal_env.sleep(POLICY.dispatch_expiry_after + _A_MINUTE)
    assert (await finished(client, inp.code)).stage == Stage.EXPIRED
    assert await reservations(inp.code) == [(1, "released")]
    assert await bags_at_point() == (1, 0)
    assert await open_claims() == 0
    await assert_ledger_agrees()


async def _waiting_for_stock(client: Client, task_queue: str, policy: Policy) -> tuple[RequestInput, str]:
    """A request approved in a ward whose point has no bag."""
    official = await make_staff(Role.WARD_OFFICIAL, WARD)
    who = applicant()
    inp, _ = await register(client, task_queue, who, policy, bags=0)
    decided = await approve(client, inp.code, official, "verify-1")
    assert decided.stage == Stage.AWAITING_STOCK
    await wait_for_stage(inp, Stage.AWAITING_STOCK)
    assert (await raw_search_attributes(client, inp.code))["AnSinhStage"] == b'"awaiting_stock"'
    assert await reservations(inp.code) == []
    return inp, who.national_id


async def _messages(inp: RequestInput, event: EventType) -> list[tuple[str, str | None, str]]:
    async with transaction() as session:
        rows = await session.execute(
            select(Notification.audience, Notification.unit_code, Notification.message).where(
                Notification.request_id == inp.request_id, Notification.event == event.value
            )
        )
        return sorted((a, u, m) for a, u, m in rows.all())


async def test_bags_assembled_in_the_ward_send_a_waiting_request_on_when_it_is_told(
    client: Client, task_queue: str
) -> None:
    courier = await make_staff(Role.COURIER, WARD)
    inp, national_id = await _waiting_for_stock(client, task_queue, AUTOMATIC)
    told = await _messages(inp, EventType.STOCK_AWAITED)
    assert [a for a, _u, _m in told] == ["citizen", "ward"]
    assert "Đang chờ hàng về điểm phát của phường" in told[0][2]

    await stock_ward(WARD, bags=1)
    assert await signal_waiting_requests(client, WARD) == 1
    # Nobody acts again: the request holds the new bag and goes to the ward's free courier.
    await wait_for_stage(inp, Stage.OUT_FOR_DELIVERY)
    assert await reservations(inp.code) == [(1, "held")]
    assert await events_of(inp) == [
        "registered",
        "verification_requested",
        "approved",
        "stock_awaited",
        "bag_reserved",
        "courier_assigned",
    ]
    await deliver_to(client, inp, courier, national_id)
    await assert_issued_to(inp)
    await assert_ledger_agrees()


async def test_a_request_waiting_for_stock_is_reminded_escalated_and_finds_bags_on_its_own_recheck(
    client: Client, task_queue: str, temporal_env: WorkflowEnvironment
) -> None:
    inp, _ = await _waiting_for_stock(client, task_queue, POLICY)

    await temporal_env.sleep(POLICY.stock_reminder_after + _A_MINUTE)
    assert [a for a, _u, _m in await _messages(inp, EventType.STOCK_REMINDER)] == ["ward"]
    await temporal_env.sleep(POLICY.stock_escalation_after - POLICY.stock_reminder_after)
    escalated = await _messages(inp, EventType.STOCK_ESCALATED)
    assert [(a, u) for a, u, _m in escalated] == [("citizen", None), ("district", DISTRICT)]
    assert "điều hàng về phường" in escalated[1][2]
    assert (await raw_search_attributes(client, inp.code))["AnSinhEscalation"] == b'"district"'
    assert await stage_in_db(inp) == Stage.AWAITING_STOCK

    # Bags come, and nobody tells the request: its periodic re-check finds them.
    await stock_ward(WARD, bags=1)
    await temporal_env.sleep(POLICY.stock_recheck_every + _A_MINUTE)
    await wait_for_stage(inp, Stage.AWAITING_DISPATCH)
    assert await reservations(inp.code) == [(1, "held")]
    assert (await raw_search_attributes(client, inp.code))["AnSinhEscalation"] == b'"ward"'
    await assert_ledger_agrees()


async def test_a_request_no_bag_ever_reaches_expires_and_frees_its_household(
    client: Client, task_queue: str, temporal_env: WorkflowEnvironment
) -> None:
    inp, _ = await _waiting_for_stock(client, task_queue, POLICY)
    await temporal_env.sleep(POLICY.stock_expiry_after + _A_MINUTE)
    assert (await finished(client, inp.code)).stage == Stage.EXPIRED
    assert (await events_of(inp))[-1] == EventType.STOCK_EXPIRED
    assert await open_claims() == 0
    assert await reservations(inp.code) == []
    await assert_ledger_agrees()


async def test_a_verified_household_s_next_request_holds_its_bag_before_any_courier(
    client: Client, task_queue: str, temporal_env: WorkflowEnvironment
) -> None:
    official = await make_staff(Role.WARD_OFFICIAL, WARD)
    courier = await make_staff(Role.COURIER, WARD)
    who = applicant()
    first, _ = await register(client, task_queue, who)
    await approve(client, first.code, official, "verify-1")
    await assign(client, first.code, official, courier, "assign-1")
    await deliver_to(client, first, courier, who.national_id)

    await temporal_env.sleep(POLICY.entitlement_window + timedelta(days=1))
    # Already on the ward's verified list, it skips verification; the point's shelf is empty, so it waits.
    again, admission = await register(client, task_queue, who, bags=0)
    assert admission.stage == Stage.AWAITING_DISPATCH
    await wait_for_stage(again, Stage.AWAITING_STOCK)
    await stock_ward(WARD, bags=1)
    assert await signal_waiting_requests(client, WARD) == 1
    await wait_for_stage(again, Stage.AWAITING_DISPATCH)
    assert await reservations(again.code) == [(1, "held")]
    await assert_ledger_agrees()


async def test_a_storekeeper_assembling_bags_on_the_api_sends_the_waiting_request_on(
    client: Client, task_queue: str
) -> None:
    """The whole way: no signal sent by hand, no timer: the warehouse staff's assembly wakes the ward's requests."""
    inp, _ = await _waiting_for_stock(client, task_queue, POLICY)
    point = ward_point_code(WARD)
    storekeeper = await make_staff(Role.WAREHOUSE_STAFF, WARD, place_code=point)
    async with transaction() as session:
        _version, lines = await kits.current_kit(session)
        for item, per_bag in lines.items():
            await stock_ledger.receive(session, f"goods:{item}", point, item, per_bag, date.today() + timedelta(days=9))
    settings = get_settings()
    app = create_app(settings)
    app.state.temporal = client
    headers = {
        "Authorization": f"Bearer {issue_staff_token(settings, storekeeper.id, storekeeper.role)}",
        "Idempotency-Key": "assembly-1",
    }
    async for http in in_process(app):
        made = await http.post(f"/api/v1/stock/places/{point}/assemblies", json={"bags": 1}, headers=headers)
        assert made.status_code == 200, made.text
    await wait_for_stage(inp, Stage.AWAITING_DISPATCH)
    assert await reservations(inp.code) == [(1, "held")]
    await assert_ledger_agrees()
