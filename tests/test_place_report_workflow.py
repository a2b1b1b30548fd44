"""A place's daily report on the time-skipping server: reminded before its deadline, filed on time; missing at
the deadline and escalated to the district and the city, then filed late; never filed; the filing's refusals
(another place's staff, unsigned, a second filing) write nothing; the daily opener starts one per place, once.
Each workflow replays from its history after the test."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from temporalio.client import Client, WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError
from temporalio.testing import WorkflowEnvironment

from db.base import transaction
from db.place_reports import PlaceReport, PlaceReportProposal
from domain import names
from domain.place_reports import PlaceReportAnswer, ReportOpening, ReportStage
from domain.refusals import RefusalKind
from services import place_reports
from services.supply_seed import district_warehouse_code
from tests.donation_helpers import until
from tests.place_report_helpers import closed, filing, notices, opened_reports, staff_of, tomorrow
from usecases.relief.workflow_gateway import ActionRefused
from usecases.supply import place_report_gateway
from workflows.place_report import PlaceReportOpenerWorkflow, PlaceReportWorkflow

pytestmark = pytest.mark.timeout(120)

Q1 = "760"
WAREHOUSE = district_warehouse_code(Q1)


async def _filed_rows() -> int:
    async with transaction() as session:
        return (await session.execute(select(func.count()).select_from(PlaceReport))).scalar_one()


async def _overdue(client: Client, workflow_id: str) -> bool | None:
    described = await client.get_workflow_handle(workflow_id).describe()
    return described.typed_search_attributes.get(names.SA_OVERDUE)


async def test_reminded_before_the_deadline_then_filed_on_time(
    client: Client, task_queue: str, temporal_env: WorkflowEnvironment
) -> None:
    async with opened_reports(client) as reports:
        inp = await reports.open(task_queue, WAREHOUSE, Q1, await tomorrow(temporal_env))
        policy = inp.policy
        reminder = policy.at(inp.report_date, policy.reminder_at)
        await temporal_env.sleep(reminder - await temporal_env.get_current_time() + timedelta(minutes=5))
        await until(lambda: notices(WAREHOUSE), [("place_report_reminder", "place")])
        assert await reports.handle(inp).query(PlaceReportWorkflow.stage) == ReportStage.OPEN

        actor = await staff_of(WAREHOUSE, Q1)
        answer = await place_report_gateway.file(client, WAREHOUSE, inp.report_date, filing(actor), "file-1")
        assert answer.stage == ReportStage.FILED and answer.report_id is not None
        assert await closed(reports.handle(inp)) == answer
        assert await notices(WAREHOUSE) == [("place_report_reminder", "place")]  # no escalation
        assert await _overdue(client, reports.ids[0]) is False


async def test_missing_at_the_deadline_is_escalated_and_a_late_filing_is_still_taken(
    client: Client, task_queue: str, temporal_env: WorkflowEnvironment
) -> None:
    async with opened_reports(client) as reports:
        inp = await reports.open(task_queue, WAREHOUSE, Q1, await tomorrow(temporal_env))
        deadline = inp.policy.deadline(inp.report_date)
        # Past the reminder first: the server skips time even while a step runs.
        reminder = inp.policy.at(inp.report_date, inp.policy.reminder_at)
        await temporal_env.sleep(reminder - await temporal_env.get_current_time() + timedelta(minutes=5))
        await until(lambda: notices(WAREHOUSE), [("place_report_reminder", "place")])
        await temporal_env.sleep(deadline - await temporal_env.get_current_time() + timedelta(minutes=5))
        missing = [
            ("place_report_reminder", "place"),
            ("place_report_missing", "city"),
            ("place_report_missing", "district"),
            ("place_report_missing", "place"),
        ]
        await until(lambda: notices(WAREHOUSE), missing)
        handle = reports.handle(inp)
        assert await handle.query(PlaceReportWorkflow.stage) == ReportStage.MISSING
        assert await _overdue(client, handle.id) is True

        actor = await staff_of(WAREHOUSE, Q1)
        answer = await place_report_gateway.file(client, WAREHOUSE, inp.report_date, filing(actor), "late")
        assert answer.stage == ReportStage.LATE
        assert await closed(handle) == answer
        assert await _overdue(client, handle.id) is False
        async with transaction() as session:
            row = (await session.execute(select(PlaceReport))).scalar_one()
            assert row.late and row.filed_at > deadline
            assert [p.report_date for p in await place_reports.latest_proposals(session, inp.report_date)] == [
                inp.report_date
            ]
        assert await notices(WAREHOUSE) == missing  # told once


async def test_a_report_never_filed_closes_missing_after_its_late_window_and_refuses_a_filing(
    client: Client, task_queue: str, temporal_env: WorkflowEnvironment
) -> None:
    async with opened_reports(client) as reports:
        inp = await reports.open(task_queue, WAREHOUSE, Q1, await tomorrow(temporal_env))
        deadline = inp.policy.deadline(inp.report_date)
        reminder = inp.policy.at(inp.report_date, inp.policy.reminder_at)
        await temporal_env.sleep(reminder - await temporal_env.get_current_time() + timedelta(minutes=5))
        await until(lambda: notices(WAREHOUSE), [("place_report_reminder", "place")])
        await temporal_env.sleep(deadline - await temporal_env.get_current_time() + timedelta(minutes=5))
        await until(lambda: notices(WAREHOUSE), [("place_report_reminder", "place")] + [
            ("place_report_missing", a) for a in ("city", "district", "place")
        ])  # fmt: skip
        await temporal_env.sleep(inp.policy.late_window)
        assert await closed(reports.handle(inp)) == PlaceReportAnswer(stage=ReportStage.MISSING)
        with pytest.raises(ActionRefused) as refused:
            actor = await staff_of(WAREHOUSE, Q1)
            await place_report_gateway.file(client, WAREHOUSE, inp.report_date, filing(actor), "too-late")
        assert refused.value.kind == RefusalKind.WRONG_STAGE
        assert await _filed_rows() == 0


async def test_refused_filings_write_nothing_and_a_second_filing_is_refused(
    client: Client, task_queue: str, temporal_env: WorkflowEnvironment
) -> None:
    async with opened_reports(client) as reports:
        day = await tomorrow(temporal_env)
        inp = await reports.open(task_queue, WAREHOUSE, Q1, day)
        other = await staff_of(district_warehouse_code("769"), "769")
        with pytest.raises(ActionRefused) as refused:
            await place_report_gateway.file(client, WAREHOUSE, day, filing(other), "other-place")
        assert refused.value.kind == RefusalKind.OUT_OF_SCOPE
        actor = await staff_of(WAREHOUSE, Q1)
        with pytest.raises(WorkflowUpdateFailedError) as forged:  # sent past the application: not signed
            await reports.handle(inp).execute_update(PlaceReportWorkflow.file, filing(actor), id="forged")
        assert isinstance(forged.value.cause, ApplicationError) and forged.value.cause.type == RefusalKind.UNSIGNED
        assert await _filed_rows() == 0

        first = await place_report_gateway.file(client, WAREHOUSE, day, filing(actor), "tap")
        # A double tap (the same update id) is answered with the first answer; another filing is refused: the
        # filed report's workflow has closed (the use case names the first filing, test_place_report_api.py).
        assert await place_report_gateway.file(client, WAREHOUSE, day, filing(actor, 50), "tap") == first
        assert await closed(reports.handle(inp)) == first
        with pytest.raises(ActionRefused) as again:
            await place_report_gateway.file(client, WAREHOUSE, day, filing(actor, 50), "second")
        assert again.value.kind == RefusalKind.WRONG_STAGE
        async with transaction() as session:
            assert (await session.execute(select(func.count()).select_from(PlaceReportProposal))).scalar_one() == 1
        assert await _filed_rows() == 1


async def test_the_opener_starts_one_report_per_reporting_place_once(
    client: Client, task_queue: str, temporal_env: WorkflowEnvironment
) -> None:
    day = await tomorrow(temporal_env) + timedelta(days=100)  # a day no other test opened a report for
    async with transaction() as session:
        places = await place_reports.reporting_places(session)
    async with opened_reports(client) as reports:
        reports.ids += [names.place_report_workflow_id(p.code, day) for p in places]
        opening = ReportOpening(day=day)
        first = await client.execute_workflow(
            PlaceReportOpenerWorkflow.run, opening, id="opener-1", task_queue=task_queue
        )
        assert (first.opened, first.already) == (len(places), 0)
        again = await client.execute_workflow(
            PlaceReportOpenerWorkflow.run, opening, id="opener-2", task_queue=task_queue
        )
        assert (again.opened, again.already) == (0, len(places))
        kinds = {p.kind for p in places}
        assert kinds == {"district_warehouse", "hospital", "quarantine_area", "community_kitchen"}
        hospital = next(p for p in places if p.kind == "hospital")
        described = await client.get_workflow_handle(names.place_report_workflow_id(hospital.code, day)).describe()
        attributes = described.typed_search_attributes
        assert attributes.get(names.SA_KIND) == "place_report" and attributes.get(names.SA_PLACE) == hospital.code
        assert attributes.get(names.SA_DISTRICT) == hospital.district_code
