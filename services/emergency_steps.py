"""An emergency's steps as its workflow writes them: the move and its event, in one transaction.

Each step is safe to repeat: the event is keyed by (emergency, seq), and a move to the state the emergency is
already in writes nothing. The notices of a step (services/emergency_notices.py) are stored with its event, so a
repeated step stores none again. A claim sets the claimer on the row and a lapsed claim clears it; the trigger of
migration 0020 refuses any other change of claimer, so a second claim can never be recorded even by mistake.
"""

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from db.emergencies import Emergency, EmergencyEventRow
from domain.emergency import EmergencyEvent, EmergencyState
from domain.emergency_messages import EmergencyStep
from domain.refusals import RuleViolation
from services import emergency_notices

# What a move writes on the row besides its state.
_CLOSING = frozenset({EmergencyState.CONFIRMED, EmergencyState.CLOSED, EmergencyState.HIDDEN})


async def record(session: AsyncSession, step: EmergencyStep) -> EmergencyState:
    """Writes the step once and answers the emergency's state."""
    row = (
        await session.execute(select(Emergency).where(Emergency.id == step.emergency_id).with_for_update())
    ).scalar_one()
    state = EmergencyState(row.state)
    helper_id, staff_id = step.helper_id, step.staff_id
    if step.event == EmergencyEvent.RELEASED:  # the event names whose claim lapsed
        helper_id, staff_id = row.claimed_by_helper, row.claimed_by_staff
    if step.to is not None and state != step.to:
        await session.execute(
            update(Emergency).where(Emergency.id == row.id).values(**_move(row, step), updated_at=step.at)
        )
        state = step.to
    elif step.event == EmergencyEvent.ESCALATED and row.escalated_at is None:
        await session.execute(update(Emergency).where(Emergency.id == row.id).values(escalated_at=step.at))
    written = await session.scalar(
        insert(EmergencyEventRow)
        .values(
            emergency_id=row.id,
            seq=step.seq,
            event=step.event.value,
            at=step.at,
            state=state.value,
            helper_id=helper_id,
            staff_id=staff_id,
            note=None if step.event == EmergencyEvent.FULFILLED else step.note,
        )
        .on_conflict_do_nothing()
        .returning(EmergencyEventRow.seq)
    )
    if written is not None:  # the step's first time: its notices go with it, once
        await emergency_notices.store(session, row, step.seq, step.event, step.at)
    return state


def _move(row: Emergency, step: EmergencyStep) -> dict[str, object]:
    to = step.to
    assert to is not None
    values: dict[str, object] = {"state": to.value}
    if to == EmergencyState.CLAIMED:
        if step.helper_id is None and step.staff_id is None:
            raise RuleViolation(f"emergency {step.code}: a claim without a claimer")
        values |= {"claimed_by_helper": step.helper_id, "claimed_by_staff": step.staff_id, "claimed_at": step.at}
        if row.first_claimed_at is None:
            values["first_claimed_at"] = step.at
    elif to == EmergencyState.OPEN:
        values |= {"claimed_by_helper": None, "claimed_by_staff": None, "releases": row.releases + 1}
    elif to == EmergencyState.FULFILLED:
        values |= {"fulfilled_at": step.at, "fulfilment_note": step.note}
    elif to in _CLOSING:
        values |= {"closed_at": step.at}
        if step.event in (EmergencyEvent.CLOSED, EmergencyEvent.HIDDEN):
            values["close_reason"] = step.note
        if to == EmergencyState.HIDDEN:
            values["hidden_by"] = step.staff_id
    return values
