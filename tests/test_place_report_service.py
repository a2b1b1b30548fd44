"""Places' reports in PostgreSQL: filed once, the latest proposals per place for the round, adjustments into the
ledger only when a second person approves them, exactly once."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from db.base import transaction
from db.place_reports import PlaceReportAdjustment, PlaceReportProposal
from db.supply import StockMovement
from domain.place_reports import PLACE_REPORT_POLICY, CountLine, ProposalInput
from domain.roles import Role
from services import place_reports, stock_ledger
from services.place_reports import Filing
from services.supply_seed import district_warehouse_code
from tests.factories import make_staff

pytestmark = pytest.mark.usefixtures("db")

Q1 = "760"
WAREHOUSE = district_warehouse_code(Q1)
HOSPITAL = "BV-CHO-RAY"
DAY = date(2026, 12, 3)


def proposal(item: str, quantity: int, reason: str = "Khu cách ly mới mở") -> ProposalInput:
    return ProposalInput(item_code=item, quantity=Decimal(quantity), days=3, reason=reason)


async def file(
    place: str,
    day: date,
    staff_id,
    proposals: list[ProposalInput],
    counts: list[CountLine] | None = None,
    district: str = Q1,
) -> place_reports.Filed:
    deadline = PLACE_REPORT_POLICY.deadline(day)
    async with transaction() as session:
        return await place_reports.file_report(
            session,
            Filing(place, district, day, staff_id, deadline - timedelta(hours=1), deadline, counts or [], proposals),
        )


async def test_the_round_reads_each_places_latest_filed_report_on_or_before_the_day() -> None:
    staff = await make_staff(Role.WAREHOUSE_STAFF, Q1, place_code=WAREHOUSE)
    nurse = await make_staff(Role.WAREHOUSE_STAFF, "774", place_code=HOSPITAL)
    await file(WAREHOUSE, DAY, staff.id, [proposal("rice", 100), proposal("instant_noodles", 40)])
    await file(WAREHOUSE, DAY + timedelta(days=1), staff.id, [proposal("rice", 70)])
    await file(WAREHOUSE, DAY + timedelta(days=3), staff.id, [proposal("rice", 5)])  # after the day asked
    await file(HOSPITAL, DAY, nurse.id, [proposal("uht_milk", 12, "Bệnh nhân tăng")], district="774")

    async with transaction() as session:
        lines = await place_reports.latest_proposals(session, DAY + timedelta(days=1))
    assert [(p.place_code, p.report_date, p.item_code, p.quantity, p.days) for p in lines] == [
        (HOSPITAL, DAY, "uht_milk", Decimal(12), 3),
        (WAREHOUSE, DAY + timedelta(days=1), "rice", Decimal(70), 3),
    ]
    assert lines[0].reason == "Bệnh nhân tăng"
    async with transaction() as session:
        assert [p.item_code for p in await place_reports.latest_proposals(session, DAY)] == [
            "uht_milk",
            "rice",
            "instant_noodles",
        ]
        assert await place_reports.latest_proposals(session, DAY - timedelta(days=1)) == []


async def test_a_second_filing_of_the_same_day_writes_nothing_and_answers_the_first() -> None:
    staff = await make_staff(Role.WAREHOUSE_STAFF, Q1, place_code=WAREHOUSE)
    first = await file(WAREHOUSE, DAY, staff.id, [proposal("rice", 100)])
    again = await file(WAREHOUSE, DAY, staff.id, [proposal("rice", 999), proposal("cooking_oil", 3)])
    assert first.new and not again.new
    assert again.report_id == first.report_id
    async with transaction() as session:
        count = (await session.execute(select(func.count()).select_from(PlaceReportProposal))).scalar_one()
    assert count == 1


async def test_a_counted_difference_reaches_the_ledger_only_when_a_second_person_approves_it_once() -> None:
    counter = await make_staff(Role.WAREHOUSE_STAFF, Q1, place_code=WAREHOUSE)
    colleague = await make_staff(Role.WAREHOUSE_STAFF, Q1, place_code=WAREHOUSE)
    async with transaction() as session:
        soon = await stock_ledger.receive(session, "d1:rice", WAREHOUSE, "rice", Decimal(30), DAY + timedelta(days=5))
        later = await stock_ledger.receive(session, "d2:rice", WAREHOUSE, "rice", Decimal(50), DAY + timedelta(days=60))
        await stock_ledger.receive(session, "d3:cooking_oil", WAREHOUSE, "cooking_oil", Decimal(10), None)
    filed = await file(
        WAREHOUSE,
        DAY,
        counter.id,
        [],
        [
            CountLine(item_code="rice", counted=Decimal(45), consumed=Decimal(7)),
            CountLine(item_code="cooking_oil", counted=10),
        ],
    )
    assert filed.pending_adjustments == 1  # oil matched the ledger
    async with transaction() as session:
        pending = (await session.execute(select(PlaceReportAdjustment))).scalar_one()
        assert (pending.ledger_on_hand, pending.counted, pending.difference) == (80, 45, -35)
        assert await place_reports.on_hand_by_item(session, WAREHOUSE) == {
            "rice": 80,
            "cooking_oil": 10,
        }  # not yet written

    with pytest.raises(IntegrityError):  # the database refuses the counter as the approver, whatever the caller
        async with transaction() as session:
            await place_reports.approve_adjustment(session, pending.id, counter.id, datetime.now().astimezone())

    for _ in range(2):  # a retried approval writes nothing twice
        async with transaction() as session:
            done = await place_reports.approve_adjustment(
                session, pending.id, colleague.id, datetime.now().astimezone()
            )
            assert done.state == "approved" and done.approved_by == colleague.id
    async with transaction() as session:
        assert await place_reports.on_hand_by_item(session, WAREHOUSE) == {"rice": 45, "cooking_oil": 10}
        taken = (
            await session.execute(
                select(StockMovement.lot_id, StockMovement.quantity)
                .where(StockMovement.kind == "adjusted_down")
                .order_by(StockMovement.id)
            )
        ).all()
        assert taken == [(soon, -30), (later, -5)]  # first expiry first
        assert await stock_ledger.discrepancies(session) == []


async def test_found_goods_join_the_first_expiring_lot_of_the_item() -> None:
    counter = await make_staff(Role.WAREHOUSE_STAFF, Q1, place_code=WAREHOUSE)
    official = await make_staff(Role.DISTRICT_OFFICIAL, Q1)
    async with transaction() as session:
        soon = await stock_ledger.receive(
            session, "d1:rice", WAREHOUSE, "rice", Decimal(30), date.today() + timedelta(5)
        )
        await stock_ledger.receive(session, "d2:rice", WAREHOUSE, "rice", Decimal(50), date.today() + timedelta(60))
    await file(WAREHOUSE, DAY, counter.id, [], [CountLine(item_code="rice", counted=Decimal(84))])
    async with transaction() as session:
        pending = (await session.execute(select(PlaceReportAdjustment))).scalar_one()
        await place_reports.approve_adjustment(session, pending.id, official.id, datetime.now().astimezone())
    async with transaction() as session:
        assert await place_reports.on_hand_by_item(session, WAREHOUSE) == {"rice": 84}
        up = (await session.execute(select(StockMovement).where(StockMovement.kind == "adjusted_up"))).scalar_one()
        assert (up.lot_id, up.quantity) == (soon, 4)
