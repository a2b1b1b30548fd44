"""The database's own rules for emergencies, whatever any process believes: a claimed emergency is never claimed
by another without passing through `open`, states move only along the workflow's edges, and the history is
append-only."""

import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import delete, update
from sqlalchemy.exc import IntegrityError

from db.base import transaction
from db.emergencies import Emergency, EmergencyEventRow
from domain.cash import HelperKind
from domain.emergency import EMERGENCY_POLICY, EmergencyCategory, EmergencyUrgency
from services import community_helpers, emergencies
from services.emergencies import NewEmergency
from tests.factories import WARD


async def an_open_emergency() -> uuid.UUID:
    async with transaction() as session:
        place = await emergencies.ward_in_city(session, WARD, "79")
        assert place is not None
        new = NewEmergency(
            code=f"R{uuid.uuid4().hex[:9].upper()}", category=EmergencyCategory.FOOD_TODAY,
            urgency=EmergencyUrgency.TODAY, description="Cần gạo cho hôm nay", ward_code=WARD,
            district_code=place[0], address="2 Lê Lợi", point=None, phone_e164="+84912000222",
        )  # fmt: skip
        row = await emergencies.post(session, new, (place[1], place[2]), datetime.now(UTC), EMERGENCY_POLICY)
        return row.id


async def helper(phone: str) -> uuid.UUID:
    async with transaction() as session:
        return await community_helpers.signed_in(session, phone, HelperKind.PERSON, "H")


async def set_values(emergency_id: uuid.UUID, **values: object) -> None:
    async with transaction() as session:
        await session.execute(update(Emergency).where(Emergency.id == emergency_id).values(**values))


@pytest.mark.usefixtures("db")
async def test_a_claim_is_never_handed_to_another_claimer() -> None:
    emergency = await an_open_emergency()
    first, second = await helper("+84912000301"), await helper("+84912000302")
    await set_values(emergency, state="claimed", claimed_by_helper=first)
    with pytest.raises(IntegrityError, match="one claimer at a time"):
        await set_values(emergency, claimed_by_helper=second)
    with pytest.raises(IntegrityError, match="one claimer at a time"):  # a second claimer beside the first
        await set_values(emergency, claimed_by_staff=uuid.uuid4())
    # Through `open` (the claim lapsed), another may claim it.
    await set_values(emergency, state="open", claimed_by_helper=None)
    await set_values(emergency, state="claimed", claimed_by_helper=second)


@pytest.mark.usefixtures("db")
async def test_states_move_only_along_the_workflows_edges() -> None:
    emergency = await an_open_emergency()
    with pytest.raises(IntegrityError, match="cannot move from"):
        await set_values(emergency, state="fulfilled")  # never claimed
    with pytest.raises(IntegrityError, match="claimed_has_claimer"):
        await set_values(emergency, state="claimed")  # claimed by nobody
    await set_values(emergency, state="hidden")
    with pytest.raises(IntegrityError, match="cannot move from"):
        await set_values(emergency, state="open")  # hidden is the end


@pytest.mark.usefixtures("db")
async def test_the_history_is_append_only() -> None:
    emergency = await an_open_emergency()
    with pytest.raises(IntegrityError, match="append-only"):
        async with transaction() as session:
            await session.execute(update(EmergencyEventRow).values(event="confirmed"))
    with pytest.raises(IntegrityError, match="append-only"):  # the purge may clear a note, nobody rewrite one
        async with transaction() as session:
            await session.execute(update(EmergencyEventRow).values(note="rewritten"))
    with pytest.raises(IntegrityError, match="append-only"):
        async with transaction() as session:
            await session.execute(delete(EmergencyEventRow).where(EmergencyEventRow.emergency_id == emergency))
