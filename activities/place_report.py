"""The activities of a place's daily report: filing it, telling a reminder or an escalation, and listing the
places the daily opener starts a report for. Each is one short transaction keyed by place and day, so a retry
writes nothing twice (services.place_reports)."""

from collections.abc import Callable
from datetime import datetime
from typing import Any

from temporalio import activity

from activities.step_failures import classify_failures
from db.base import transaction
from domain.place_reports import FileReportStep, PlaceReportAnswer, ReportingPlace, ReportNotice, ReportStage
from services import place_reports
from services.place_reports import Filing


@activity.defn
@classify_failures
async def file_place_report(step: FileReportStep) -> PlaceReportAnswer:
    inp, filing = step.inp, step.filing
    async with transaction() as session:
        filed = await place_reports.file_report(
            session,
            Filing(
                place_code=inp.place_code,
                district_code=inp.district_code,
                report_date=inp.report_date,
                filed_by=filing.actor.user_id,
                filed_at=step.filed_at,
                deadline_at=inp.policy.deadline(inp.report_date),
                counts=list(filing.counts),
                proposals=list(filing.proposals),
            ),
        )
    return PlaceReportAnswer(
        stage=ReportStage.LATE if filed.late else ReportStage.FILED,
        report_id=filed.report_id,
        filed_at=filed.filed_at,
        pending_adjustments=filed.pending_adjustments,
    )


@activity.defn
@classify_failures
async def tell_place_report(notice: ReportNotice) -> bool:
    async with transaction() as session:
        return await place_reports.tell(session, notice, datetime.now().astimezone())


@activity.defn
async def list_reporting_places() -> list[ReportingPlace]:
    async with transaction() as session:
        places = await place_reports.reporting_places(session)
    return [ReportingPlace(place_code=p.code, district_code=p.district_code or p.unit_code) for p in places]


ALL: list[Callable[..., Any]] = [file_place_report, tell_place_report, list_reporting_places]
