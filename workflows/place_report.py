"""One place's daily report, from the morning it opens until it is filed, or until its late window closes.

Timers from the policy (domain/place_reports.py, city time): at the reminder time the place's staff are told,
unless they have filed; at the deadline an unfiled report becomes "missing" (AnSinhOverdue, the district's and
the city's officials told) and a filing still comes in, marked late, until the late window closes. Staff of the
place file through the `file` update: its validator refuses, before anything is written, a filing that is not
signed, from anyone else, a second one of the day, or one sent while the first is being written; the handler
runs one activity that writes the report, its counts, proposals and pending adjustments together.

`PlaceReportOpenerWorkflow` is what the daily schedule starts: it starts one report workflow per reporting place,
each under its own id, so a repeated or retried opener starts none twice.
"""

from datetime import datetime, timedelta
from typing import Any

from temporalio import workflow
from temporalio.common import (
    RetryPolicy,
    SearchAttributePair,
    SearchAttributeUpdate,
    TypedSearchAttributes,
    WorkflowIDReusePolicy,
)
from temporalio.exceptions import ActivityError, ApplicationError, WorkflowAlreadyStartedError
from temporalio.workflow import ParentClosePolicy

with workflow.unsafe.imports_passed_through():
    from activities import place_report as acts
    from common.city_time import CITY_TZ
    from domain import action_signing, names
    from domain.place_reports import (
        FileReportStep,
        NoticeKind,
        OpenedReports,
        PlaceReportAnswer,
        PlaceReportInput,
        ReportFiling,
        ReportNotice,
        ReportOpening,
        ReportStage,
    )
    from domain.refusals import RefusalKind
    from domain.roles import Role

PLACE_REPORT_KIND = "place_report"
_START_TO_CLOSE = timedelta(seconds=15)
# A person waits on a filing: retried briefly, then answered "send it again".
_PERSON_RETRY = RetryPolicy(initial_interval=timedelta(milliseconds=200), maximum_interval=timedelta(seconds=5))
_PERSON_WITHIN = timedelta(seconds=30)
# Nobody waits on a notice: retried until the database answers (the retries add nothing to the history).
_NOTICE_RETRY = RetryPolicy(initial_interval=timedelta(seconds=1), maximum_interval=timedelta(minutes=5))


def place_report_search_attributes(inp: PlaceReportInput, stage: ReportStage) -> list[tuple[Any, Any]]:
    """What supervisors filter reports on: a missing one is AnSinhOverdue until it is filed."""
    return [
        (names.SA_KIND, PLACE_REPORT_KIND),
        (names.SA_STAGE, stage.value),
        (names.SA_PLACE, inp.place_code),
        (names.SA_DISTRICT, inp.district_code),
        (names.SA_DEADLINE, inp.policy.deadline(inp.report_date)),
        (names.SA_OVERDUE, stage == ReportStage.MISSING),
    ]


def start_search_attributes(inp: PlaceReportInput) -> TypedSearchAttributes:
    return TypedSearchAttributes(
        [SearchAttributePair(key, value) for key, value in place_report_search_attributes(inp, ReportStage.OPEN)]
    )


@workflow.defn
class PlaceReportWorkflow:
    @workflow.init
    def __init__(self, inp: PlaceReportInput) -> None:
        self._inp = inp
        self._stage = ReportStage.OPEN
        self._answer: PlaceReportAnswer | None = None
        self._busy = False  # the filing is being written: another is refused Busy meanwhile

    @workflow.run
    async def run(self, inp: PlaceReportInput) -> PlaceReportAnswer:
        policy, day = inp.policy, inp.report_date
        deadline = policy.deadline(day)
        if workflow.now() < deadline and not await self._filed_by(policy.at(day, policy.reminder_at)):
            await self._tell(NoticeKind.REMINDER)
        if not await self._filed_by(deadline):
            self._enter(ReportStage.MISSING)
            await self._tell(NoticeKind.MISSING)
        await self._filed_by(deadline + policy.late_window)
        await workflow.wait_condition(lambda: not self._busy)
        await workflow.wait_condition(workflow.all_handlers_finished)
        return self._answer or PlaceReportAnswer(stage=self._stage)

    async def _filed_by(self, moment: datetime) -> bool:
        """Waits until the report is filed or the moment comes (a filing being written is waited for)."""
        left = moment - workflow.now()
        if left > timedelta(0):
            try:
                await workflow.wait_condition(lambda: self._answer is not None, timeout=left)
            except TimeoutError:
                pass
        await workflow.wait_condition(lambda: not self._busy)
        return self._answer is not None

    async def _tell(self, kind: NoticeKind) -> None:
        inp = self._inp
        notice = ReportNotice(
            place_code=inp.place_code,
            district_code=inp.district_code,
            report_date=inp.report_date,
            kind=kind,
            deadline=inp.policy.deadline(inp.report_date),
        )
        await workflow.execute_activity(
            acts.tell_place_report, notice, start_to_close_timeout=_START_TO_CLOSE, retry_policy=_NOTICE_RETRY
        )

    def _enter(self, stage: ReportStage) -> None:
        self._stage = stage
        updates: list[SearchAttributeUpdate[Any]] = [
            key.value_set(value) for key, value in place_report_search_attributes(self._inp, stage)
        ]
        workflow.upsert_search_attributes(updates)

    @workflow.update
    async def file(self, filing: ReportFiling) -> PlaceReportAnswer:
        self._busy = True
        try:
            answer: PlaceReportAnswer = await workflow.execute_activity(
                acts.file_place_report,
                FileReportStep(inp=self._inp, filing=filing, filed_at=workflow.now()),
                start_to_close_timeout=_START_TO_CLOSE,
                schedule_to_close_timeout=_PERSON_WITHIN,
                retry_policy=_PERSON_RETRY,
            )
        except ActivityError:
            raise ApplicationError(
                "we could not record this now; nothing was written, please send it again", type=RefusalKind.STEP_FAILED
            ) from None
        finally:
            self._busy = False
        self._answer = answer
        self._enter(answer.stage)
        return answer

    @file.validator
    def _validate_filing(self, filing: ReportFiling) -> None:
        if not action_signing.is_signed(self._inp.code, "file", filing, filing.signature):
            raise ApplicationError("this action was not sent by the application", type=RefusalKind.UNSIGNED)
        actor = filing.actor
        if actor.role != Role.WAREHOUSE_STAFF or actor.place_code != self._inp.place_code:
            raise ApplicationError("only the place's own staff file its report", type=RefusalKind.OUT_OF_SCOPE)
        if self._busy:
            raise ApplicationError("this report is being recorded; try again shortly", type=RefusalKind.BUSY)
        if self._answer is not None:
            raise ApplicationError("this day's report was filed already", type=RefusalKind.DUPLICATE)

    @workflow.query
    def stage(self) -> ReportStage:
        return self._stage


@workflow.defn
class PlaceReportOpenerWorkflow:
    """Starts the day's report of every reporting place; a report already started is left as it is."""

    @workflow.run
    async def run(self, opening: ReportOpening) -> OpenedReports:
        day = opening.day or workflow.now().astimezone(CITY_TZ).date()
        places = await workflow.execute_activity(
            acts.list_reporting_places,
            start_to_close_timeout=timedelta(seconds=30),
            retry_policy=RetryPolicy(maximum_interval=timedelta(minutes=1)),
        )
        opened = already = 0
        for place in places:
            inp = PlaceReportInput(
                place_code=place.place_code, district_code=place.district_code, report_date=day, policy=opening.policy
            )
            try:
                await workflow.start_child_workflow(
                    PlaceReportWorkflow.run,
                    inp,
                    id=names.place_report_workflow_id(place.place_code, day),
                    id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
                    parent_close_policy=ParentClosePolicy.ABANDON,
                    search_attributes=start_search_attributes(inp),
                )
                opened += 1
            except WorkflowAlreadyStartedError:
                already += 1
        return OpenedReports(day=day, opened=opened, already=already)
