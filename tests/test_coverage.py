"""Omission: registry households not reached, stuck requests, and the wards with the lowest coverage."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import update
from temporalio.client import Client

from db.base import transaction
from db.requests import ReliefRequest
from domain.messages import Applicant, CourierAssignment
from domain.roles import Role
from services.coverage import outreach_csv, unreached_households, ward_coverage
from tests.factories import DISTRICT, OTHER_WARD_SAME_DISTRICT, WARD, make_staff
from tests.test_registry_import import MESSY_CSV, run_import
from tests.test_relief_workflow import proof, register
from usecases.relief import workflow_gateway as gateway
from workflows.relief_request import ReliefRequestWorkflow


async def test_coverage_finds_the_households_nobody_reached(client: Client, task_queue: str) -> None:
    report = await run_import("list.csv", MESSY_CSV.encode())
    assert report.accepted == 4
    official = await make_staff(Role.WARD_OFFICIAL, WARD)
    courier = await make_staff(Role.COURIER, WARD)
    # One listed household asks and receives its bag; another asks and is left waiting past the deadline.
    reached, _ = await register(
        client,
        task_queue,
        Applicant(
            full_name="Nguyễn Văn Tám",
            national_id="079060001234",
            phone="0903111222",
            address="12 Nguyễn Huệ",
            household_size=4,
        ),
    )
    # Listed households skip verification: the ward assigns the courier, who delivers.
    await gateway.send(
        client,
        reached.code,
        ReliefRequestWorkflow.assign_courier,
        CourierAssignment(actor=official.actor(), courier_id=courier.id, courier_ward_code=WARD),
        "assign-1",
    )
    await gateway.send(
        client, reached.code, ReliefRequestWorkflow.confirm_delivery, proof(courier, "079060001234"), "confirm-1"
    )
    waiting, _ = await register(
        client,
        task_queue,
        Applicant(
            full_name="Trần Thị Bảy",
            national_id="079175002345",
            phone="0912777888",
            address="34 Lê Lợi",
            household_size=3,
        ),
    )
    now = datetime.now(UTC)
    async with transaction() as session:
        await session.execute(
            update(ReliefRequest)
            .where(ReliefRequest.id == waiting.request_id)
            .values(deadline_at=now - timedelta(hours=1))
        )

    since = now - timedelta(days=14)
    async with transaction() as session:
        wards = await ward_coverage(session, district_code=DISTRICT, since=since, now=now)
        city = await ward_coverage(session, district_code=None, since=since, now=now)
        outreach = await unreached_households(session, WARD, since)
    ours = next(w for w in wards if w.ward_code == WARD)
    assert (ours.on_registry, ours.reached, ours.unreached, ours.stuck_requests) == (4, 1, 3, 1)
    assert wards[0] == ours  # the only ward with a registry and gaps comes first
    # A ward with no list is not "100 % covered": nothing is known of it.
    empty = next(w for w in wards if w.ward_code == OTHER_WARD_SAME_DISTRICT)
    assert empty.on_registry == 0 and empty.coverage is None
    assert {w.ward_code for w in wards} >= {WARD, OTHER_WARD_SAME_DISTRICT} and len(city) == 273
    addresses = [row.address for row in outreach]
    assert addresses == sorted(addresses) and len(addresses) == 3 and "12 Nguyễn Huệ" not in addresses
    assert "Trần Thị Bảy" in outreach_csv(outreach, "vi")
