"""Posting an emergency and the rules around it: the city's bounds, the public point, repeated posts, and how
often a claimer's claims lapsed.

A post is one row and its first event in one transaction. Its public point is the exact one rounded to the
~200 m grid, or the ward's centre when the poster gave no point; the exact one is kept only encrypted. Repeated
posts are counted, never refused: the ward sees how many came from the same phone or household before.
"""

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from common.keyed_hash import phone_hash
from db.emergencies import Emergency, EmergencyEventRow
from db.geography import AdminUnit
from domain.emergency import EmergencyCategory, EmergencyEvent, EmergencyPolicy, EmergencyUrgency, approximate
from domain.roles import UnitLevel
from services.otp import households_of_phone
from texts import Lang

# How far outside its wards' centres the city's edge is taken to lie (a ward's centre is not its edge).
CITY_MARGIN_DEGREES = 0.06


@dataclass(frozen=True)
class Bounds:
    south: float
    west: float
    north: float
    east: float

    def holds(self, latitude: float, longitude: float) -> bool:
        return self.south <= latitude <= self.north and self.west <= longitude <= self.east


@dataclass(frozen=True)
class NewEmergency:
    code: str
    category: EmergencyCategory
    urgency: EmergencyUrgency
    description: str
    ward_code: str
    district_code: str
    address: str
    point: tuple[float, float] | None
    phone_e164: str
    lang: Lang = "vi"  # the poster's notices are written in it


async def city_bounds(session: AsyncSession, city_code: str) -> Bounds:
    """The box around the city's wards' centres, widened by CITY_MARGIN_DEGREES."""
    district = AdminUnit.__table__.alias("district")
    row = (
        await session.execute(
            select(
                func.min(AdminUnit.latitude),
                func.min(AdminUnit.longitude),
                func.max(AdminUnit.latitude),
                func.max(AdminUnit.longitude),
            )
            .join(district, district.c.code == AdminUnit.parent_code)
            .where(AdminUnit.level == UnitLevel.WARD.value, district.c.parent_code == city_code)
        )
    ).one()
    south, west, north, east = row
    if south is None or west is None or north is None or east is None:
        raise ValueError(f"no ward of city {city_code} has coordinates")
    m = CITY_MARGIN_DEGREES
    return Bounds(south - m, west - m, north + m, east + m)


async def ward_in_city(session: AsyncSession, ward_code: str, city_code: str) -> tuple[str, float, float] | None:
    """(district code, the ward's centre) when the code is a ward of the city."""
    district = AdminUnit.__table__.alias("district")
    row = (
        await session.execute(
            select(AdminUnit.parent_code, AdminUnit.latitude, AdminUnit.longitude)
            .join(district, district.c.code == AdminUnit.parent_code)
            .where(
                AdminUnit.code == ward_code,
                AdminUnit.level == UnitLevel.WARD.value,
                district.c.parent_code == city_code,
            )
        )
    ).first()
    if row is None or row.parent_code is None or row.latitude is None or row.longitude is None:
        return None
    return row.parent_code, row.latitude, row.longitude


async def post(
    session: AsyncSession, new: NewEmergency, ward_centre: tuple[float, float], now: datetime, policy: EmergencyPolicy
) -> Emergency:
    """The emergency's row and its `posted` event (seq 1); the caller commits both with its audit entry."""
    tel = phone_hash(new.phone_e164)
    households = await households_of_phone(session, new.phone_e164)
    household_id = households[0] if len(households) == 1 else None
    same_poster = Emergency.poster_phone_hash == tel
    if household_id is not None:
        same_poster = or_(same_poster, Emergency.household_id == household_id)
    earlier = await session.scalar(
        select(func.count()).where(same_poster, Emergency.created_at > now - policy.repeated_within)
    )
    lat, lon = new.point if new.point is not None else ward_centre
    row = Emergency(
        id=uuid.uuid4(),
        code=new.code,
        category=new.category.value,
        urgency=new.urgency.value,
        description=new.description,
        ward_code=new.ward_code,
        district_code=new.district_code,
        address=new.address,
        exact_point=f"{new.point[0]:.6f},{new.point[1]:.6f}" if new.point is not None else None,
        approx_latitude=approximate(lat) if new.point is not None else round(lat, 6),
        approx_longitude=approximate(lon) if new.point is not None else round(lon, 6),
        state="open",
        poster_phone_hash=tel,
        poster_phone=new.phone_e164,
        poster_lang=new.lang,
        household_id=household_id,
        earlier_posts=earlier or 0,
        created_at=now,
        updated_at=now,
    )
    session.add(row)
    await session.flush()
    session.add(EmergencyEventRow(emergency_id=row.id, seq=1, event=EmergencyEvent.POSTED.value, at=now, state="open"))
    await session.flush()
    return row


async def lapses(session: AsyncSession, helper_id: uuid.UUID) -> tuple[int, datetime | None]:
    """How many of the helper's claims lapsed (released unfulfilled), and when the last did."""
    row = (
        await session.execute(
            select(func.count(), func.max(EmergencyEventRow.at)).where(
                EmergencyEventRow.helper_id == helper_id, EmergencyEventRow.event == EmergencyEvent.RELEASED.value
            )
        )
    ).one()
    return int(row[0]), row[1]


def slowed_until(count: int, last: datetime | None, now: datetime, policy: EmergencyPolicy) -> datetime | None:
    """When a claimer whose claims kept lapsing may claim again (None: now)."""
    if count < policy.helper_lapses_to_slow or last is None:
        return None
    until = last + policy.helper_slowed_for
    return until if until > now else None
