"""Retention runs by itself: a daily Temporal Schedule, ensured by every worker at start-up, starts a workflow
that purges, batch by batch, the closed requests past RETENTION_PERIOD and nothing else."""

import itertools
import os
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from temporalio.client import (
    Client,
    ScheduleActionStartWorkflow,
    WorkflowHandle,
    WorkflowHistory,
)

from common import schedules
from db.base import transaction
from db.requests import ReliefRequest
from db.retention import RetentionPurge
from domain.names import RETENTION_SCHEDULE_ID
from domain.retention import PurgeReport, RetentionRun
from tests.factories import DISTRICT, WARD
from tests.live_stack import dev_server
from tests.replay import replay, save_history
from tests.temporal_helpers import trigger_and_follow
from tests.trust_fixtures import insert_request
from worker import build_worker
from workflows.retention import RetentionWorkflow


async def _closed_requests(days_ago: int, count: int) -> list[uuid.UUID]:
    closed_at = datetime.now(UTC) - timedelta(days=days_ago)
    rows = [
        await insert_request(WARD, DISTRICT, f"+8490{days_ago:03d}{n:04d}", stage="delivered", closed_at=closed_at)
        for n in range(count)
    ]
    return [row.id for row in rows]


async def _purged() -> set[uuid.UUID]:
    async with transaction() as session:
        return set(await session.scalars(select(RetentionPurge.request_id)))


async def _run_to_the_end(client: Client, handle: WorkflowHandle[RetentionWorkflow, PurgeReport]) -> PurgeReport:
    """The chain's result, after each of its runs (continue-as-new) replayed from its own history; saved too with
    RECORD_HISTORIES=DIR, as tests/conftest.py saves the requests' (tests/histories holds such a set)."""
    result = await handle.result()
    run_id: str | None = handle.first_execution_run_id or handle.result_run_id
    for n in itertools.count(1):
        if not run_id:
            break
        history = await client.get_workflow_handle(handle.id, run_id=run_id).fetch_history()
        await replay(history)
        if record_dir := os.environ.get("RECORD_HISTORIES"):
            save_history(WorkflowHistory(f"{handle.id}-run-{n}", history.events), record_dir)
        last = history.events[-1]
        continued = last.workflow_execution_continued_as_new_event_attributes
        run_id = (
            continued.new_execution_run_id
            if last.HasField("workflow_execution_continued_as_new_event_attributes")
            else None
        )
    return result


async def test_a_run_purges_what_is_due_in_batches_and_nothing_else(client: Client, task_queue: str) -> None:
    due = await _closed_requests(400, 5)
    recent = await _closed_requests(10, 2)
    still_open = await insert_request(WARD, DISTRICT, "+84903111444")
    # Two batches per run, two requests per batch: the five due take a run, a continue-as-new and a short batch.
    # `now` given: the time-skipping server's clock runs ahead of the rows' (it skips what the session waits for).
    run = RetentionRun(now=datetime.now(UTC), batch_size=2, batches_per_run=2)

    handle = await client.start_workflow(RetentionWorkflow.run, run, id="retention-in-batches", task_queue=task_queue)
    assert await _run_to_the_end(client, handle) == PurgeReport(requests=5, households=5)
    assert await _purged() == set(due)

    async with transaction() as session:
        kept = (
            await session.scalars(select(ReliefRequest).where(ReliefRequest.id.in_([*recent, still_open.id])))
        ).all()
    assert len(kept) == 3 and all(row.applicant_name and row.applicant_phone for row in kept)

    again = await client.start_workflow(RetentionWorkflow.run, run, id="retention-nothing-due", task_queue=task_queue)
    assert await _run_to_the_end(client, again) == PurgeReport(), "a second run found something to purge again"


async def test_every_worker_start_ensures_one_daily_schedule_that_runs_the_purge(db: None) -> None:
    due = await _closed_requests(400, 1)
    async with dev_server() as env:
        queue = f"retention-{uuid.uuid4()}"
        assert (
            await schedules.ensure_schedule(env.client, RETENTION_SCHEDULE_ID, schedules.retention_schedule(queue))
            == "created"
        )
        await schedules.ensure_schedules(env.client, queue)  # what worker.main does: a second worker's start
        assert (
            await schedules.ensure_schedule(env.client, RETENTION_SCHEDULE_ID, schedules.retention_schedule(queue))
            == "unchanged"
        )

        handle = env.client.get_schedule_handle(RETENTION_SCHEDULE_ID)
        described = (await handle.describe()).schedule
        assert described.spec == schedules.retention_schedule(queue).spec
        action = described.action
        assert isinstance(action, ScheduleActionStartWorkflow)
        assert (action.workflow, action.task_queue) == ("RetentionWorkflow", queue)

        # A deployment that moves it (another queue here) updates it once, and keeps an operator's pause.
        await handle.pause(note="paused by an operator")
        moved = f"retention-{uuid.uuid4()}"
        assert (
            await schedules.ensure_schedule(env.client, RETENTION_SCHEDULE_ID, schedules.retention_schedule(moved))
            == "updated"
        )
        assert (
            await schedules.ensure_schedule(env.client, RETENTION_SCHEDULE_ID, schedules.retention_schedule(moved))
            == "unchanged"
        )
        after = await handle.describe()
        action = after.schedule.action
        assert isinstance(action, ScheduleActionStartWorkflow) and action.task_queue == moved
        assert after.schedule.state.paused
        assert [s.id async for s in await env.client.list_schedules()].count(RETENTION_SCHEDULE_ID) == 1

        # What it starts runs: triggered now instead of at 02:30, on a worker of that queue.
        await handle.unpause()
        async with build_worker(env.client, moved):
            run = await trigger_and_follow(env.client, handle, PurgeReport)
            assert await run.result() == PurgeReport(requests=1, households=1)
    assert await _purged() == set(due)
