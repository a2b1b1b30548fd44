"""The fault suite's shipment verdict (tests/system/checks.py) can fail: a shipment received and its workflow
completed passes; a dispatched movement received twice, or never, and a line whose count is not what arrived and
its adjustment, fail; so does a shipment that never came to be received."""

from decimal import Decimal

from temporalio.client import Client

from domain.shipment_flow import LineCount, Receipt, ShipmentStage
from tests.shipment_helpers import DESTINATION, SOURCE, finished, in_days, staff_of, start, stock, until_stage
from tests.system.checks import read_shipment_ledger, shipment_checks
from tests.test_shipment_workflow import _dispatch
from usecases.supply import shipment_gateway
from workflows.shipment import ShipmentWorkflow


async def test_a_shipment_received_once_passes_and_one_left_on_the_road_fails(
    database_url: str, client: Client, task_queue: str
) -> None:
    await stock(SOURCE, "rice", Decimal(30), in_days(30))
    received = await start(client, task_queue, [("rice", Decimal(10), None)])
    on_the_road = await start(client, task_queue, [("rice", Decimal(10), None)])
    codes = [handle.id.removeprefix("shipment-") for handle in (received, on_the_road)]
    for handle, code in zip((received, on_the_road), codes, strict=True):
        await until_stage(handle, ShipmentStage.PICKED)
        await shipment_gateway.send(client, code, ShipmentWorkflow.dispatch, await _dispatch(code), "d")
    receipt = Receipt(actor=await staff_of(DESTINATION), lines=(LineCount(line_no=1, received_quantity=Decimal(9)),))
    await shipment_gateway.send(client, codes[0], ShipmentWorkflow.receive, receipt, "r")
    await finished(received)
    assert [c.passed for c in await shipment_checks(database_url, client, codes[:1])] == [True, True, True]
    assert [c.passed for c in await shipment_checks(database_url, client, codes)] == [False, False, False]


def test_the_ledger_reading_finds_a_receipt_twice_or_missing_and_a_line_miscounted() -> None:
    prefix = "shipment:CH-20261205-001:"
    good = [(1, f"{prefix}out:1:lot-a", Decimal(-10)), (2, f"{prefix}in:1", Decimal(10))]
    short = [(3, f"{prefix}short:1:lot-a", Decimal(-1))]
    line = [("CH-20261205-001", 1, Decimal(10), Decimal(9))]
    assert read_shipment_ledger(good + short, line) == ([], [])
    twice, _ = read_shipment_ledger([*good, (4, f"{prefix}in:1", Decimal(10)), *short], line)
    missing, _ = read_shipment_ledger(good[:1] + short, line)
    assert twice and missing
    assert read_shipment_ledger(good, line)[1]  # counted 9, but 10 arrived and nothing was adjusted
