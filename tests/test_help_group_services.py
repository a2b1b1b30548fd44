"""A help group's "open now" in the city's time (Asia/Ho_Chi_Minh, UTC+7) whatever the server's, in the rule and in
the directory's SQL; `covers`, which the emergency claim will ask before a group takes an emergency; and retention,
which leaves a group's account alone."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update

from db.base import transaction
from db.cash import CommunityHelper
from db.help_groups import HelpGroupCoverage
from domain.cash import HelperKind
from domain.help_groups import GroupState, OpeningInterval, Weekday, city_moment, is_open
from services import community_helpers, help_groups
from services.help_groups import DirectoryFilter
from services.retention import purge_helpers
from tests.factories import DISTRICT, OTHER_DISTRICT_WARD, OTHER_WARD_SAME_DISTRICT, WARD
from tests.help_group_fixtures import a_group

# Monday 7 December 2026 in the city; its 00:00 is Sunday 17:00 UTC.
MONDAY_MORNING = [
    OpeningInterval(weekday=Weekday.MON, opens_minute=0, closes_minute=2 * 60),
    OpeningInterval(weekday=Weekday.MON, opens_minute=7 * 60, closes_minute=11 * 60),
]


@pytest.mark.parametrize(
    ("utc", "city_weekday", "open_"),
    [
        (datetime(2026, 12, 6, 16, 59, tzinfo=UTC), Weekday.SUN, False),  # Sunday 23:59 in the city
        (datetime(2026, 12, 6, 17, 0, tzinfo=UTC), Weekday.MON, True),  # Monday 00:00: still Sunday in UTC
        (datetime(2026, 12, 6, 19, 0, tzinfo=UTC), Weekday.MON, False),  # Monday 02:00: closing is exclusive
        (datetime(2026, 12, 7, 0, 0, tzinfo=UTC), Weekday.MON, True),  # 07:00
        (datetime(2026, 12, 7, 3, 59, tzinfo=UTC), Weekday.MON, True),  # 10:59
        (datetime(2026, 12, 7, 4, 0, tzinfo=UTC), Weekday.MON, False),  # 11:00
        (datetime(2026, 12, 14, 1, 0, tzinfo=UTC), Weekday.MON, True),  # the next Monday, 08:00
        (datetime(2026, 12, 8, 1, 0, tzinfo=UTC), Weekday.TUE, False),  # Tuesday 08:00
    ],
)
async def test_open_now_is_the_city_time(db: None, utc: datetime, city_weekday: Weekday, open_: bool) -> None:
    assert city_moment(utc).weekday == city_weekday
    assert is_open(False, MONDAY_MORNING, utc) is open_
    hours_code = await a_group(WARD, state=GroupState.VERIFIED, always_open=False, hours=MONDAY_MORNING)
    always_code = await a_group(WARD, state=GroupState.VERIFIED, always_open=True, name="Đội y tế 24/7")
    async with transaction() as session:
        rows = await help_groups.directory(session, DirectoryFilter(open_now=True), utc, 10, 0)
        everyone = await help_groups.directory(session, DirectoryFilter(), utc, 10, 0)
    assert {g.code for g in rows} == ({hours_code} if open_ else set()) | {always_code}
    assert {g.code for g in everyone} == {hours_code, always_code}


async def test_covers_a_ward_listed_or_in_a_district_listed_only_while_verified(db: None) -> None:
    ward_group = await a_group(WARD, state=GroupState.VERIFIED)
    pending = await a_group(WARD)
    suspended = await a_group(WARD, state=GroupState.SUSPENDED)
    async with transaction() as session:
        ids = {
            code: group.id
            for code in (ward_group, pending, suspended)
            if (group := await help_groups.by_code(session, code)) is not None
        }
        assert await help_groups.covers(session, ids[ward_group], WARD)
        assert not await help_groups.covers(session, ids[ward_group], OTHER_WARD_SAME_DISTRICT)
        assert not await help_groups.covers(session, ids[ward_group], OTHER_DISTRICT_WARD)
        assert not await help_groups.covers(session, ids[ward_group], DISTRICT)  # a district is not a ward
        assert not await help_groups.covers(session, ids[ward_group], "99999")
        assert not await help_groups.covers(session, ids[pending], WARD)
        assert not await help_groups.covers(session, ids[suspended], WARD)


async def test_a_district_covered_whole_covers_each_of_its_wards(db: None) -> None:
    code = await a_group(WARD, state=GroupState.VERIFIED)
    async with transaction() as session:
        group = await help_groups.by_code(session, code)
        assert group is not None
        session.add(HelpGroupCoverage(group_id=group.id, unit_code=DISTRICT, level="district", district_code=DISTRICT))
    async with transaction() as session:
        assert await help_groups.covers(session, group.id, OTHER_WARD_SAME_DISTRICT)
        assert not await help_groups.covers(session, group.id, OTHER_DISTRICT_WARD)


async def test_retention_keeps_the_account_of_a_group_and_purges_a_refused_ones(db: None) -> None:
    async with transaction() as session:
        kept = await community_helpers.signed_in(session, "+84913100200", HelperKind.GROUP, "Bếp A")
        refused = await community_helpers.signed_in(session, "+84913100300", HelperKind.GROUP, "Bếp B")
    await a_group(WARD, helper_id=kept, state=GroupState.VERIFIED)
    refused_code = await a_group(WARD, helper_id=refused)
    now = datetime.now(UTC)
    async with transaction() as session:
        group = await help_groups.by_code(session, refused_code)
        assert group is not None
        await help_groups.decide(session, group.id, GroupState.PENDING, GroupState.REFUSED, refusal_reason="trùng")
        await session.execute(update(CommunityHelper).values(created_at=now - timedelta(days=800)))
    async with transaction() as session:
        assert await purge_helpers(session, timedelta(days=365), now, 10) == 1
    async with transaction() as session:
        assert (await session.get(CommunityHelper, kept)).phone == "+84913100200"  # type: ignore[union-attr]
        assert (await session.get(CommunityHelper, refused)).phone == ""  # type: ignore[union-attr]
