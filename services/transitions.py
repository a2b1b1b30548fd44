"""Projects one stage change into PostgreSQL: the request row, an append-only event, notifications (the
household's in the language it registered in, the officials' in Vietnamese).

Keyed by (request, seq), so the activity that calls it can be retried and still writes once.
"""

from typing import cast
from uuid import UUID

from sqlalchemy import Row, Table, bindparam, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from common.city_time import vn_deadline
from db.notifications import Notification
from db.requests import ReliefRequest, RequestEvent
from domain.messages import Transition
from domain.stages import EscalationLevel, EventType, RequestKind, Stage
from services.claims import release_claim
from services.notices import STAFF_LANG, has_notice, notice, refusal_reason
from texts import normalise_lang

# Built once: these run at every stage change of every request, and building (and keying) a statement costs
# more than running it. Core tables, not ORM entities: nothing here loads objects.
_EVENTS = cast(Table, RequestEvent.__table__)
_REQUESTS = cast(Table, ReliefRequest.__table__)
_NOTIFICATIONS = cast(Table, Notification.__table__)
_INSERT_EVENT = insert(_EVENTS).on_conflict_do_nothing(index_elements=["request_id", "seq"]).returning(_EVENTS.c.id)
_UNIT = (_REQUESTS.c.code, _REQUESTS.c.ward_code, _REQUESTS.c.district_code, _REQUESTS.c.kind, _REQUESTS.c.lang)
# The row's code, units, kind and language come back with the update: the notifications need them.
_UPDATE_REQUEST = (
    update(_REQUESTS)
    .where(_REQUESTS.c.id == bindparam("request_id"), _REQUESTS.c.stage_seq < bindparam("seq"))
    .values(
        stage=bindparam("stage"),
        stage_seq=bindparam("seq"),
        escalation=bindparam("escalation"),
        deadline_at=bindparam("deadline_at"),
        updated_at=bindparam("at"),
        closed_at=bindparam("closed_at"),
    )
    .returning(*_UNIT)
)
_READ_UNIT = select(*_UNIT).where(_REQUESTS.c.id == bindparam("request_id"))
_INSERT_NOTIFICATION = insert(_NOTIFICATIONS).on_conflict_do_nothing()


async def apply_transition(session: AsyncSession, t: Transition) -> bool:
    """Writes the transition if it is new; returns False when a retry finds it already written."""
    event = {
        "request_id": t.request_id,
        "seq": t.seq,
        "event": t.event.value,
        "stage": t.stage.value,
        "actor_id": t.actor_id,
        "detail": t.detail,
        "occurred_at": t.at,
    }
    if await session.scalar(_INSERT_EVENT, event) is None:
        return False
    row_params = {
        "request_id": t.request_id,
        "seq": t.seq,
        "stage": t.stage.value,
        "escalation": t.escalation.value,
        "deadline_at": t.deadline_at,
        "at": t.at,
        "closed_at": t.at if t.stage.is_final else None,
    }
    unit = (await session.execute(_UPDATE_REQUEST, row_params)).first()
    if t.stage.is_final:
        # A final stage and the release of the household's claim are one fact, written together.
        await release_claim(session, t.request_id)
    if t.notify_citizen or t.notify_staff:
        if unit is None:  # a later stage is already on the row: its messages still go out
            unit = (await session.execute(_READ_UNIT, {"request_id": t.request_id})).one()
        await _add_notifications(session, t, unit)
    return True


async def _add_notifications(session: AsyncSession, t: Transition, request: Row[str, str, str, str, str]) -> None:
    values: dict[str, object] = {**t.detail, "code": request.code}
    if t.deadline_at is not None:
        values["deadline"] = vn_deadline(t.deadline_at)
    if t.event == EventType.REFUSED:  # the reason in the household's words, from what the refusal recorded
        d = {name: str(value) for name, value in t.detail.items() if value is not None}
        last, again = d.get("last_delivered_on", ""), d.get("eligible_again_on", "")
        values["reason_text"] = refusal_reason(d.get("refusal"), last, again, RequestKind(request.kind))
    rows = []
    citizen_key, staff_key = f"notice.citizen.{t.event.value}", f"notice.staff.{t.event.value}"
    if t.notify_citizen and has_notice(citizen_key):
        rows.append(("citizen", None, notice(normalise_lang(request.lang), citizen_key, values)))
    if t.notify_staff and has_notice(staff_key):
        unit = request.district_code if t.escalation == EscalationLevel.DISTRICT else request.ward_code
        rows.append((t.escalation.value, unit, notice(STAFF_LANG, staff_key, values)))
    if rows:
        await session.execute(
            _INSERT_NOTIFICATION,
            [
                {
                    "request_id": t.request_id,
                    "seq": t.seq,
                    "audience": audience,
                    "unit_code": unit_code,
                    "event": t.event.value,
                    "message": message,
                    "created_at": t.at,
                }
                for audience, unit_code, message in rows
            ],
        )


async def apply_transition_if_registered(session: AsyncSession, t: Transition) -> bool:
    """Writes the transition if the request's row exists: a registration whose admission failed may have none."""
    if await session.scalar(select(ReliefRequest.id).where(ReliefRequest.id == t.request_id)) is None:
        return False
    return await apply_transition(session, t)


async def recorded_stage(session: AsyncSession, request_id: UUID, seq: int) -> Stage | None:
    """The stage a transition wrote, if it was written."""
    stage = await session.scalar(
        select(RequestEvent.stage).where(RequestEvent.request_id == request_id, RequestEvent.seq == seq)
    )
    return Stage(stage) if stage is not None else None
