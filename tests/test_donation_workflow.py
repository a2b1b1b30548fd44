"""A donation's workflow through every path on the time-skipping server: received and stocked (counts that differ
from the announcement, a rejected line), a reminder first, expiry, the donor's cancellation; a receipt retried or
sent twice writes stock once; a receipt the donation cannot accept is refused before anything is written. Each
workflow replays from its history after the test (tests/conftest.py)."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from temporalio.client import Client, WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError
from temporalio.testing import WorkflowEnvironment

from activities.donation import stock_donation
from domain import names
from domain.donations import (
    DonationActor,
    DonationAnswer,
    DonationEvent,
    DonationInput,
    DonationReceipt,
    DonationStage,
    DonationStep,
    DonorCancellation,
    Inspection,
    LineReceipt,
    StockDonationInput,
)
from domain.refusals import RefusalKind
from domain.roles import Role
from services.supply_seed import ward_point_code
from tests.donation_helpers import (
    announce,
    donation_row,
    donor_events,
    finished,
    lines_of,
    received_movements,
    server_today,
    until,
)
from tests.factories import OTHER_DISTRICT_WARD, WARD, make_staff
from usecases.relief.workflow_gateway import ActionRefused
from usecases.supply import donation_gateway
from workflows.donation import DonationWorkflow

pytestmark = pytest.mark.timeout(120)

PLACE = ward_point_code(WARD)


async def _announce_three_lines(client: Client, queue: str, env: WorkflowEnvironment) -> DonationInput:
    """Rice, canned fish and vegetables (perishable: fresh for six days), due in three days."""
    today = await server_today(env)
    lines = [
        ("rice", Decimal(100), None),
        ("canned_fish", Decimal(200), None),
        ("vegetables", Decimal(50), today + timedelta(days=6)),
    ]
    return await announce(client, queue, PLACE, lines, today)


async def _staff(place: str = PLACE, ward: str = WARD) -> DonationActor:
    staff = await make_staff(Role.WAREHOUSE_STAFF, ward, place_code=place)
    return DonationActor(role=Role.WAREHOUSE_STAFF, user_id=staff.id, place_code=place)


def _receipt(inp: DonationInput, actor: DonationActor) -> DonationReceipt:
    """Less rice than announced, the fish as announced, the vegetables refused."""
    rice, fish, vegetables = inp.lines
    return DonationReceipt(
        actor=actor,
        lines=(
            LineReceipt(line_id=rice.line_id, received_quantity=Decimal("95.5"), inspection=Inspection.ACCEPTED),
            LineReceipt(line_id=fish.line_id, received_quantity=Decimal(200), inspection=Inspection.ACCEPTED),
            LineReceipt(
                line_id=vegetables.line_id,
                received_quantity=Decimal(0),
                inspection=Inspection.REJECTED,
                rejection_reason="rau dập nát",
            ),
        ),
    )


async def test_received_with_differing_counts_and_a_rejected_line_becomes_two_lots(
    client: Client, task_queue: str, temporal_env: WorkflowEnvironment
) -> None:
    inp = await _announce_three_lines(client, task_queue, temporal_env)
    receipt = _receipt(inp, await _staff())
    answer = await donation_gateway.send(client, inp.code, DonationWorkflow.receive, receipt, "receipt-1")
    assert answer == DonationAnswer(stage=DonationStage.STOCKED, lots=2)
    # A double tap (the same update ID) is answered with the first answer; another submission is refused.
    again = await donation_gateway.send(client, inp.code, DonationWorkflow.receive, receipt, "receipt-1")
    assert again == answer
    with pytest.raises(ActionRefused) as refused:
        await donation_gateway.send(client, inp.code, DonationWorkflow.receive, receipt, "receipt-2")
    assert refused.value.kind == RefusalKind.WRONG_STAGE
    assert await finished(client, inp.code) == answer

    stocked = await received_movements(PLACE)
    assert stocked == {
        "rice": Decimal("95.5"),
        "rice#movements": 1,
        "canned_fish": Decimal(200),
        "canned_fish#movements": 1,
    }
    rice, fish, vegetables = await lines_of(inp.code)
    assert (rice.received_quantity, rice.inspection, rice.lot_id is not None) == (Decimal("95.5"), "accepted", True)
    assert (fish.received_quantity, fish.inspection) == (Decimal(200), "accepted")
    assert (vegetables.inspection, vegetables.rejection_reason, vegetables.lot_id) == ("rejected", "rau dập nát", None)
    row = await donation_row(inp.code)
    assert (row.stage, row.received_by) == ("stocked", receipt.actor.user_id)
    assert await donor_events(inp.donation_id) == ["donation_announced", "donation_stocked"]

    # The stocking step retried after its commit (a worker killed before it reported) writes nothing again.
    step = DonationStep(
        donation_id=inp.donation_id, code=inp.code, seq=2, at=datetime.now(UTC), stage=DonationStage.STOCKED,
        event=DonationEvent.STOCKED,
    )  # fmt: skip
    retried = await stock_donation(StockDonationInput(step=step, place_code=PLACE, receipt=receipt))
    assert retried == answer
    assert await received_movements(PLACE) == stocked


async def test_the_donor_is_reminded_before_the_day_then_the_goods_arrive(
    client: Client, task_queue: str, temporal_env: WorkflowEnvironment
) -> None:
    inp = await _announce_three_lines(client, task_queue, temporal_env)
    handle = client.get_workflow_handle(names.donation_workflow_id(inp.code), result_type=DonationAnswer)
    reminder_at = inp.due_at - inp.policy.reminder_before
    await temporal_env.sleep(reminder_at - await temporal_env.get_current_time() + timedelta(hours=1))
    assert await handle.query(DonationWorkflow.stage) == DonationStage.ANNOUNCED
    await until(lambda: donor_events(inp.donation_id), ["donation_announced", "donation_reminder"])
    answer = await donation_gateway.send(client, inp.code, DonationWorkflow.receive, _receipt(inp, await _staff()), "r")
    assert answer.stage == DonationStage.STOCKED
    assert await donor_events(inp.donation_id) == ["donation_announced", "donation_reminder", "donation_stocked"]


async def test_a_donation_that_never_comes_expires_and_then_refuses_a_receipt(
    client: Client, task_queue: str, temporal_env: WorkflowEnvironment
) -> None:
    inp = await _announce_three_lines(client, task_queue, temporal_env)
    # Past the reminder, then past the expiry: the server skips time even while a step runs, so the second skip
    # waits for the reminder's step to be written.
    await temporal_env.sleep(
        inp.due_at - inp.policy.reminder_before - await temporal_env.get_current_time() + timedelta(hours=1)
    )
    await until(lambda: donor_events(inp.donation_id), ["donation_announced", "donation_reminder"])
    await temporal_env.sleep(inp.policy.reminder_before + inp.policy.expiry_after)
    assert await finished(client, inp.code) == DonationAnswer(stage=DonationStage.EXPIRED)
    row = await donation_row(inp.code)
    assert row.stage == "expired" and row.closed_at is not None
    assert await donor_events(inp.donation_id) == ["donation_announced", "donation_reminder", "donation_expired"]
    with pytest.raises(ActionRefused) as refused:
        await donation_gateway.send(client, inp.code, DonationWorkflow.receive, _receipt(inp, await _staff()), "late")
    assert refused.value.kind == RefusalKind.WRONG_STAGE
    assert await received_movements(PLACE) == {}


async def test_the_donor_cancels_before_it_arrives(
    client: Client, task_queue: str, temporal_env: WorkflowEnvironment
) -> None:
    inp = await _announce_three_lines(client, task_queue, temporal_env)
    answer = await donation_gateway.send(client, inp.code, DonationWorkflow.cancel, DonorCancellation(), "cancel")
    assert answer.stage == DonationStage.CANCELLED
    assert await finished(client, inp.code) == DonationAnswer(stage=DonationStage.CANCELLED)
    assert (await donation_row(inp.code)).stage == "cancelled"
    assert await donor_events(inp.donation_id) == ["donation_announced", "donation_cancelled"]
    with pytest.raises(ActionRefused) as refused:
        await donation_gateway.send(client, inp.code, DonationWorkflow.receive, _receipt(inp, await _staff()), "after")
    assert refused.value.kind == RefusalKind.WRONG_STAGE


async def test_the_validator_refuses_what_cannot_be_received_and_nothing_is_written(
    client: Client, task_queue: str, temporal_env: WorkflowEnvironment
) -> None:
    inp = await _announce_three_lines(client, task_queue, temporal_env)
    staff = await _staff()
    good = _receipt(inp, staff)
    rice, fish, vegetables = good.lines
    other_place = await _staff(ward_point_code(OTHER_DISTRICT_WARD), OTHER_DISTRICT_WARD)
    spoiled = vegetables.model_copy(
        update={
            "inspection": Inspection.ACCEPTED,
            "received_quantity": Decimal(50),
            "expires_on": await server_today(temporal_env) - timedelta(days=1),
        }
    )
    cases = {
        "another warehouse's staff": (good.model_copy(update={"actor": other_place}), RefusalKind.OUT_OF_SCOPE),
        "a line twice": (good.model_copy(update={"lines": (rice, rice, fish)}), RefusalKind.INVALID_DECISION),
        "a line missing": (good.model_copy(update={"lines": (rice, fish)}), RefusalKind.INVALID_DECISION),
        "a fraction of a can": (
            good.model_copy(
                update={"lines": (rice, fish.model_copy(update={"received_quantity": Decimal("2.5")}), vegetables)}
            ),
            RefusalKind.INVALID_DECISION,
        ),
        "perishable without expiry": (
            good.model_copy(update={"lines": (rice, fish, spoiled.model_copy(update={"expires_on": None}))}),
            RefusalKind.INVALID_DECISION,
        ),
        "past its expiry": (good.model_copy(update={"lines": (rice, fish, spoiled)}), RefusalKind.INVALID_DECISION),
        "rejected without a reason": (
            good.model_copy(update={"lines": (rice, fish, vegetables.model_copy(update={"rejection_reason": " "}))}),
            RefusalKind.INVALID_DECISION,
        ),
    }
    for name, (receipt, kind) in cases.items():
        with pytest.raises(ActionRefused) as refused:
            await donation_gateway.send(client, inp.code, DonationWorkflow.receive, receipt, f"bad-{name}")
        assert refused.value.kind == kind, name
    # Unsigned (sent straight to Temporal's frontend, past the application): refused too.
    handle = client.get_workflow_handle(names.donation_workflow_id(inp.code), result_type=DonationAnswer)
    with pytest.raises(WorkflowUpdateFailedError) as forged:
        await handle.execute_update(DonationWorkflow.receive, good, id="forged")
    assert isinstance(forged.value.cause, ApplicationError) and forged.value.cause.type == RefusalKind.UNSIGNED
    assert await received_movements(PLACE) == {}
    assert all(line.inspection is None for line in await lines_of(inp.code))
    answer = await donation_gateway.send(client, inp.code, DonationWorkflow.receive, good, "good")
    assert answer.stage == DonationStage.STOCKED


async def test_every_line_refused_is_a_rejected_donation(
    client: Client, task_queue: str, temporal_env: WorkflowEnvironment
) -> None:
    inp = await announce(client, task_queue, PLACE, [("rice", Decimal(10), None)], await server_today(temporal_env))
    [line] = inp.lines
    receipt = DonationReceipt(
        actor=await _staff(),
        lines=(
            LineReceipt(
                line_id=line.line_id, received_quantity=Decimal(10), inspection=Inspection.REJECTED,
                rejection_reason="gạo ẩm mốc",
            ),
        ),
    )  # fmt: skip
    answer = await donation_gateway.send(client, inp.code, DonationWorkflow.receive, receipt, "reject")
    assert answer == DonationAnswer(stage=DonationStage.REJECTED, lots=0)
    assert await donor_events(inp.donation_id) == ["donation_announced", "donation_rejected"]
    assert await received_movements(PLACE) == {}
