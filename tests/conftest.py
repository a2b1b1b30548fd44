"""Session-wide real servers, and a clean database and a fresh worker for each test."""

import contextlib
import os
import uuid
from collections.abc import AsyncIterator, Iterator

import pytest
from sqlalchemy import select, text
from temporalio.client import Client
from temporalio.service import RPCError, RPCStatusCode
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from tests import live_stack
from tests.infra import embedded_postgres_url, time_skipping_server

# Workflows run in the sandbox in every test, whatever the environment says for workers (worker.workflow_runner):
# a non-deterministic call in workflow code fails the suite.
os.environ["WORKER_SANDBOX"] = "on"

TABLES_WITH_TEST_DATA = (
    "notifications, emergency_events, emergencies, pledges, cash_needs, community_helpers, request_events, "
    "delivery_attempts, deliveries, "
    "household_claims, ward_verified_households, "
    "relief_requests, household_members, households, staff_users, otp_challenges, sms_outbox, rate_limit_counters, "
    "shipment_picks, shipment_lines, shipments, "
    "stock_expiry_flags, bag_reservations, stock_movements, stock_balances, lot_components, supply_lots, "
    "donation_lines, donations, donors, place_report_notices, place_report_adjustments, place_report_proposals, "
    "place_report_counts, place_reports, help_group_hours, help_group_coverage, help_group_accounts, help_groups, "
    "message_reports, private_messages, message_threads"
)


@pytest.fixture(scope="session")
def database_url() -> Iterator[str]:
    with embedded_postgres_url("ansinh_test") as url:
        os.environ["DATABASE_URL"] = url
        os.environ.setdefault("ENVIRONMENT", "test")
        from common.settings import get_settings
        from db.base import get_engine, get_sessionmaker
        from db.migrate import upgrade_to_head

        for cached in (get_settings, get_engine, get_sessionmaker):
            cached.cache_clear()
        upgrade_to_head(url)
        yield url


@pytest.fixture(scope="session")
async def loaded_geography(database_url: str) -> None:
    from db.base import transaction
    from services.geography import hcmc_units, load_units
    from services.supply_seed import load_supply

    async with transaction() as session:
        await load_units(session, hcmc_units())
        await load_supply(session)


@pytest.fixture
async def db(loaded_geography: None) -> AsyncIterator[None]:
    """A database with HCMC's units and no other rows, for one test."""
    from db.base import transaction

    async with transaction() as session:
        await session.execute(text(f"TRUNCATE {TABLES_WITH_TEST_DATA} CASCADE"))
    yield


@pytest.fixture(scope="session")
async def temporal_env() -> AsyncIterator[WorkflowEnvironment]:
    async with time_skipping_server() as env:
        yield env


@pytest.fixture(scope="module")
async def dev_server() -> AsyncIterator[WorkflowEnvironment]:
    """A real Temporal dev server (not time-skipping) for the modules that run the whole stack live."""
    async with live_stack.dev_server() as env:
        yield env


@pytest.fixture(scope="module")
async def base_url(
    dev_server: WorkflowEnvironment, database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[str]:
    """Our worker on a queue of its own and the app served by uvicorn in this event loop, per module."""
    settings = live_stack.stack_settings(dev_server, database_url, tmp_path_factory.mktemp("photos"))
    async with live_stack.serving(dev_server, settings) as url:
        yield url


@pytest.fixture
async def client(temporal_env: WorkflowEnvironment) -> Client:
    return temporal_env.client


@pytest.fixture
async def task_queue(client: Client, db: None) -> AsyncIterator[str]:
    """A worker on a queue of its own: workflows of other tests never run here."""
    from worker import build_worker

    queue = f"test-{uuid.uuid4()}"
    worker: Worker = build_worker(client, queue)
    async with worker:
        yield queue
    await close_and_replay_workflows(client)


async def close_and_replay_workflows(client: Client) -> None:
    """After each test: every workflow it ran replays from its history without non-determinism.

    Open ones are terminated first: the time-skipping server does not skip time while any workflow has a
    task waiting, and a test's workflows lose their worker when it ends. With RECORD_HISTORIES=DIR set,
    the histories are also saved there (tests/histories holds such a set, replayed by test_replay.py).
    """
    from datetime import datetime

    from common.city_time import CITY_TZ
    from db.allocation_rounds import AllocationRound, AllocationRoundLine
    from db.base import transaction
    from db.cash import Pledge
    from db.donations import Donation
    from db.emergencies import Emergency
    from db.requests import ReliefRequest
    from db.shipments import Shipment
    from domain.allocation_round import allocation_round_workflow_id
    from domain.donations import DonationStage
    from domain.emergency import FINAL_EMERGENCY_STATES
    from domain.names import (
        donation_workflow_id,
        emergency_workflow_id,
        pledge_workflow_id,
        shipment_workflow_id,
        workflow_id,
    )
    from domain.shipment_flow import ShipmentStage
    from domain.stages import OPEN_STAGES
    from tests.replay import replay, save_history

    async with transaction() as session:
        rounds = (await session.scalars(select(AllocationRound.round_date))).all()
        ordered = set(await session.scalars(select(AllocationRoundLine.shipment_code).distinct()))
        requests = (await session.execute(select(ReliefRequest.code, ReliefRequest.stage))).all()
        donations = (await session.execute(select(Donation.code, Donation.stage))).all()
        pledges = (await session.execute(select(Pledge.code))).all()
        shipments = (await session.execute(select(Shipment.code, Shipment.stage))).all()
        emergencies = (await session.execute(select(Emergency.code, Emergency.state))).all()
    open_stages = {s.value for s in OPEN_STAGES}
    rows = [(workflow_id(code), stage in open_stages) for code, stage in requests]
    rows += [(donation_workflow_id(code), stage == DonationStage.ANNOUNCED.value) for code, stage in donations]
    # A pledge closed in the database may still be telling its request: terminating a closed one does nothing.
    rows += [(pledge_workflow_id(code), True) for (code,) in pledges]
    # Allocation rounds (today's too: one started a moment ago may not have its row yet). The shipments a round
    # ordered without a row of their own were a round test's stand-in workflow: only closed, never replayed.
    days = {*rounds, datetime.now(CITY_TZ).date()}
    rows += [(allocation_round_workflow_id(day), True) for day in sorted(days)]
    stand_ins = {code for code in ordered if code is not None} - {code for code, _ in shipments}
    for code in stand_ins:
        with contextlib.suppress(RPCError):
            await client.get_workflow_handle(shipment_workflow_id(code)).terminate("test finished")
    rows += [(shipment_workflow_id(code), not ShipmentStage(stage).is_final) for code, stage in shipments]
    ended = {s.value for s in FINAL_EMERGENCY_STATES}
    rows += [(emergency_workflow_id(code), state not in ended) for code, state in emergencies]
    for workflow, is_open in rows:
        handle = client.get_workflow_handle(workflow)
        if is_open:
            with contextlib.suppress(RPCError):
                await handle.terminate("test finished")
        try:
            history = await handle.fetch_history()
        except RPCError as err:
            if err.status == RPCStatusCode.NOT_FOUND:  # a row a service-level test wrote without a workflow
                continue
            raise
        await replay(history)
        if record_dir := os.environ.get("RECORD_HISTORIES"):
            save_history(history, record_dir)
