"""Help groups in the database: registration, the officials' decisions, the directory's search and `covers`.

A decision is one UPDATE guarded by the state it expects (pending for a verification or a refusal, verified for a
suspension): two officials deciding at once, or one deciding twice, change the row once, and the second learns
that nothing moved. A group covers a ward when it lists the ward or the ward's district; only a verified group
covers anything (a pending, refused or suspended one claims nothing and is in no directory).
"""

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from common.addresses import strip_diacritics
from db.cash import CommunityHelper
from db.emergencies import Emergency
from db.geography import AdminUnit
from db.help_groups import HelpGroup, HelpGroupAccount, HelpGroupCoverage, HelpGroupHours
from domain.cash import HelperKind
from domain.emergency import EmergencyState
from domain.help_groups import WEEKDAYS, GroupKind, GroupState, HelpKind, OpeningInterval, city_moment
from domain.roles import UnitLevel
from services.geography import ward_with_district


def name_key(name: str) -> str:
    """What text search compares: no diacritics, lower case, single spaces ("Bếp ăn 0 đồng" → "bep an 0 dong")."""
    return " ".join(strip_diacritics(name).lower().split())


@dataclass(frozen=True)
class CoveredUnit:
    code: str
    level: UnitLevel
    district_code: str


@dataclass(frozen=True)
class NewHelpGroup:
    name: str
    kind: GroupKind
    help_kinds: frozenset[HelpKind]
    description: str
    coverage: list[CoveredUnit]
    always_open: bool
    hours: list[OpeningInterval]
    public_hotline: str | None
    contact_phone: str


async def units(session: AsyncSession, codes: list[str]) -> dict[str, AdminUnit]:
    """The administrative units among these codes, by code (unknown codes are absent)."""
    if not codes:
        return {}
    rows = await session.scalars(select(AdminUnit).where(AdminUnit.code.in_(sorted(set(codes)))))
    return {unit.code: unit for unit in rows}


async def register(session: AsyncSession, new: NewHelpGroup, helper_id: uuid.UUID) -> HelpGroup:
    """The group, pending, with its coverage and hours; the registering helper becomes its account (kind "group",
    shown by the group's name). An account of a refused group moves to the new one."""
    group = HelpGroup(
        id=uuid.uuid4(),
        name=new.name,
        name_key=name_key(new.name),
        kind=new.kind.value,
        help_kinds=sorted(k.value for k in new.help_kinds),
        description=new.description,
        always_open=new.always_open,
        public_hotline=new.public_hotline,
        contact_phone=new.contact_phone,
        registered_by=helper_id,
    )
    session.add(group)
    await session.flush()
    session.add_all(
        HelpGroupCoverage(group_id=group.id, unit_code=u.code, level=u.level.value, district_code=u.district_code)
        for u in new.coverage
    )
    session.add_all(
        HelpGroupHours(
            group_id=group.id,
            weekday=WEEKDAYS.index(h.weekday),
            opens_minute=h.opens_minute,
            closes_minute=h.closes_minute,
        )
        for h in new.hours
    )
    link = insert(HelpGroupAccount).values(helper_id=helper_id, group_id=group.id)
    await session.execute(link.on_conflict_do_update(index_elements=["helper_id"], set_={"group_id": group.id}))
    await session.execute(
        update(CommunityHelper)
        .where(CommunityHelper.id == helper_id)
        .values(kind=HelperKind.GROUP.value, display_name=new.name)
    )
    await session.refresh(group)  # the code the database drew
    return group


async def group_of_helper(session: AsyncSession, helper_id: uuid.UUID) -> HelpGroup | None:
    """The group this helper account acts for, whatever its state."""
    return await session.scalar(
        select(HelpGroup)
        .join(HelpGroupAccount, HelpGroupAccount.group_id == HelpGroup.id)
        .where(HelpGroupAccount.helper_id == helper_id)
    )


async def emergencies_helped(session: AsyncSession, group_ids: list[uuid.UUID]) -> dict[uuid.UUID, int]:
    """How many emergencies each group's accounts took and brought help to (fulfilled or confirmed): a count for
    its public page, with nothing about whom."""
    rows = await session.execute(
        select(HelpGroupAccount.group_id, func.count(Emergency.id))
        .join(Emergency, Emergency.claimed_by_helper == HelpGroupAccount.helper_id)
        .where(
            HelpGroupAccount.group_id.in_(group_ids),
            Emergency.state.in_([EmergencyState.FULFILLED.value, EmergencyState.CONFIRMED.value]),
        )
        .group_by(HelpGroupAccount.group_id)
    )
    return {group_id: int(count) for group_id, count in rows.all()}


async def by_code(session: AsyncSession, code: str) -> HelpGroup | None:
    return await session.scalar(select(HelpGroup).where(HelpGroup.code == code))


def _in_district(district_code: str) -> ColumnElement[bool]:
    return exists().where(HelpGroupCoverage.group_id == HelpGroup.id, HelpGroupCoverage.district_code == district_code)


async def covers_district(session: AsyncSession, group_id: uuid.UUID, district_code: str) -> bool:
    """Whether the district, or one of its wards, is in the group's coverage: its officials may decide on it."""
    found = await session.scalar(select(HelpGroup.id).where(HelpGroup.id == group_id, _in_district(district_code)))
    return found is not None


async def covers(session: AsyncSession, group_id: uuid.UUID, ward_code: str) -> bool:
    """Whether a verified group helps in this ward: it lists the ward, or the ward's district. A group that is not
    verified (pending, refused, suspended) covers nothing; an unknown ward is covered by nobody."""
    units_found = await ward_with_district(session, ward_code)
    if units_found is None:
        return False
    found = await session.scalar(
        select(HelpGroup.id).where(
            HelpGroup.id == group_id, HelpGroup.state == GroupState.VERIFIED.value, _covers_ward(*units_found)
        )
    )
    return found is not None


def _covers_ward(ward_code: str, district_code: str) -> ColumnElement[bool]:
    return exists().where(
        HelpGroupCoverage.group_id == HelpGroup.id,
        or_(
            HelpGroupCoverage.unit_code == ward_code,
            and_(HelpGroupCoverage.unit_code == district_code, HelpGroupCoverage.level == UnitLevel.DISTRICT.value),
        ),
    )


async def decide(
    session: AsyncSession, group_id: uuid.UUID, expected: GroupState, to: GroupState, **values: Any
) -> bool:
    """Moves the group from `expected` to `to` with the decision's columns; False when it was not in `expected`
    (decided already, by this official or another)."""
    moved = await session.execute(
        update(HelpGroup)
        .where(HelpGroup.id == group_id, HelpGroup.state == expected.value)
        .values(state=to.value, **values)
        .returning(HelpGroup.id)
    )
    return moved.first() is not None


async def in_districts(
    session: AsyncSession, district_code: str | None, state: GroupState, limit: int
) -> list[HelpGroup]:
    """Groups in this state with coverage in the district (None: the whole city), oldest first."""
    query = select(HelpGroup).where(HelpGroup.state == state.value)
    if district_code is not None:
        query = query.where(_in_district(district_code))
    return list(await session.scalars(query.order_by(HelpGroup.created_at, HelpGroup.id).limit(limit)))


@dataclass(frozen=True)
class DirectoryFilter:
    district_code: str | None = None
    ward: tuple[str, str] | None = None  # (ward, its district)
    kind: GroupKind | None = None
    help_kind: HelpKind | None = None
    open_now: bool = False
    text: str = ""


def _open_at(now: datetime) -> ColumnElement[bool]:
    moment = city_moment(now)
    return or_(
        HelpGroup.always_open,
        exists().where(
            HelpGroupHours.group_id == HelpGroup.id,
            HelpGroupHours.weekday == WEEKDAYS.index(moment.weekday),
            HelpGroupHours.opens_minute <= moment.minute,
            HelpGroupHours.closes_minute > moment.minute,
        ),
    )


async def directory(
    session: AsyncSession, f: DirectoryFilter, now: datetime, limit: int, offset: int
) -> list[HelpGroup]:
    """Verified groups matching the filter, by name."""
    query = select(HelpGroup).where(HelpGroup.state == GroupState.VERIFIED.value)
    if f.district_code:
        query = query.where(_in_district(f.district_code))
    if f.ward:
        query = query.where(_covers_ward(*f.ward))
    if f.kind:
        query = query.where(HelpGroup.kind == f.kind.value)
    if f.help_kind:
        query = query.where(HelpGroup.help_kinds.contains([f.help_kind.value]))
    if f.open_now:
        query = query.where(_open_at(now))
    words = name_key(f.text).split()
    for word in words:
        escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        query = query.where(HelpGroup.name_key.like(f"%{escaped}%", escape="\\"))
    query = query.order_by(HelpGroup.name_key, HelpGroup.id).limit(limit).offset(offset)
    return list(await session.scalars(query))


async def coverage_of(session: AsyncSession, group_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[HelpGroupCoverage]]:
    found: dict[uuid.UUID, list[HelpGroupCoverage]] = defaultdict(list)
    if group_ids:
        rows = await session.scalars(
            select(HelpGroupCoverage)
            .where(HelpGroupCoverage.group_id.in_(group_ids))
            .order_by(HelpGroupCoverage.district_code, HelpGroupCoverage.level, HelpGroupCoverage.unit_code)
        )
        for row in rows:
            found[row.group_id].append(row)
    return found


async def hours_of(session: AsyncSession, group_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[OpeningInterval]]:
    found: dict[uuid.UUID, list[OpeningInterval]] = defaultdict(list)
    if group_ids:
        rows = await session.scalars(
            select(HelpGroupHours)
            .where(HelpGroupHours.group_id.in_(group_ids))
            .order_by(HelpGroupHours.weekday, HelpGroupHours.opens_minute)
        )
        for row in rows:
            found[row.group_id].append(
                OpeningInterval(
                    weekday=WEEKDAYS[row.weekday], opens_minute=row.opens_minute, closes_minute=row.closes_minute
                )
            )
    return found
