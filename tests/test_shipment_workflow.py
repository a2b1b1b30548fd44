"""A shipment's workflow on the time-skipping server: picked FEFO (the order's lot first, a short line picked short,
nothing at all: unfilled), dispatched, received with differences that are their own movements; the receipt moves
stock once whatever is retried (the activity after its commit, the update with the same id, another id refused);
the timers (late to dispatch, then cancelled; late on the road, then lost); refusals before anything is written."""

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from activities.shipment import receive_shipment
from db.base import transaction
from db.supply import StockMovement
from domain import names
from domain.refusals import RefusalKind
from domain.shipment_flow import (
    Dispatch,
    LineCount,
    Receipt,
    ReceiptInput,
    ShipmentEvent,
    ShipmentPolicy,
    ShipmentStage,
    ShipmentStep,
)
from tests.shipment_helpers import (
    DESTINATION,
    SOURCE,
    balance,
    finished,
    in_days,
    ledger_discrepancies,
    movements,
    row,
    staff_of,
    start,
    stock,
    until_stage,
)
from tests.temporal_helpers import skip
from usecases.relief.workflow_gateway import ActionRefused
from usecases.supply import shipment_gateway
from workflows.shipment import ShipmentWorkflow

pytestmark = pytest.mark.timeout(120)
POLICY = ShipmentPolicy()


async def _dispatch(code: str) -> Dispatch:
    return Dispatch(
        actor=await staff_of(SOURCE),
        driver_name="Nguyễn Văn Tài",
        driver_phone="+84912345678",
        vehicle_plate="51C12345",
    )


async def test_picked_fefo_dispatched_and_received_once_with_differences_as_movements(
    client: Client, task_queue: str
) -> None:
    late_rice = await stock(SOURCE, "rice", Decimal(100), in_days(30))
    early_rice = await stock(SOURCE, "rice", Decimal(50), in_days(10))
    await stock(SOURCE, "canned_fish", Decimal(40), in_days(200))
    handle = await start(client, task_queue, [("rice", Decimal(120), None), ("canned_fish", Decimal(60), None)])
    code = handle.id.removeprefix("shipment-")

    picked = await until_stage(handle, ShipmentStage.PICKED)
    assert [(line.ordered, line.picked) for line in picked.lines] == [(120, 120), (60, 40)]  # the fish picked short
    assert await movements(code) == {("#", "#", "#"): 0}  # picking moves nothing

    sent = await shipment_gateway.send(client, code, ShipmentWorkflow.dispatch, await _dispatch(code), "d-1")
    assert sent.stage == ShipmentStage.IN_TRANSIT and [line.dispatched for line in sent.lines] == [120, 40]
    out = await movements(code)
    assert out[(SOURCE, "transferred_out", "rice")] == -120 and out[(SOURCE, "transferred_out", "canned_fish")] == -40
    assert out[("#", "#", "#")] == 3  # rice from both lots (first expiry first), the fish from its one
    assert await balance(SOURCE, "rice") == 30
    shipment = await row(code)
    assert (shipment.vehicle_plate, shipment.driver_phone) == ("51C12345", "+84912345678")

    # Five kilos of rice missing, two tins of fish more than were sent.
    receipt = Receipt(
        actor=await staff_of(DESTINATION),
        lines=(
            LineCount(line_no=1, received_quantity=Decimal(115)),
            LineCount(line_no=2, received_quantity=Decimal(42)),
        ),
        note="bao rách",
    )
    answer = await shipment_gateway.send(client, code, ShipmentWorkflow.receive, receipt, "r-1")
    assert answer.stage == ShipmentStage.RECEIVED and answer.differences == 2
    ledger = await movements(code)
    assert ledger[(DESTINATION, "transferred_in", "rice")] == 120
    assert ledger[(DESTINATION, "transferred_in", "canned_fish")] == 40
    assert ledger[(DESTINATION, "adjusted_down", "rice")] == -5
    assert ledger[(DESTINATION, "adjusted_up", "canned_fish")] == 2
    assert await balance(DESTINATION, "rice") == 115 and await balance(DESTINATION, "canned_fish") == 42

    # The same update again answers the first result; another update is refused; a retried activity writes nothing.
    assert await shipment_gateway.send(client, code, ShipmentWorkflow.receive, receipt, "r-1") == answer
    with pytest.raises(ActionRefused) as refused:
        await shipment_gateway.send(client, code, ShipmentWorkflow.receive, receipt, "r-2")
    assert refused.value.kind == RefusalKind.WRONG_STAGE
    assert shipment.dispatched_at is not None
    step = ShipmentStep(code=code, seq=4, at=shipment.dispatched_at, event=ShipmentEvent.RECEIVED)
    assert await receive_shipment(ReceiptInput(step=step, receipt=receipt)) == answer
    assert await movements(code) == ledger
    assert await ledger_discrepancies() == []
    assert await finished(handle) == answer

    received = await row(code)
    assert (received.stage, received.differences, received.received_by) == ("received", 2, receipt.actor.user_id)
    attributes = (await handle.describe()).typed_search_attributes
    assert attributes.get(names.SA_KIND) == "shipment" and attributes.get(names.SA_STAGE) == "received"
    assert attributes.get(names.SA_PLACE) == DESTINATION and attributes.get(names.SA_ESCALATION) == "city"
    assert early_rice != late_rice


async def test_the_orders_lot_is_picked_first(client: Client, task_queue: str) -> None:
    named = await stock(SOURCE, "rice", Decimal(30), in_days(60))
    await stock(SOURCE, "rice", Decimal(100), in_days(5))
    handle = await start(client, task_queue, [("rice", Decimal(40), named)])
    await until_stage(handle, ShipmentStage.PICKED)
    code = handle.id.removeprefix("shipment-")
    await shipment_gateway.send(client, code, ShipmentWorkflow.dispatch, await _dispatch(code), "d")
    async with transaction() as session:
        lots = (
            await session.execute(
                select(StockMovement.lot_id, StockMovement.quantity).where(StockMovement.kind == "transferred_out")
            )
        ).all()
    assert {lot: q for lot, q in lots}[named] == -30  # all of the named lot, then the rest first expiry first
    assert sum(q for _, q in lots) == -40


async def test_nothing_to_pick_is_unfilled_and_ends(client: Client, task_queue: str) -> None:
    await stock(SOURCE, "rice", Decimal(10), in_days(0))  # expires today: not worth putting on the road
    handle = await start(client, task_queue, [("rice", Decimal(10), None)])
    answer = await finished(handle)
    assert answer.stage == ShipmentStage.UNFILLED and answer.lines[0].picked == 0
    assert (await row(handle.id.removeprefix("shipment-"))).closed_at is not None


async def test_not_dispatched_escalates_then_is_cancelled_with_nothing_moved(
    client: Client, task_queue: str, temporal_env: WorkflowEnvironment
) -> None:
    await stock(SOURCE, "rice", Decimal(10), in_days(30))
    handle = await start(client, task_queue, [("rice", Decimal(10), None)])
    code = handle.id.removeprefix("shipment-")
    await until_stage(handle, ShipmentStage.PICKED)
    await skip(temporal_env, POLICY.dispatch_escalate_after + timedelta(minutes=5))
    assert (await row(code)).late_at is not None
    attributes = (await handle.describe()).typed_search_attributes
    assert attributes.get(names.SA_OVERDUE) is True and attributes.get(names.SA_STAGE) == "picked"
    await skip(temporal_env, POLICY.dispatch_deadline)
    answer = await finished(handle)
    assert answer.stage == ShipmentStage.CANCELLED
    assert await movements(code) == {("#", "#", "#"): 0} and await balance(SOURCE, "rice") == 10


async def test_late_on_the_road_escalates_and_the_receipt_clears_it(
    client: Client, task_queue: str, temporal_env: WorkflowEnvironment
) -> None:
    await stock(SOURCE, "rice", Decimal(10), in_days(30))
    handle = await start(client, task_queue, [("rice", Decimal(10), None)])
    code = handle.id.removeprefix("shipment-")
    await until_stage(handle, ShipmentStage.PICKED)
    await shipment_gateway.send(client, code, ShipmentWorkflow.dispatch, await _dispatch(code), "d")
    await skip(temporal_env, POLICY.transit_escalate_after + timedelta(minutes=5))
    assert (await row(code)).late_at is not None
    assert (await handle.describe()).typed_search_attributes.get(names.SA_OVERDUE) is True
    receipt = Receipt(actor=await staff_of(DESTINATION), lines=(LineCount(line_no=1, received_quantity=Decimal(10)),))
    answer = await shipment_gateway.send(client, code, ShipmentWorkflow.receive, receipt, "r")
    assert answer.stage == ShipmentStage.RECEIVED and answer.differences == 0
    assert (await row(code)).late_at is None
    assert (await handle.describe()).typed_search_attributes.get(names.SA_OVERDUE) is False


async def test_never_received_is_lost_and_nothing_stays_in_transit(
    client: Client, task_queue: str, temporal_env: WorkflowEnvironment
) -> None:
    await stock(SOURCE, "rice", Decimal(10), in_days(3))
    handle = await start(client, task_queue, [("rice", Decimal(10), None)])
    code = handle.id.removeprefix("shipment-")
    await until_stage(handle, ShipmentStage.PICKED)
    await shipment_gateway.send(client, code, ShipmentWorkflow.dispatch, await _dispatch(code), "d")
    # A week on the road: the lot expired meanwhile, and still arrives on paper to be written down as missing.
    await skip(temporal_env, POLICY.transit_deadline + timedelta(hours=1))
    answer = await finished(handle)
    assert answer.stage == ShipmentStage.LOST
    ledger = await movements(code)
    assert ledger[(DESTINATION, "transferred_in", "rice")] == 10
    assert ledger[(DESTINATION, "adjusted_down", "rice")] == -10
    assert await balance(DESTINATION, "rice") == 0 and await ledger_discrepancies() == []


async def test_actions_the_shipment_cannot_accept_are_refused_before_anything_is_written(
    client: Client, task_queue: str
) -> None:
    await stock(SOURCE, "rice", Decimal(10), in_days(30))
    handle = await start(client, task_queue, [("rice", Decimal(10), None)])
    code = handle.id.removeprefix("shipment-")
    await until_stage(handle, ShipmentStage.PICKED)
    good = await _dispatch(code)
    at_destination = await staff_of(DESTINATION)
    count = Receipt(actor=at_destination, lines=(LineCount(line_no=1, received_quantity=Decimal(10)),))
    dispatches: list[tuple[Dispatch, RefusalKind]] = [
        (good.model_copy(update={"actor": at_destination}), RefusalKind.OUT_OF_SCOPE),
        (good.model_copy(update={"vehicle_plate": "ABC"}), RefusalKind.INVALID_DECISION),
        (good.model_copy(update={"driver_phone": "+842838221234"}), RefusalKind.INVALID_DECISION),  # a landline
    ]
    for n, (action, kind) in enumerate(dispatches):
        with pytest.raises(ActionRefused) as refused:
            await shipment_gateway.send(client, code, ShipmentWorkflow.dispatch, action, f"bad-{n}")
        assert refused.value.kind == kind, (n, refused.value.message)
    with pytest.raises(ActionRefused) as refused:  # not dispatched yet
        await shipment_gateway.send(client, code, ShipmentWorkflow.receive, count, "early")
    assert refused.value.kind == RefusalKind.WRONG_STAGE
    assert await movements(code) == {("#", "#", "#"): 0}

    await shipment_gateway.send(client, code, ShipmentWorkflow.dispatch, good, "d")
    receipts: list[tuple[Receipt, RefusalKind]] = [
        (count.model_copy(update={"actor": good.actor}), RefusalKind.OUT_OF_SCOPE),
        (count.model_copy(update={"lines": (LineCount(line_no=1, received_quantity=Decimal(21)),)}),
         RefusalKind.INVALID_DECISION),
        (count.model_copy(update={"lines": (LineCount(line_no=2, received_quantity=Decimal(1)),)}),
         RefusalKind.INVALID_DECISION),
        (count.model_copy(update={"lines": ()}), RefusalKind.INVALID_DECISION),
    ]  # fmt: skip
    for n, (receipt, kind) in enumerate(receipts):
        with pytest.raises(ActionRefused) as refused:
            await shipment_gateway.send(client, code, ShipmentWorkflow.receive, receipt, f"bad-r-{n}")
        assert refused.value.kind == kind, (n, refused.value.message)
    assert (await movements(code))[("#", "#", "#")] == 1  # the dispatch only
