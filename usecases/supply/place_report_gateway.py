"""How the application talks to places' report workflows: start one, and file a report as a signed update."""

from datetime import date

from temporalio.client import Client
from temporalio.common import WorkflowIDReusePolicy

from domain import names
from domain.place_reports import PlaceReportAnswer, PlaceReportInput, ReportFiling, report_code
from usecases.signed_updates import send_signed
from workflows.place_report import PlaceReportWorkflow, start_search_attributes


async def start(client: Client, task_queue: str, inp: PlaceReportInput) -> None:
    await client.start_workflow(
        PlaceReportWorkflow.run,
        inp,
        id=names.place_report_workflow_id(inp.place_code, inp.report_date),
        task_queue=task_queue,
        id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
        search_attributes=start_search_attributes(inp),
    )


async def file(client: Client, place_code: str, day: date, filing: ReportFiling, update_id: str) -> PlaceReportAnswer:
    """Signs and sends the filing; raises ActionRefused when the workflow refuses it, has closed or never opened."""
    return await send_signed(
        client,
        names.place_report_workflow_id(place_code, day),
        report_code(place_code, day),
        PlaceReportWorkflow.file,
        filing,
        update_id,
        PlaceReportAnswer,
        "this day's report is closed and takes no more filings",
    )
