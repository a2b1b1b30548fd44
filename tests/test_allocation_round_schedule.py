"""One allocation round a day by itself: every worker's start ensures a daily Temporal Schedule whose run starts
the city day's round under the day's id, and a second run that day (or an official's "start one now" before it)
finds that round instead of making another."""

import asyncio
import uuid
from datetime import datetime

from temporalio.client import (
    Client,
    ScheduleActionExecutionStartWorkflow,
    ScheduleActionStartWorkflow,
    ScheduleHandle,
)

from common import schedules
from common.city_time import CITY_TZ
from domain.allocation_round import ALLOCATION_ROUND_SCHEDULE_ID, RoundStarted, allocation_round_workflow_id
from tests.live_stack import dev_server
from worker import build_worker


async def _trigger(client: Client, handle: ScheduleHandle, runs_before: int) -> RoundStarted:
    """Triggers the schedule and returns what its new run answered."""
    await handle.trigger()
    for _ in range(600):
        actions = (await handle.describe()).info.recent_actions
        if len(actions) > runs_before:
            break
        await asyncio.sleep(0.1)
    started = actions[-1].action
    assert isinstance(started, ScheduleActionExecutionStartWorkflow)
    run = client.get_workflow_handle(
        started.workflow_id, run_id=started.first_execution_run_id, result_type=RoundStarted
    )
    return await run.result()


async def test_every_worker_start_ensures_one_daily_schedule_that_starts_the_days_round_once(db: None) -> None:
    async with dev_server() as env:
        queue = f"rounds-{uuid.uuid4()}"
        wanted = schedules.allocation_round_schedule(queue)
        assert await schedules.ensure_schedule(env.client, ALLOCATION_ROUND_SCHEDULE_ID, wanted) == "created"
        await schedules.ensure_schedules(env.client, queue)  # what worker.main does: a second worker's start
        assert await schedules.ensure_schedule(env.client, ALLOCATION_ROUND_SCHEDULE_ID, wanted) == "unchanged"

        handle = env.client.get_schedule_handle(ALLOCATION_ROUND_SCHEDULE_ID)
        described = (await handle.describe()).schedule
        assert described.spec == wanted.spec
        action = described.action
        assert isinstance(action, ScheduleActionStartWorkflow)
        assert (action.workflow, action.task_queue) == ("AllocationRoundScheduleWorkflow", queue)

        async with build_worker(env.client, queue):
            first = await _trigger(env.client, handle, 0)
            today = datetime.now(CITY_TZ).date()
            assert first == RoundStarted(round_date=today, started=True)
            again = await _trigger(env.client, handle, 1)
            assert again == RoundStarted(round_date=today, started=False)
            day_round = env.client.get_workflow_handle(allocation_round_workflow_id(today))
            assert (await day_round.describe()).workflow_type == "AllocationRoundWorkflow"
            await day_round.terminate("test finished")
