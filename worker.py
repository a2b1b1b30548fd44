"""Runs the relief, donation, pledge, emergency, place report, allocation round and shipment workflows and their
activities on the task queue; scale by starting more of these.

Each one also ensures the schedules (common/schedules.py) when it starts: the retention purge and the spoilage
watch and the places' daily reports run wherever workers run, with no step of its own to remember."""

import asyncio
import logging
import os
import signal
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any

import uvloop
from temporalio.client import Client
from temporalio.worker import UnsandboxedWorkflowRunner, Worker, WorkflowRunner
from temporalio.worker.workflow_sandbox import SandboxedWorkflowRunner, SandboxRestrictions

import db.all_models  # noqa: F401 - every table mapped, so foreign keys between them resolve in activities
from activities import allocation_round as allocation_round_activities
from activities import cash_support as cash_support_activities
from activities import donation as donation_activities
from activities import emergency as emergency_activities
from activities import place_report as place_report_activities
from activities import pledge as pledge_activities
from activities import relief_request as relief_activities
from activities import shipment as shipment_activities
from activities.retention import purge_retention_batch
from activities.spoilage_watch import flag_expiring_lots
from common import schedules, startup_heap
from common.settings import get_settings
from common.temporal_client import connect
from domain import action_signing
from services import notifier
from workflows.allocation_round import AllocationRoundScheduleWorkflow, AllocationRoundWorkflow
from workflows.donation import DonationWorkflow
from workflows.emergency import EmergencyWorkflow
from workflows.place_report import PlaceReportOpenerWorkflow, PlaceReportWorkflow
from workflows.pledge import PledgeWorkflow
from workflows.relief_request import ReliefRequestWorkflow
from workflows.retention import RetentionWorkflow
from workflows.shipment import ShipmentWorkflow
from workflows.spoilage_watch import SpoilageWatchWorkflow

WORKFLOWS = [
    ReliefRequestWorkflow,
    DonationWorkflow,
    PledgeWorkflow,
    RetentionWorkflow,
    SpoilageWatchWorkflow,
    PlaceReportWorkflow,
    PlaceReportOpenerWorkflow,
    AllocationRoundWorkflow,
    AllocationRoundScheduleWorkflow,
    ShipmentWorkflow,
    EmergencyWorkflow,
]
ACTIVITIES: list[Callable[..., Any]] = [
    *relief_activities.ALL,
    *cash_support_activities.ALL,
    *donation_activities.ALL,
    *pledge_activities.ALL,
    *place_report_activities.ALL,
    *allocation_round_activities.ALL,
    *shipment_activities.ALL,
    *emergency_activities.ALL,
    purge_retention_batch,
    flag_expiring_lots,
]

# The sandbox still refuses non-deterministic calls at run time, but no longer re-imports the workflow module
# for every workflow it starts (that was a fifth of the worker's CPU per request). That is safe because
# the workflow modules keep no state at module level; everything else they import was passed through already.
SANDBOXED_RUNNER = SandboxedWorkflowRunner(restrictions=SandboxRestrictions.default.with_passthrough_all_modules())


def workflow_runner() -> WorkflowRunner:
    """The sandbox, unless WORKER_SANDBOX=off. Off, the worker saves about a tenth of its CPU (the sandbox runs
    each activation and payload conversion through compiled code strings) and loses the run-time refusal of
    non-deterministic calls: the tests and the replayer keep the sandbox, so such a call in workflow code still
    fails the suite before it is deployed."""
    setting = os.environ.get("WORKER_SANDBOX", "on")
    if setting not in ("on", "off"):
        raise ValueError(f"WORKER_SANDBOX must be 'on' or 'off', not {setting!r}")
    return SANDBOXED_RUNNER if setting == "on" else UnsandboxedWorkflowRunner()


def worker_tuning() -> dict[str, Any]:
    """Slots, cache and pollers; WORKER_<OPTION> in the environment overrides each, so a city sizes its workers
    without a code change."""
    defaults: dict[str, int] = {
        "max_concurrent_workflow_tasks": 100,
        "max_concurrent_activities": 100,
        "max_concurrent_local_activities": 100,
        "max_cached_workflows": 1000,
        "max_concurrent_workflow_task_polls": 5,
        "max_concurrent_activity_task_polls": 5,
    }
    return {name: int(os.environ.get(f"WORKER_{name.upper()}", value)) for name, value in defaults.items()}


def build_worker(client: Client, task_queue: str) -> Worker:
    settings = get_settings()
    # The keys the workflow's validators check people's actions with, loaded before any workflow runs.
    action_signing.load(settings.action_keys, settings.action_key_id)
    # Short database activities finish within the grace period on a deploy instead of being retried.
    return Worker(
        client,
        task_queue=task_queue,
        workflows=WORKFLOWS,
        activities=ACTIVITIES,
        workflow_runner=workflow_runner(),
        graceful_shutdown_timeout=timedelta(seconds=10),
        **worker_tuning(),
    )


@asynccontextmanager
async def running(client: Client, task_queue: str) -> AsyncIterator[Worker]:
    """The worker on its queue and, beside it, the dispatcher of the notifications its steps store (each worker's
    claims batches of its own; a request's messages still go in order). The dispatcher stops last, after the
    worker drains."""
    async with notifier.dispatching(), build_worker(client, task_queue) as worker:
        yield worker


async def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    settings = get_settings()
    client = await connect(settings)
    await schedules.ensure_schedules(client, settings.task_queue)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    async with running(client, settings.task_queue):
        frozen = startup_heap.freeze()
        logging.getLogger("ansinh.worker").info(
            "worker polling task queue %s (%d start-up objects frozen)", settings.task_queue, frozen
        )
        await stop.wait()


if __name__ == "__main__":
    # uvloop: the activities' database sockets and the SDK's wake-ups cost the worker less than on asyncio's own
    # loop (a few percent of its CPU per request, the same way in every measured pair: docs/performance-log.md).
    uvloop.run(main())
    # The worker has drained; skip interpreter finalisation, where the SDK's Rust threads can still take
    # the GIL and abort the process (temporalio/sdk-python issue 300).
    logging.shutdown()
    os._exit(0)
