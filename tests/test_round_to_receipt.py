"""The supply side end to end in workflows: a daily round proposes, a centre official approves, its shipment
workflows (the real ones) are picked, dispatched and received, and the ledger moves once: in transit while on the
road, counted in the next round's need, at the district warehouse after the receipt."""

import uuid
from decimal import Decimal

from sqlalchemy import select
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from activities import allocation_round as round_activities
from activities import shipment as shipment_activities
from common.settings import get_settings
from db.base import transaction
from db.shipments import Shipment
from domain import action_signing, names
from domain.allocation_round import AllocationRoundPolicy, RoundApproval, RoundStage
from domain.shipment_flow import Dispatch, LineCount, Receipt, ShipmentAnswer, ShipmentStage
from services import allocation_need, stock_ledger
from tests.allocation_round_helpers import city_lot, own_client, own_time_skipping_server, waiting_for_bags
from tests.factories import DISTRICT, WARD
from tests.shipment_helpers import balance, ledger_discrepancies, staff_of, until_stage
from tests.test_allocation_round_workflow import CITY, OWN, _day, _official, _proposed, _start
from usecases.supply import allocation_round_gateway, shipment_gateway
from worker import SANDBOXED_RUNNER
from workflows.allocation_round import AllocationRoundWorkflow
from workflows.shipment import ShipmentWorkflow

__all__ = ["own_client", "own_time_skipping_server"]  # the rounds' own time-skipping server


async def test_an_approved_round_ships_and_the_receipt_moves_the_stock_once(
    client: Client,
    temporal_env: WorkflowEnvironment,
    db: None,
) -> None:
    settings = get_settings()
    action_signing.load(settings.action_keys, settings.action_key_id)
    await waiting_for_bags(WARD, DISTRICT, 10)  # 100 kg of rice wanted at the district
    await city_lot(CITY, "rice", Decimal(100), None)
    queue = f"supply-{uuid.uuid4()}"
    async with Worker(
        client,
        task_queue=queue,
        workflows=[AllocationRoundWorkflow, ShipmentWorkflow],
        activities=[*round_activities.ALL, *shipment_activities.ALL],
        workflow_runner=SANDBOXED_RUNNER,
    ):
        inp = await _start(client, queue, await _day(temporal_env), AllocationRoundPolicy())
        await _proposed(client, inp)
        answer = await allocation_round_gateway.send(
            client, inp.round_date, AllocationRoundWorkflow.approve, RoundApproval(actor=await _official()), "a-1"
        )
        assert answer.stage == RoundStage.APPROVED and len(answer.shipments) == 1
        [code] = answer.shipments
        shipment = client.get_workflow_handle(names.shipment_workflow_id(code), result_type=ShipmentAnswer)
        await until_stage(shipment, ShipmentStage.PICKED)
        driver = Dispatch(
            actor=await staff_of(CITY),
            driver_name="Trần Văn Lái",
            driver_phone="+84912345678",
            vehicle_plate="51C12345",
        )
        await shipment_gateway.send(client, code, ShipmentWorkflow.dispatch, driver, "d-1")

        # On the road: out of the city's warehouse, not yet at the district's, and counted as coming there.
        assert await balance(CITY, "rice") == 0 and await balance(OWN, "rice") == 0
        async with transaction() as session:
            assert (await allocation_need.in_transit(session)).get((OWN, "rice")) == Decimal(100)

        receipt = Receipt(actor=await staff_of(OWN), lines=(LineCount(line_no=1, received_quantity=Decimal(100)),))
        first = await shipment_gateway.send(client, code, ShipmentWorkflow.receive, receipt, "r-1")
        again = await shipment_gateway.send(client, code, ShipmentWorkflow.receive, receipt, "r-1")
        assert first == again and first.stage == ShipmentStage.RECEIVED
        await shipment.result()
    assert await balance(OWN, "rice") == 100 and await ledger_discrepancies() == []
    async with transaction() as session:
        assert (await allocation_need.in_transit(session)).get((OWN, "rice")) is None
        row = await session.scalar(select(Shipment).where(Shipment.code == code))
        assert row is not None and row.round_id is not None
        assert await stock_ledger.available(session, OWN, "rice") == 100
