"""Projects one stage change into PostgreSQL: the request row, an append-only event, notifications.

Keyed by (request, seq), so the activity that calls it can be retried and still writes once.
"""

from uuid import UUID

from sqlalchemy import Row, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from common.city_time import vn_time
from db.notifications import Notification
from db.requests import ReliefRequest, RequestEvent
from domain.messages import Transition
from domain.stages import EscalationLevel, Stage
from services.claims import release_claim
from services.notification_text import CITIZEN_MESSAGES, STAFF_MESSAGES, render


async def apply_transition(session: AsyncSession, t: Transition) -> bool:
    """Writes the transition if it is new; returns False when a retry finds it already written."""
    inserted = await session.scalar(
        insert(RequestEvent)
        .values(
            request_id=t.request_id,
            seq=t.seq,
            event=t.event.value,
            stage=t.stage.value,
            actor_id=t.actor_id,
            detail=t.detail,
            occurred_at=t.at,
        )
        .on_conflict_do_nothing(index_elements=["request_id", "seq"])
        .returning(RequestEvent.id)
    )
    if inserted is None:
        return False
    # The row's code and units come back with the update: the notifications below need them.
    unit = (
        await session.execute(
            update(ReliefRequest)
            .where(ReliefRequest.id == t.request_id, ReliefRequest.stage_seq < t.seq)
            .values(
                stage=t.stage.value,
                stage_seq=t.seq,
                escalation=t.escalation.value,
                deadline_at=t.deadline_at,
                updated_at=t.at,
                closed_at=t.at if t.stage.is_final else None,
            )
            .returning(*_UNIT)
        )
    ).first()
    if t.stage.is_final:
        # A final stage and the release of the household's claim are one fact, written together.
        await release_claim(session, t.request_id)
    if t.notify_citizen or t.notify_staff:
        if unit is None:  # a later stage is already on the row: its messages still go out
            unit = (await session.execute(select(*_UNIT).where(ReliefRequest.id == t.request_id))).one()
        await _add_notifications(session, t, unit)
    return True


_UNIT = (ReliefRequest.code, ReliefRequest.ward_code, ReliefRequest.district_code)


async def _add_notifications(session: AsyncSession, t: Transition, request: Row[str, str, str]) -> None:
    values: dict[str, object] = {**t.detail, "code": request.code}
    if t.deadline_at is not None:
        values["deadline"] = vn_time(t.deadline_at)
    rows = []
    if t.notify_citizen and t.event in CITIZEN_MESSAGES:
        rows.append(("citizen", None, render(CITIZEN_MESSAGES[t.event], values)))
    if t.notify_staff and t.event in STAFF_MESSAGES:
        unit = request.district_code if t.escalation == EscalationLevel.DISTRICT else request.ward_code
        rows.append((t.escalation.value, unit, render(STAFF_MESSAGES[t.event], values)))
    if rows:
        await session.execute(
            insert(Notification)
            .values(
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
                ]
            )
            .on_conflict_do_nothing()
        )


async def recorded_stage(session: AsyncSession, request_id: UUID, seq: int) -> Stage | None:
    """The stage a transition wrote, if it was written."""
    stage = await session.scalar(
        select(RequestEvent.stage).where(RequestEvent.request_id == request_id, RequestEvent.seq == seq)
    )
    return Stage(stage) if stage is not None else None
