"""The Temporal Schedules the system keeps: the daily retention purge, the hourly spoilage watch, the daily
opening of the places' reports and the daily allocation round (architecture §8: daily rounds and retention run as
schedules, not as a cron or a script someone must remember).

Every worker ensures them when it starts (worker.py): a missing schedule is created, one whose timing or action
differ from the code's is updated, an unchanged one is left alone. So `scripts/run` and a city deployment get
the same schedule with no step of their own, the deployment that changes it updates it, and the schedule only
exists where a worker can run what it starts. Workers starting together converge: a create that loses the race
becomes an update, and updates to the same schedule are equal.
"""

import logging
from datetime import timedelta
from typing import Literal

from temporalio.client import (
    Client,
    Schedule,
    ScheduleActionStartWorkflow,
    ScheduleAlreadyRunningError,
    ScheduleCalendarSpec,
    ScheduleOverlapPolicy,
    SchedulePolicy,
    ScheduleRange,
    ScheduleSpec,
    ScheduleUpdate,
    ScheduleUpdateInput,
)

from domain.allocation_round import ALLOCATION_ROUND_SCHEDULE_ID, ScheduledRound
from domain.names import RETENTION_SCHEDULE_ID
from domain.place_reports import PLACE_REPORT_POLICY, PLACE_REPORT_SCHEDULE_ID, PlaceReportPolicy, ReportOpening
from domain.retention import RetentionRun
from domain.spoilage import SPOILAGE_SCHEDULE_ID, SpoilageRun
from workflows.allocation_round import AllocationRoundScheduleWorkflow
from workflows.place_report import PlaceReportOpenerWorkflow
from workflows.retention import RetentionWorkflow
from workflows.spoilage_watch import SpoilageWatchWorkflow

log = logging.getLogger("ansinh.schedules")

Outcome = Literal["created", "updated", "unchanged"]


def retention_schedule(task_queue: str) -> Schedule:
    """At 02:30 in the city, when nobody is registering; a day it missed is not made up (the next run purges
    what it left)."""
    return Schedule(
        action=ScheduleActionStartWorkflow(
            RetentionWorkflow.run, RetentionRun(), id=RETENTION_SCHEDULE_ID, task_queue=task_queue
        ),
        spec=ScheduleSpec(
            # Tuples, as a described schedule has them: compared with it field by field.
            calendars=[ScheduleCalendarSpec(hour=(ScheduleRange(2),), minute=(ScheduleRange(30),))],
            time_zone_name="Asia/Ho_Chi_Minh",
        ),
        policy=SchedulePolicy(overlap=ScheduleOverlapPolicy.SKIP, catchup_window=timedelta(hours=1)),
    )


def spoilage_schedule(task_queue: str) -> Schedule:
    """At a quarter past every hour: a lot is flagged within the hour it became due. An hour missed is not made
    up (the next round finds what is still due)."""
    return Schedule(
        action=ScheduleActionStartWorkflow(
            SpoilageWatchWorkflow.run, SpoilageRun(), id=SPOILAGE_SCHEDULE_ID, task_queue=task_queue
        ),
        spec=ScheduleSpec(
            calendars=[ScheduleCalendarSpec(hour=(ScheduleRange(0, 23),), minute=(ScheduleRange(15),))],
            time_zone_name="Asia/Ho_Chi_Minh",
        ),
        policy=SchedulePolicy(overlap=ScheduleOverlapPolicy.SKIP, catchup_window=timedelta(minutes=30)),
    )


def place_report_schedule(task_queue: str, policy: PlaceReportPolicy = PLACE_REPORT_POLICY) -> Schedule:
    """At the reports' opening hour, one report workflow per place for the day. A run missed by up to the
    reminder time is made up (the opener starts only what is not started); later, the day is left as it is."""
    opens = policy.opens_at
    return Schedule(
        action=ScheduleActionStartWorkflow(
            PlaceReportOpenerWorkflow.run,
            ReportOpening(policy=policy),
            id=PLACE_REPORT_SCHEDULE_ID,
            task_queue=task_queue,
        ),
        spec=ScheduleSpec(
            calendars=[ScheduleCalendarSpec(hour=(ScheduleRange(opens.hour),), minute=(ScheduleRange(opens.minute),))],
            time_zone_name="Asia/Ho_Chi_Minh",
        ),
        policy=SchedulePolicy(
            overlap=ScheduleOverlapPolicy.SKIP,
            catchup_window=policy.opening_catchup,
        ),
    )


def allocation_round_schedule(task_queue: str) -> Schedule:
    """At 06:00 in the city, so the day's shipments leave in daylight once approved. A missed day is made up
    within the morning only; the run starts (or finds) the day's own round, `allocation-round-<day>`, so the
    schedule and an official's "start one now" never make two."""
    return Schedule(
        action=ScheduleActionStartWorkflow(
            AllocationRoundScheduleWorkflow.run,
            ScheduledRound(),
            id=ALLOCATION_ROUND_SCHEDULE_ID,
            task_queue=task_queue,
        ),
        spec=ScheduleSpec(
            calendars=[ScheduleCalendarSpec(hour=(ScheduleRange(6),), minute=(ScheduleRange(0),))],
            time_zone_name="Asia/Ho_Chi_Minh",
        ),
        policy=SchedulePolicy(overlap=ScheduleOverlapPolicy.SKIP, catchup_window=timedelta(hours=4)),
    )


def _same(current: Schedule, wanted: Schedule) -> bool:
    """The parts the code decides. The action's arguments are left out: the payload codec encrypts them anew
    each time, and they are the workflow's defaults."""
    now, then = current.action, wanted.action
    assert isinstance(now, ScheduleActionStartWorkflow) and isinstance(then, ScheduleActionStartWorkflow)
    return (
        current.spec == wanted.spec
        and (now.workflow, now.id, now.task_queue) == (then.workflow, then.id, then.task_queue)
        and (current.policy.overlap, current.policy.catchup_window)
        == (wanted.policy.overlap, wanted.policy.catchup_window)
    )


async def ensure_schedule(client: Client, schedule_id: str, wanted: Schedule) -> Outcome:
    try:
        await client.create_schedule(schedule_id, wanted)
        return "created"
    except ScheduleAlreadyRunningError:
        pass
    outcome: Outcome = "unchanged"

    def update(inp: ScheduleUpdateInput) -> ScheduleUpdate | None:
        nonlocal outcome
        if _same(inp.description.schedule, wanted):
            return None
        outcome = "updated"
        # Paused or not stays as the operators left it.
        return ScheduleUpdate(
            schedule=Schedule(
                action=wanted.action, spec=wanted.spec, policy=wanted.policy, state=inp.description.schedule.state
            )
        )

    await client.get_schedule_handle(schedule_id).update(update)
    return outcome


async def ensure_schedules(client: Client, task_queue: str) -> None:
    for schedule_id, wanted in (
        (RETENTION_SCHEDULE_ID, retention_schedule(task_queue)),
        (SPOILAGE_SCHEDULE_ID, spoilage_schedule(task_queue)),
        (PLACE_REPORT_SCHEDULE_ID, place_report_schedule(task_queue)),
        (ALLOCATION_ROUND_SCHEDULE_ID, allocation_round_schedule(task_queue)),
    ):
        outcome = await ensure_schedule(client, schedule_id, wanted)
        log.info("schedule %s %s", schedule_id, outcome)
