"""Allocation rounds for the tests: a worker with the round's workflows and a stand-in ShipmentWorkflow (the real
one is the shipments' own), city stock and waiting requests written directly, and the round read back."""

import contextlib
import uuid
from collections.abc import AsyncIterator
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select
from temporalio import workflow
from temporalio.client import Client
from temporalio.service import RPCError
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from activities import allocation_round as round_activities
from common.settings import get_settings
from db.allocation_rounds import AllocationRound
from db.base import transaction
from domain import action_signing
from domain.allocation_round import allocation_round_workflow_id
from domain.shipments import SHIPMENT_WORKFLOW, ShipmentOrder
from services import stock_ledger
from tests.infra import time_skipping_server
from tests.replay import replay_and_record
from tests.trust_fixtures import insert_request
from worker import SANDBOXED_RUNNER
from workflows.allocation_round import AllocationRoundScheduleWorkflow, AllocationRoundWorkflow


@workflow.defn(name=SHIPMENT_WORKFLOW)
class StandInShipmentWorkflow:
    """Only here to be started by name: it answers with the order it was given."""

    @workflow.run
    async def run(self, order: ShipmentOrder) -> ShipmentOrder:
        return order


@pytest.fixture(scope="module", name="temporal_env")
async def own_time_skipping_server() -> AsyncIterator[WorkflowEnvironment]:
    """The rounds' modules get a time-skipping server of their own (import this fixture with `own_client`). Under load,
    a round's update once stalled the shared server's clock, and every later test that skipped time failed with it:
    whatever a round leaves behind now stays with the rounds."""
    async with time_skipping_server() as env:
        yield env


@pytest.fixture(name="client")
def own_client(temporal_env: WorkflowEnvironment) -> Client:
    return temporal_env.client


@contextlib.asynccontextmanager
async def round_worker(client: Client) -> AsyncIterator[str]:
    """A worker on a queue of its own; after the test, every round it ran is closed and replayed."""
    settings = get_settings()
    action_signing.load(settings.action_keys, settings.action_key_id)
    queue = f"round-{uuid.uuid4()}"
    try:
        async with Worker(
            client,
            task_queue=queue,
            workflows=[AllocationRoundWorkflow, AllocationRoundScheduleWorkflow, StandInShipmentWorkflow],
            activities=round_activities.ALL,
            workflow_runner=SANDBOXED_RUNNER,
        ):
            yield queue
    finally:
        # Closed even when the test failed: an open round's timer would fire with no worker left, and the
        # time-skipping server stops skipping while a workflow task waits.
        async with transaction() as session:
            days = list((await session.scalars(select(AllocationRound.round_date))).all())
        for day in days:
            handle = client.get_workflow_handle(allocation_round_workflow_id(day))
            with contextlib.suppress(RPCError):
                await handle.terminate("test finished")
            with contextlib.suppress(RPCError):
                await replay_and_record(await handle.fetch_history())


async def city_lot(place: str, item: str, quantity: Decimal, expires_on: date | None) -> str:
    async with transaction() as session:
        lot = await stock_ledger.receive(
            session, f"test:{uuid.uuid4()}", place, item, quantity, expires_on, actor_id=None
        )
    return str(lot)


async def waiting_for_bags(ward: str, district: str, count: int) -> None:
    """`count` approved food-bag requests of the ward waiting in awaiting_stock."""
    for _ in range(count):
        await insert_request(ward, district, f"+8490{uuid.uuid4().int % 10**7:07d}", stage="awaiting_stock")


async def round_row(day: date) -> AllocationRound:
    async with transaction() as session:
        row = await session.get(AllocationRound, day)
        assert row is not None
        return row
