"""Reading workflows on the time-skipping test server, around two of its quirks."""

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any, TypeVar

from temporalio.api.enums.v1 import WorkflowExecutionStatus
from temporalio.client import Client, ScheduleActionExecutionStartWorkflow, ScheduleHandle, WorkflowHandle
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from domain.messages import RequestResult
from domain.names import workflow_id
from tests.conftest import close_and_replay_workflows
from usecases.relief.workflow_gateway import execution_info
from worker import ACTIVITIES, SANDBOXED_RUNNER, WORKFLOWS


async def raw_search_attributes(client: Client, code: str) -> dict[str, bytes]:
    """Search attributes as stored: JSON bytes by name."""
    info = await execution_info(client, code)
    return {name: payload.data for name, payload in info.search_attributes.indexed_fields.items()}


async def finished(client: Client, code: str) -> Any:
    """The result of a request's workflow once closed. The test server's long poll for a result can answer
    with an empty page, so wait for the close first."""
    for _ in range(200):
        if (await execution_info(client, code)).status != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING:
            return await client.get_workflow_handle(workflow_id(code), result_type=RequestResult).result()
        await asyncio.sleep(0.05)
    raise AssertionError(f"request {code} still running")


_Result = TypeVar("_Result")


async def trigger_and_follow(
    client: Client, handle: ScheduleHandle, result_type: type[_Result]
) -> WorkflowHandle[Any, _Result]:
    """Triggers the schedule now and returns the workflow it started (a worker of its queue must be running)."""
    await handle.trigger()
    for _ in range(600):
        actions = (await handle.describe()).info.recent_actions
        if actions:
            break
        await asyncio.sleep(0.1)
    started = actions[0].action
    assert isinstance(started, ScheduleActionExecutionStartWorkflow)
    return client.get_workflow_handle(
        started.workflow_id, run_id=started.first_execution_run_id, result_type=result_type
    )


async def skip(env: WorkflowEnvironment, duration: timedelta, step: timedelta = timedelta(hours=6)) -> None:
    """Moves the time-skipping server's clock by `duration`, a `step` at a time. One long skip makes the server fire
    every timer of every workflow the suite left behind within a single call, which can outlast the call's deadline
    on a slow machine; each step has only its own share."""
    left = duration
    while left > timedelta(0):
        await env.sleep(min(step, left))
        left -= step


@asynccontextmanager
async def worker_replacing(client: Client, replacements: dict[str, Callable[..., Any]]) -> AsyncIterator[str]:
    """A worker whose activities named in `replacements` are the test's own (registered under the same name)."""
    queue = f"test-{uuid.uuid4()}"
    activities = [a for a in ACTIVITIES if a.__name__ not in replacements] + list(replacements.values())
    worker = Worker(
        client, task_queue=queue, workflows=WORKFLOWS, activities=activities, workflow_runner=SANDBOXED_RUNNER
    )
    async with worker:
        yield queue
    await close_and_replay_workflows(client)
