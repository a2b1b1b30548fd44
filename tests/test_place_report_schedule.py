"""The places' reports open by themselves: a daily Temporal Schedule, ensured by every worker at start-up, starts
an opener that starts one report workflow per reporting place for the city's day, and none twice when it runs
again."""

import uuid

import pytest
from temporalio.client import ScheduleActionStartWorkflow

from common import schedules
from common.city_time import CITY_TZ
from db.base import transaction
from domain import names
from domain.place_reports import PLACE_REPORT_POLICY, PLACE_REPORT_SCHEDULE_ID, OpenedReports, ReportOpening
from services import place_reports
from tests.live_stack import dev_server
from tests.temporal_helpers import trigger_and_follow
from worker import build_worker
from workflows.place_report import PlaceReportOpenerWorkflow

pytestmark = pytest.mark.timeout(90)


async def test_every_worker_start_ensures_the_daily_opening_which_starts_each_places_report_once(db: None) -> None:
    async with transaction() as session:
        places = await place_reports.reporting_places(session)
    async with dev_server() as env:
        queue = f"reports-{uuid.uuid4()}"
        await schedules.ensure_schedules(env.client, queue)  # what worker.main does
        assert (
            await schedules.ensure_schedule(
                env.client, PLACE_REPORT_SCHEDULE_ID, schedules.place_report_schedule(queue)
            )
            == "unchanged"
        )
        handle = env.client.get_schedule_handle(PLACE_REPORT_SCHEDULE_ID)
        described = (await handle.describe()).schedule
        [calendar] = described.spec.calendars
        opens = PLACE_REPORT_POLICY.opens_at
        assert (calendar.hour[0].start, calendar.minute[0].start) == (opens.hour, opens.minute)
        assert described.spec.time_zone_name == "Asia/Ho_Chi_Minh"
        action = described.action
        assert isinstance(action, ScheduleActionStartWorkflow)
        assert (action.workflow, action.task_queue) == ("PlaceReportOpenerWorkflow", queue)

        # Triggered now instead of at the opening hour, on a worker of that queue; then again, as a retried or
        # repeated run would: the second starts nothing.
        async with build_worker(env.client, queue):
            first = await (await trigger_and_follow(env.client, handle, OpenedReports)).result()
            assert (first.opened, first.already) == (len(places), 0)
            day = first.day
            hospital = next(p for p in places if p.kind == "hospital")
            report = env.client.get_workflow_handle(names.place_report_workflow_id(hospital.code, day))
            attributes = (await report.describe()).typed_search_attributes
            assert attributes.get(names.SA_KIND) == "place_report"
            assert attributes.get(names.SA_PLACE) == hospital.code
            again = await env.client.execute_workflow(
                PlaceReportOpenerWorkflow.run, ReportOpening(), id="opener-again", task_queue=queue
            )
            assert (again.opened, again.already) == (0, len(places)) and again.day == day
            started = (await report.describe()).start_time
            assert started.astimezone(CITY_TZ).date() == day
