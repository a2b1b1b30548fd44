"""Places' reports for the tests: opened through the gateway the application uses, filed as the place's staff,
closed and replayed after each test (the report workflows have no row to find them by until they are filed)."""

import asyncio
import contextlib
import os
from collections.abc import AsyncIterator
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from temporalio.client import Client, WorkflowExecutionStatus, WorkflowHandle
from temporalio.service import RPCError
from temporalio.testing import WorkflowEnvironment

from db.base import transaction
from db.notifications import Notification
from domain import names
from domain.place_reports import (
    CountLine,
    PlaceReportAnswer,
    PlaceReportInput,
    ProposalInput,
    ReportActor,
    ReportFiling,
)
from domain.roles import Role
from tests.donation_helpers import server_today
from tests.factories import make_staff
from tests.replay import replay, save_history
from usecases.supply import place_report_gateway


class Opened:
    """The report workflows a test opened: terminated if still open, then replayed from their histories."""

    def __init__(self, client: Client) -> None:
        self.client = client
        self.ids: list[str] = []

    def handle(self, inp: PlaceReportInput) -> WorkflowHandle[Any, PlaceReportAnswer]:
        workflow_id = names.place_report_workflow_id(inp.place_code, inp.report_date)
        return self.client.get_workflow_handle(workflow_id, result_type=PlaceReportAnswer)

    async def open(self, queue: str, place_code: str, district_code: str, day: date) -> PlaceReportInput:
        inp = PlaceReportInput(place_code=place_code, district_code=district_code, report_date=day)
        await place_report_gateway.start(self.client, queue, inp)
        self.ids.append(names.place_report_workflow_id(place_code, day))
        return inp

    async def close(self) -> None:
        for workflow_id in self.ids:
            handle = self.client.get_workflow_handle(workflow_id)
            with contextlib.suppress(RPCError):
                await handle.terminate("test finished")
            history = await handle.fetch_history()
            await replay(history)
            if record_dir := os.environ.get("RECORD_HISTORIES"):
                save_history(history, record_dir)


@contextlib.asynccontextmanager
async def opened_reports(client: Client) -> AsyncIterator[Opened]:
    opened = Opened(client)
    try:
        yield opened
    finally:
        await opened.close()


async def tomorrow(env: WorkflowEnvironment) -> date:
    """A report day whose reminder and deadline are all ahead of the test server's clock."""
    return await server_today(env) + timedelta(days=1)


async def staff_of(place_code: str, unit_code: str) -> ReportActor:
    staff = await make_staff(Role.WAREHOUSE_STAFF, unit_code, place_code=place_code)
    return ReportActor(role=Role.WAREHOUSE_STAFF, user_id=staff.id, place_code=place_code)


def filing(actor: ReportActor, counted_rice: int = 0) -> ReportFiling:
    return ReportFiling(
        actor=actor,
        counts=(CountLine(item_code="rice", counted=Decimal(counted_rice), consumed=Decimal(3)),),
        proposals=(ProposalInput(item_code="rice", quantity=Decimal(200), days=3, reason="Hai khu cách ly mới"),),
    )


async def notices(place_code: str) -> list[tuple[str, str]]:
    """(event, audience) of the messages about the place's reports, in the order stored."""
    async with transaction() as session:
        rows = await session.execute(
            select(Notification.event, Notification.audience)
            .where(Notification.place_code == place_code, Notification.event.like("place_report_%"))
            .order_by(Notification.created_at, Notification.audience)
        )
    return [(event, audience) for event, audience in rows.all()]


async def closed(handle: WorkflowHandle[Any, PlaceReportAnswer]) -> PlaceReportAnswer:
    """The result once closed (the test server's long poll can answer with an empty page: wait for the close)."""
    for _ in range(400):
        described = await handle.describe()
        if described.status != WorkflowExecutionStatus.RUNNING:
            return await handle.result()
        await asyncio.sleep(0.05)
    raise AssertionError(f"{handle.id} still running")
