"""What the lists and pages read about emergencies, from the database only (never the workflows).

The public list selects by state (open or claimed: never hidden or ended) and optionally a bounding box on the
public point, which the partial index of migration 0020 serves; it reads no personal column.
"""

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.emergencies import Emergency, EmergencyEventRow
from domain.emergency import ACTIVE_EMERGENCY_STATES, CLAIM_HELD_STATES, EmergencyEvent, EmergencyState
from services.map_clusters import MapFilter, MapPoint


@dataclass(frozen=True)
class BoundingBox:
    south: float
    west: float
    north: float
    east: float


@dataclass(frozen=True)
class PublicRow:
    code: str
    category: str
    urgency: str
    state: str
    ward_code: str
    district_code: str
    latitude: float
    longitude: float
    posted_at: datetime


_PUBLIC_STATES = (EmergencyState.OPEN.value, EmergencyState.CLAIMED.value)


async def public(
    session: AsyncSession,
    district_code: str | None = None,
    box: BoundingBox | None = None,
    limit: int = 100,
    offset: int = 0,
    wanted: MapFilter | None = None,
) -> list[PublicRow]:
    """Open and claimed emergencies, unclaimed first then the oldest first."""
    query = select(
        Emergency.code,
        Emergency.category,
        Emergency.urgency,
        Emergency.state,
        Emergency.ward_code,
        Emergency.district_code,
        Emergency.approx_latitude,
        Emergency.approx_longitude,
        Emergency.created_at,
    ).where(Emergency.state.in_(_PUBLIC_STATES))
    if district_code is not None:
        query = query.where(Emergency.district_code == district_code)
    if box is not None:
        query = query.where(
            Emergency.approx_latitude.between(box.south, box.north),
            Emergency.approx_longitude.between(box.west, box.east),
        )
    if wanted is not None:
        query = query.where(*_matching(wanted))
    open_first = case((Emergency.state == EmergencyState.OPEN.value, 0), else_=1)
    rows = await session.execute(query.order_by(open_first, Emergency.created_at).limit(limit).offset(offset))
    return [PublicRow(*row) for row in rows]


def _matching(wanted: MapFilter) -> list[ColumnElement[bool]]:
    """The map's filters, for the list beside it (services/map_clusters.py applies the same to its snapshot)."""
    conditions: list[ColumnElement[bool]] = []
    if wanted.categories:
        conditions.append(Emergency.category.in_(sorted(wanted.categories)))
    if wanted.urgencies:
        conditions.append(Emergency.urgency.in_(sorted(wanted.urgencies)))
    if wanted.max_age_minutes is not None:
        conditions.append(Emergency.created_at >= func.now() - timedelta(minutes=wanted.max_age_minutes))
    if wanted.unclaimed_only:
        conditions.append(Emergency.state == EmergencyState.OPEN.value)
    return conditions


async def map_points(session: AsyncSession) -> list[MapPoint]:
    """Every open and claimed emergency at its public point, for the map's snapshot: the same rows as the public
    list, the same columns, none of them personal."""
    rows = await session.execute(
        select(
            Emergency.code,
            Emergency.approx_latitude,
            Emergency.approx_longitude,
            Emergency.category,
            Emergency.urgency,
            Emergency.created_at,
            Emergency.state == EmergencyState.CLAIMED.value,
        ).where(Emergency.state.in_(_PUBLIC_STATES))
    )
    return [MapPoint(*row) for row in rows]


async def by_code(session: AsyncSession, code: str) -> Emergency | None:
    return await session.scalar(select(Emergency).where(Emergency.code == code))


async def history(session: AsyncSession, emergency_id: uuid.UUID) -> list[EmergencyEventRow]:
    rows = await session.scalars(
        select(EmergencyEventRow).where(EmergencyEventRow.emergency_id == emergency_id).order_by(EmergencyEventRow.seq)
    )
    return list(rows)


async def claimed_by_helper(session: AsyncSession, helper_id: uuid.UUID) -> list[Emergency]:
    """The helper's claims still theirs (claimed or fulfilled), the most recent first."""
    rows = await session.scalars(
        select(Emergency)
        .where(
            Emergency.claimed_by_helper == helper_id,
            Emergency.state.in_([s.value for s in CLAIM_HELD_STATES]),
        )
        .order_by(Emergency.claimed_at.desc())
    )
    return list(rows)


def _lapses_of_claimer() -> Select[Any]:
    return (
        select(func.count())
        .where(
            EmergencyEventRow.helper_id == Emergency.claimed_by_helper,
            EmergencyEventRow.event == EmergencyEvent.RELEASED.value,
        )
        .correlate(Emergency)
    )


async def queue(
    session: AsyncSession, ward_code: str | None, district_code: str | None, limit: int = 200
) -> list[tuple[Emergency, int]]:
    """Active emergencies in the scope (None, None: the whole city), late ones first, then by urgency and age;
    each with how often its claimer's claims lapsed."""
    scope = []
    if ward_code is not None:
        scope.append(Emergency.ward_code == ward_code)
    if district_code is not None:
        scope.append(Emergency.district_code == district_code)
    late_first = case(
        (and_(Emergency.state == EmergencyState.OPEN.value, Emergency.escalated_at.is_not(None)), 0), else_=1
    )
    urgency = case({"now": 0, "today": 1}, value=Emergency.urgency, else_=2)
    rows = await session.execute(
        select(Emergency, _lapses_of_claimer().scalar_subquery())
        .where(Emergency.state.in_([s.value for s in ACTIVE_EMERGENCY_STATES]), *scope)
        .order_by(late_first, urgency, Emergency.created_at)
        .limit(limit)
    )
    return [(row, int(lapsed)) for row, lapsed in rows]
