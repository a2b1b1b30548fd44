"""Who hears of an emergency's step, through the notifications' outbox (services/notifier.py sends them).

Unclaimed past its timer, the ward's officials and the city's SOS team (the city's officials) are told; the poster
hears when their emergency is taken, let go, fulfilled or closed. Each is stored in the step's own transaction, once
per (emergency, step, audience): a step repeated by its activity's retry stores nothing again. The staff read
Vietnamese, the poster the language of the page they posted from; the dispatcher sends the poster's by SMS to the
emergency's (encrypted) phone. No text holds a phone number, an address or the description.
"""

from datetime import datetime

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from common.city_time import vn_time
from db.emergencies import Emergency
from db.geography import AdminUnit
from db.notifications import Notification
from domain.emergency import EmergencyEvent
from texts import Lang, Text, normalise_lang, text

POSTER = "poster"
WARD = "ward"
SOS_TEAM = "city"  # the city's officials: notices to the city's unit

# Who is told of each step; the words are "sos_notice.<event>.<audience>" in texts/emergency_notices.py.
AUDIENCES: dict[EmergencyEvent, tuple[str, ...]] = {
    EmergencyEvent.ESCALATED: (WARD, SOS_TEAM),
    EmergencyEvent.CLAIMED: (POSTER,),
    EmergencyEvent.RELEASED: (POSTER,),
    EmergencyEvent.FULFILLED: (POSTER,),
    EmergencyEvent.UNCONFIRMED_CLOSED: (POSTER,),
    EmergencyEvent.UNFULFILLED_CLOSED: (POSTER,),
    EmergencyEvent.CLOSED: (POSTER,),
}


def notice_key(event: EmergencyEvent, audience: str) -> str:
    return f"sos_notice.{event.value}.{audience}"


async def store(session: AsyncSession, emergency: Emergency, seq: int, event: EmergencyEvent, at: datetime) -> None:
    audiences = AUDIENCES.get(event, ())
    if not audiences:
        return
    district = aliased(AdminUnit)
    ward_name, district_name, city = (
        await session.execute(
            select(AdminUnit.name, district.name, district.parent_code)
            .join(district, district.code == AdminUnit.parent_code)
            .where(AdminUnit.code == emergency.ward_code)
        )
    ).one()
    values = {
        "code": emergency.code,
        "category": Text(f"sos.category.{emergency.category}"),
        "urgency": Text(f"sos.urgency.{emergency.urgency}"),
        "ward": f"{ward_name}, {district_name}",
        "posted": vn_time(emergency.created_at),
    }
    units = {WARD: emergency.ward_code, SOS_TEAM: city, POSTER: None}
    await session.execute(
        insert(Notification),
        [
            {
                "emergency_id": emergency.id,
                "seq": seq,
                "audience": audience,
                "unit_code": units[audience],
                "event": f"emergency_{event.value}",
                "message": text(_lang(emergency, audience), notice_key(event, audience), **values),
                "created_at": at,
            }
            for audience in audiences
        ],
    )


def _lang(emergency: Emergency, audience: str) -> Lang:
    return normalise_lang(emergency.poster_lang) if audience == POSTER else "vi"
