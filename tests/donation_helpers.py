"""Donations for the tests: announced through the service and the gateway the use case calls, received as the
warehouse's staff, and read back from the database."""

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import TypeVar

from sqlalchemy import func, select
from temporalio.api.common.v1 import WorkflowExecution
from temporalio.api.enums.v1 import WorkflowExecutionStatus
from temporalio.api.workflowservice.v1 import DescribeWorkflowExecutionRequest
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from common.city_time import CITY_TZ
from db.base import transaction
from db.donations import Donation, DonationLine
from db.notifications import Notification
from db.supply import StockMovement, SupplyItem, SupplyPlace
from domain import names
from domain.donations import (
    AnnouncedLine,
    DonationAnswer,
    DonationInput,
    DonationPolicy,
    DonorKind,
    DonorOrigin,
)
from services import donations
from usecases.supply import donation_gateway

CITY_TODAY = datetime.now(CITY_TZ).date()
_T = TypeVar("_T")


async def server_today(env: WorkflowEnvironment) -> date:
    """The city's day on the time-skipping server, whose clock runs ahead of ours once a test has skipped time."""
    return (await env.get_current_time()).astimezone(CITY_TZ).date()


async def announce(
    client: Client,
    queue: str,
    place_code: str,
    lines: list[tuple[str, Decimal, date | None]],
    today: date = CITY_TODAY,
    policy: DonationPolicy | None = None,
) -> DonationInput:
    """A donation due in three days (from `today`: the workflow's clock is the server's)."""
    expected_on = today + timedelta(days=3)
    code = f"D{uuid.uuid4().hex[:7].upper()}"
    donation_id = uuid.uuid4()
    new_lines = [donations.NewLine(uuid.uuid4(), item, quantity, expiry, 1_000_000) for item, quantity, expiry in lines]
    async with transaction() as session:
        place = await session.get(SupplyPlace, place_code)
        assert place is not None and place.district_code is not None
        catalogue = {i.code: i for i in (await session.scalars(select(SupplyItem))).all()}
        await donations.record_announcement(
            session,
            donation_id=donation_id,
            code=code,
            donor=donations.DonorContact(DonorKind.ORGANISATION, DonorOrigin.DOMESTIC, "Công ty A", "+84912345678"),
            place=place,
            district_code=place.district_code,
            expected_on=expected_on,
            lines=new_lines,
            at=datetime.now(UTC),
        )
    inp = DonationInput(
        donation_id=donation_id,
        code=code,
        place_code=place_code,
        district_code=place.district_code,
        due_at=datetime.combine(expected_on, datetime.min.time(), CITY_TZ).astimezone(UTC),
        lines=tuple(
            AnnouncedLine(
                line_id=line.line_id,
                line_no=n,
                item_code=line.item_code,
                perishable=catalogue[line.item_code].perishable,
                whole_units=catalogue[line.item_code].whole_units,
            )
            for n, line in enumerate(new_lines, start=1)
        ),
        policy=policy or DonationPolicy(),
    )
    await donation_gateway.start(client, queue, inp)
    return inp


async def donation_row(code: str) -> Donation:
    async with transaction() as session:
        return (await session.scalars(select(Donation).where(Donation.code == code))).one()


async def lines_of(code: str) -> list[DonationLine]:
    async with transaction() as session:
        return list(
            (
                await session.scalars(
                    select(DonationLine)
                    .join(Donation, Donation.id == DonationLine.donation_id)
                    .where(Donation.code == code)
                    .order_by(DonationLine.line_no)
                )
            ).all()
        )


async def donor_events(donation_id: uuid.UUID) -> list[str]:
    async with transaction() as session:
        return list(
            (
                await session.scalars(
                    select(Notification.event).where(Notification.donation_id == donation_id).order_by(Notification.seq)
                )
            ).all()
        )


async def received_movements(place_code: str) -> dict[str, Decimal]:
    async with transaction() as session:
        rows = (
            await session.execute(
                select(StockMovement.item_code, func.sum(StockMovement.quantity), func.count())
                .where(StockMovement.place_code == place_code, StockMovement.kind == "received")
                .group_by(StockMovement.item_code)
            )
        ).all()
    return {item: Decimal(total) for item, total, _ in rows} | {f"{item}#movements": Decimal(n) for item, _, n in rows}


async def finished(client: Client, code: str) -> DonationAnswer:
    """The donation workflow's result once closed (the test server's long poll for a result can answer with an
    empty page: wait for the close first, as tests/temporal_helpers.py does)."""
    request = DescribeWorkflowExecutionRequest(
        namespace=client.namespace, execution=WorkflowExecution(workflow_id=names.donation_workflow_id(code))
    )
    for _ in range(400):
        info = (await client.workflow_service.describe_workflow_execution(request)).workflow_execution_info
        if info.status != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING:
            handle = client.get_workflow_handle(names.donation_workflow_id(code), result_type=DonationAnswer)
            return await handle.result()
        await asyncio.sleep(0.05)
    raise AssertionError(f"donation {code} still running")


async def until(read: Callable[[], Awaitable[_T]], expected: _T, seconds: float = 10) -> None:
    """Waits for a workflow's step to be written (its worker runs beside the test)."""
    for _ in range(int(seconds / 0.05)):
        if await read() == expected:
            return
        await asyncio.sleep(0.05)
    assert await read() == expected
