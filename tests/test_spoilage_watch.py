"""The spoilage watch: perishable lots are flagged once before their expiry and once more, after it, until they
are written off; the place's staff and the city are told; the hourly schedule is ensured by every worker's
start; what each place wrote off per week is counted and on the supervision dashboard."""

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select, text
from temporalio.client import Client, ScheduleActionStartWorkflow

from common import schedules
from common.city_time import CITY_TZ
from common.settings import get_settings
from db.base import get_sessionmaker, transaction
from db.notifications import Notification
from db.stock_watch import StockExpiryFlag
from domain.roles import Role
from domain.spoilage import SPOILAGE_SCHEDULE_ID, ExpiryFlag, FlagKind, SpoilageRun, WatchReport
from domain.supply import MovementKind
from server import create_app
from services import stock_ledger
from services.photo_processing import PhotoProcessor
from services.stock_ledger import Movement
from services.supply_seed import district_warehouse_code, ward_point_code
from tests.factories import DISTRICT, OTHER_DISTRICT, WARD, make_staff
from tests.live_stack import dev_server
from tests.replay import replay_and_record
from tests.temporal_helpers import trigger_and_follow
from tests.trust_fixtures import in_process
from usecases.context import Context
from usecases.principal import Principal, staff_principal
from usecases.relief import work_lists
from usecases.relief.registration_gate import RegistrationGate
from usecases.relief.work_lists import Page
from usecases.supply import spoilage
from usecases.trust.tokens import SESSION_COOKIE, issue_staff_token
from worker import build_worker
from workflows.spoilage_watch import SpoilageWatchWorkflow

POINT = ward_point_code(WARD)
WAREHOUSE = district_warehouse_code(DISTRICT)
CITY = Principal(role=Role.CITY_OFFICIAL, unit_code="79")
# The database's city day, as its expiry rule reads it (the watch reads the same).
TODAY = datetime.now(CITY_TZ).date()


async def receive(key: str, item: str, quantity: str, expires_in: int | None, place: str = POINT) -> uuid.UUID:
    expires_on = TODAY + timedelta(days=expires_in) if expires_in is not None else None
    async with transaction() as session:
        return await stock_ledger.receive(session, key, place, item, Decimal(quantity), expires_on)


async def watch(client: Client, task_queue: str) -> WatchReport:
    """One round, as the schedule starts it; its history replays (and is saved with RECORD_HISTORIES=DIR)."""
    handle = await client.start_workflow(
        SpoilageWatchWorkflow.run, SpoilageRun(), id=f"spoilage-watch-{uuid.uuid4()}", task_queue=task_queue
    )
    report = await handle.result()
    await replay_and_record(await handle.fetch_history())
    return report


async def flags() -> set[tuple[str, uuid.UUID, str]]:
    async with transaction() as session:
        rows = await session.execute(select(StockExpiryFlag.place_code, StockExpiryFlag.lot_id, StockExpiryFlag.kind))
        return {(p, lot, kind) for p, lot, kind in rows}


@asynccontextmanager
async def use_cases(client: Client) -> AsyncIterator[Context]:
    async with get_sessionmaker()() as session:
        yield Context(session, get_settings(), client, PhotoProcessor(), RegistrationGate(timedelta(0)), None)


async def test_a_perishable_lot_is_flagged_once_before_its_expiry_and_its_place_and_the_city_are_told(
    client: Client, task_queue: str
) -> None:
    veg = await receive("d-1:veg", "vegetables", "40", expires_in=2)  # fresh produce: two days' warning
    eggs = await receive("d-1:eggs", "eggs", "300", expires_in=3)  # protein: three
    await receive("d-2:veg", "vegetables", "40", expires_in=3)  # not yet
    await receive("d-1:rice", "rice", "100", expires_in=1)  # not perishable: never flagged
    moved = await receive("d-3:veg", "vegetables", "5", expires_in=1)
    async with transaction() as session:  # all of it to the district's warehouse: the ward point's balance is 0
        await stock_ledger.transfer(session, "t-1", POINT, WAREHOUSE, "vegetables", Decimal(5))

    assert await watch(client, task_queue) == WatchReport(expiring=3)
    assert await watch(client, task_queue) == WatchReport(), "a second round flagged again"
    expected = {(POINT, veg, "expiring"), (POINT, eggs, "expiring"), (WAREHOUSE, moved, "expiring")}
    assert await flags() == expected

    async with transaction() as session:
        told = (await session.execute(select(Notification.audience, Notification.place_code, Notification.event))).all()
    assert sorted(told) == sorted(
        [(audience, place, "stock_expiring") for audience in ("place", "city") for place in (POINT, POINT, WAREHOUSE)]
    )

    storekeeper = await make_staff(Role.WAREHOUSE_STAFF, WARD, place_code=POINT)
    city_official = await make_staff(Role.CITY_OFFICIAL, "79")
    ward_official = await make_staff(Role.WARD_OFFICIAL, WARD)
    page = Page(limit=50, offset=0)
    other_district = Principal(role=Role.DISTRICT_OFFICIAL, unit_code=OTHER_DISTRICT, district_code=OTHER_DISTRICT)
    async with use_cases(client) as ctx:
        as_storekeeper = staff_principal(storekeeper.id, Role.WAREHOUSE_STAFF, WARD, DISTRICT, POINT)
        mine = await work_lists.staff_notifications(ctx, as_storekeeper, page)
        as_city = staff_principal(city_official.id, Role.CITY_OFFICIAL, "79", None)
        citys = await work_lists.staff_notifications(ctx, as_city, page)
        as_ward = staff_principal(ward_official.id, Role.WARD_OFFICIAL, WARD, DISTRICT)
        wards = await work_lists.staff_notifications(ctx, as_ward, page)
        listed = await spoilage.open_flags(ctx, CITY)
        at_warehouse = await spoilage.open_flags(ctx, CITY, place_code=WAREHOUSE)
        elsewhere = await spoilage.open_flags(ctx, other_district)
    # The place's staff are told of their own place's lots; the city of every place's; a ward's officials not.
    assert len(mine) == 2 and {n.place_code for n in mine} == {POINT} and {n.request_code for n in mine} == {None}
    assert any("Rau củ" in n.message and "cần dùng hoặc điều chuyển" in n.message for n in mine)
    assert len(citys) == 3 and wards == []
    assert [(f.place_code, f.item_code, f.on_hand) for f in listed] == [
        (WAREHOUSE, "vegetables", 5),
        (POINT, "vegetables", 40),
        (POINT, "eggs", 300),
    ]
    assert [f.item_code for f in at_warehouse] == ["vegetables"]
    assert elsewhere == []


async def open_flags(client: Client) -> list[ExpiryFlag]:
    async with use_cases(client) as ctx:
        return await spoilage.open_flags(ctx, CITY)


async def test_a_lot_past_its_expiry_is_flagged_for_write_off_until_it_is_written_off(
    client: Client, task_queue: str
) -> None:
    veg = await receive("d-1:veg", "vegetables", "40", expires_in=1)
    assert await watch(client, task_queue) == WatchReport(expiring=1)
    async with transaction() as session:  # two days pass (the ledger refuses receiving goods already expired)
        await session.execute(
            text("UPDATE supply_lots SET expires_on = :d WHERE id = :lot"), {"d": TODAY - timedelta(days=1), "lot": veg}
        )
    assert await watch(client, task_queue) == WatchReport(write_off=1)
    assert await watch(client, task_queue) == WatchReport()
    assert [(f.kind, f.on_hand) for f in await open_flags(client)] == [(FlagKind.WRITE_OFF, 40)]
    async with transaction() as session:
        messages = await session.scalars(select(Notification.message).where(Notification.event == "stock_write_off"))
        assert all("cần ghi hủy" in m for m in messages.all())

    async with transaction() as session:
        await stock_ledger.record(
            session, Movement("spoiled-1", POINT, veg, MovementKind.WRITTEN_OFF, Decimal(30), reason="héo")
        )
    assert [f.on_hand for f in await open_flags(client)] == [10]
    async with transaction() as session:
        await stock_ledger.record(
            session, Movement("spoiled-2", POINT, veg, MovementKind.WRITTEN_OFF, Decimal(10), reason="héo")
        )
    assert await open_flags(client) == []
    assert await watch(client, task_queue) == WatchReport()


async def test_an_expired_lot_of_an_item_that_is_not_perishable_is_flagged_for_write_off(
    client: Client, task_queue: str
) -> None:
    fish = await receive("d-1:fish", "canned_fish", "20", expires_in=1)
    assert await watch(client, task_queue) == WatchReport()  # no warning for goods that keep
    async with transaction() as session:  # the tins' date passes: the database blocks them like any other lot
        await session.execute(
            text("UPDATE supply_lots SET expires_on = :d WHERE id = :lot"),
            {"d": TODAY - timedelta(days=1), "lot": fish},
        )
    assert await watch(client, task_queue) == WatchReport(write_off=1)
    assert [(f.kind, f.on_hand) for f in await open_flags(client)] == [(FlagKind.WRITE_OFF, 20)]


async def write_off(key: str, place: str, lot: uuid.UUID, quantity: str, days_ago: int = 0) -> None:
    """A write-off; one from an earlier week is inserted with its time (the ledger's functions write now)."""
    earlier = datetime.now(UTC) - timedelta(days=days_ago)
    async with transaction() as session:
        if not days_ago:
            await stock_ledger.record(
                session, Movement(key, place, lot, MovementKind.WRITTEN_OFF, Decimal(quantity), reason="hỏng")
            )
            return
        await session.execute(
            text(
                "INSERT INTO stock_movements (idempotency_key, place_code, lot_id, item_code, kind, quantity, "
                "occurred_at) VALUES (:key, :place, :lot, '', 'written_off', :q, :at)"
            ),
            {
                "key": key,
                "place": place,
                "lot": lot,
                "q": -Decimal(quantity),
                "at": earlier,
            },
        )


async def known_write_offs() -> tuple[date, date]:
    """Ward point: 12.5 kg of vegetables and 30 eggs this week, 4 kg of vegetables last week, 7 kg nine weeks
    ago (outside the window); the district's warehouse: 2 L of oil and 3 cans this week. Returns the weeks."""
    veg = await receive("d-1:veg", "vegetables", "50", expires_in=4)
    eggs = await receive("d-1:eggs", "eggs", "100", expires_in=10)
    oil = await receive("d-1:oil", "cooking_oil", "20", expires_in=200, place=WAREHOUSE)
    fish = await receive("d-1:fish", "canned_fish", "20", expires_in=200, place=WAREHOUSE)
    await write_off("w-1", POINT, veg, "10")
    await write_off("w-2", POINT, veg, "2.5")
    await write_off("w-3", POINT, eggs, "30")
    await write_off("w-4", POINT, veg, "4", days_ago=7)
    await write_off("w-5", POINT, veg, "7", days_ago=63)
    await write_off("w-6", WAREHOUSE, oil, "2")
    await write_off("w-7", WAREHOUSE, fish, "3")
    async with transaction() as session:  # goods that leave otherwise are not spoiled
        await stock_ledger.record(
            session, Movement("issue-1", POINT, eggs, MovementKind.ISSUED_INSTITUTION, Decimal(5))
        )
    this_week = TODAY - timedelta(days=TODAY.weekday())
    return this_week, this_week - timedelta(weeks=1)


async def test_each_places_spoiled_quantity_per_iso_week_in_kg_and_units(client: Client, db: None) -> None:
    this_week, last_week = await known_write_offs()
    storekeeper = Principal(role=Role.WAREHOUSE_STAFF, unit_code=DISTRICT, place_code=WAREHOUSE)
    other_district = Principal(role=Role.DISTRICT_OFFICIAL, unit_code=OTHER_DISTRICT, district_code=OTHER_DISTRICT)
    async with use_cases(client) as ctx:
        weeks = await spoilage.spoiled_per_week(ctx, CITY)
        at_warehouse = await spoilage.spoiled_per_week(ctx, storekeeper)
        elsewhere = await spoilage.spoiled_per_week(ctx, other_district)
    assert [(w.place_code, w.week_start, w.kg, w.units) for w in weeks] == [
        (POINT, last_week, 4, 0),
        (POINT, this_week, Decimal("12.5"), 30),
        (WAREHOUSE, this_week, 0, 5),
    ]
    assert weeks[0].iso_week == last_week.strftime("%G-W%V")
    assert [(w.place_code, w.units) for w in at_warehouse] == [(WAREHOUSE, 5)]
    assert elsewhere == []


async def test_the_supervision_dashboard_shows_the_spoiled_goods_per_week(client: Client, db: None) -> None:
    this_week, last_week = await known_write_offs()
    settings = get_settings()
    app = create_app(settings)
    app.state.temporal = client
    city = await make_staff(Role.CITY_OFFICIAL, "79")
    session = {"Cookie": f"{SESSION_COOKIE}={issue_staff_token(settings, city.id, city.role)}"}
    async for http in in_process(app):
        board = await http.get("/bang-dieu-khien", headers=session)
        district = await http.get(f"/bang-dieu-khien/quan/{DISTRICT}", headers=session)
        other = await http.get(f"/bang-dieu-khien/quan/{OTHER_DISTRICT}", headers=session)
    assert board.status_code == district.status_code == other.status_code == 200
    week = this_week.strftime("%G-W%V")
    # The city: Quận 1's places summed per week.
    assert f'<tr data-week="{week}" data-area="{DISTRICT}"><td>{week}</td><td>Quận 1</td>' in board.text
    assert '<td class="num" data-kg>12.5</td><td class="num" data-units>35</td>' in board.text
    assert f'data-week="{last_week.strftime("%G-W%V")}" data-area="{DISTRICT}"' in board.text
    # The district: each place.
    assert f'data-week="{week}" data-area="{POINT}"' in district.text
    assert f'data-week="{week}" data-area="{WAREHOUSE}"' in district.text
    assert '<td class="num" data-kg>0</td><td class="num" data-units>5</td>' in district.text
    assert "Không có hàng nào bị ghi hủy" in other.text


async def test_every_worker_start_ensures_the_hourly_watch_that_flags_lots(db: None) -> None:
    veg = await receive("d-1:veg", "vegetables", "40", expires_in=1)
    async with dev_server() as env:
        queue = f"spoilage-{uuid.uuid4()}"
        await schedules.ensure_schedules(env.client, queue)  # what worker.main does at every start
        assert (
            await schedules.ensure_schedule(env.client, SPOILAGE_SCHEDULE_ID, schedules.spoilage_schedule(queue))
            == "unchanged"
        )
        handle = env.client.get_schedule_handle(SPOILAGE_SCHEDULE_ID)
        described = (await handle.describe()).schedule
        action = described.action
        assert isinstance(action, ScheduleActionStartWorkflow)
        assert (action.workflow, action.task_queue) == ("SpoilageWatchWorkflow", queue)
        [calendar] = described.spec.calendars
        assert len(calendar.hour) == 1 and (calendar.hour[0].start, calendar.hour[0].end) == (0, 23)

        async with build_worker(env.client, queue):
            run = await trigger_and_follow(env.client, handle, WatchReport)
            assert await run.result() == WatchReport(expiring=1)
    assert await flags() == {(POINT, veg, "expiring")}
