"""The retention purge and emergencies: one that ended more than the period ago loses the poster's phone, the
address, the point, the description, the notes and reasons typed on it and its notices' text; the dashboard's
figures and the help groups' counts read the same; one that ended lately keeps everything."""

import io
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from db.base import transaction
from db.emergencies import Emergency, EmergencyEventRow
from db.notifications import Notification
from db.private_messages import MessageThread, PrivateMessage
from domain.cash import HelperKind
from domain.emergency import EMERGENCY_POLICY, EmergencyCategory, EmergencyEvent, EmergencyState, EmergencyUrgency
from domain.emergency_messages import EmergencyStep
from domain.private_messages import Side, SubjectKind
from services import community_helpers, emergencies, emergency_figures, emergency_steps, message_threads
from services.emergencies import NewEmergency
from services.photos import photo_file, store_photo
from services.retention import purge_due
from tests.factories import DISTRICT, WARD
from tests.trust_fixtures import jpeg_bytes

PERIOD = timedelta(days=365)


async def an_emergency_that_ended(at: datetime, helper_id: uuid.UUID, staff_reason: str | None = None) -> uuid.UUID:
    """Posted, claimed and fulfilled by the helper at `at`, then confirmed (or, with a reason, closed)."""
    async with transaction() as session:
        new = NewEmergency(
            code=f"R{uuid.uuid4().hex[:9].upper()}", category=EmergencyCategory.MEDICINE,
            urgency=EmergencyUrgency.TODAY, description="Bà cụ cần thuốc huyết áp, sống một mình", ward_code=WARD,
            district_code=DISTRICT, address="Hẻm 5 Pasteur, lầu 2", point=(10.7761, 106.7019),
            phone_e164="+84912000333",
        )  # fmt: skip
        row = await emergencies.post(session, new, (10.77, 106.70), at, EMERGENCY_POLICY)
        steps = [
            (EmergencyEvent.CLAIMED, EmergencyState.CLAIMED, None),
            (EmergencyEvent.FULFILLED, EmergencyState.FULFILLED, "đã mang thuốc đến tận nhà"),
            (EmergencyEvent.CLOSED, EmergencyState.CLOSED, staff_reason)
            if staff_reason
            else (EmergencyEvent.CONFIRMED, EmergencyState.CONFIRMED, None),
        ]
        for seq, (event, to, note) in enumerate(steps, start=2):
            step = EmergencyStep(
                emergency_id=row.id, code=new.code, seq=seq, at=at + timedelta(minutes=seq), event=event, to=to,
                helper_id=helper_id, note=note,
            )  # fmt: skip
            await emergency_steps.record(session, step)
        return row.id


async def a_conversation(emergency_id: uuid.UUID, helper_id: uuid.UUID) -> uuid.UUID:
    """The poster's message to the helper who claimed it; its id."""
    async with transaction() as session:
        emergency = await session.get(Emergency, emergency_id)
        assert emergency is not None
        thread = MessageThread(
            subject_kind=SubjectKind.EMERGENCY.value, subject_id=emergency_id, helper_id=helper_id,
            ward_code=emergency.ward_code, district_code=emergency.district_code,
        )  # fmt: skip
        session.add(thread)
        await session.flush()
        return (await message_threads.add_message(session, thread.id, Side.HOUSEHOLD, "Tôi ở lầu 3")).id


async def a_photo(emergency_id: uuid.UUID, photo_dir: Path, size: tuple[int, int]) -> str:
    """What the helper showed was brought: its stored file's path."""
    stored = store_photo(io.BytesIO(jpeg_bytes(size)), photo_dir)
    async with transaction() as session:
        row = await session.get(Emergency, emergency_id)
        assert row is not None
        row.fulfilment_photo_path, row.fulfilment_photo_sha256 = stored.relative_path, stored.sha256
    return stored.relative_path


async def personal_parts(emergency_id: uuid.UUID) -> tuple[tuple[object, ...], list[str], list[str]]:
    """The row's personal columns, its events' notes and its notices' texts."""
    async with transaction() as session:
        row = await session.get(Emergency, emergency_id)
        assert row is not None
        notes = await session.scalars(select(EmergencyEventRow.note).where(EmergencyEventRow.emergency_id == row.id))
        messages = await session.scalars(select(Notification.message).where(Notification.emergency_id == row.id))
        columns = (
            row.description, row.address, row.exact_point, row.poster_phone, row.poster_phone_hash, row.household_id,
            row.fulfilment_note, row.close_reason,
        )  # fmt: skip
        return columns, sorted(n or "" for n in notes), sorted(messages)


async def counted(emergency_id: uuid.UUID) -> tuple[object, ...]:
    """What the dashboard and a help group's page count an emergency by."""
    async with transaction() as session:
        row = await session.get(Emergency, emergency_id)
        assert row is not None
        return (
            row.code, row.category, row.urgency, row.ward_code, row.district_code, row.state, row.claimed_by_helper,
            row.approx_latitude, row.approx_longitude, row.created_at, row.first_claimed_at, row.fulfilled_at,
            row.closed_at, row.escalated_at,
        )  # fmt: skip


@pytest.mark.usefixtures("db")
async def test_an_old_emergencys_personal_data_is_purged_and_its_counts_stay(tmp_path: Path) -> None:
    now = datetime.now(UTC)
    async with transaction() as session:
        helper = await community_helpers.signed_in(session, "+84912000444", HelperKind.PERSON, "H")
    old = await an_emergency_that_ended(now - PERIOD - timedelta(days=3), helper)
    old_closed = await an_emergency_that_ended(now - PERIOD - timedelta(days=2), helper, "người nhà đã đưa đi viện")
    recent = await an_emergency_that_ended(now - timedelta(days=30), helper)
    said = {e: await a_conversation(e, helper) for e in (old, recent)}
    # Photos are kept by content: the old closed one's is the same picture as the recent one's.
    photos = {
        e: await a_photo(e, tmp_path, size) for e, size in ((old, (64, 48)), (old_closed, (80, 60)), (recent, (80, 60)))
    }
    before = {e: await counted(e) for e in (old, old_closed, recent)}
    recent_parts = await personal_parts(recent)
    async with transaction() as session:
        figures = await emergency_figures.figures(session)
    assert "Pasteur" in str(await personal_parts(old))  # the old ones did hold personal data

    async with transaction() as session:
        report = await purge_due(session, PERIOD, tmp_path, now, limit=500)
    assert report.emergencies == 2
    for gone in (old, old_closed):
        columns, notes, messages = await personal_parts(gone)
        assert columns == ("", "", None, "", "", None, None, None)
        assert set(notes) == {""} and set(messages) == {""} and len(messages) >= 2  # the poster's notices, emptied
    assert await personal_parts(recent) == recent_parts  # ended lately: kept
    async with transaction() as session:  # what the poster and the helper wrote goes with the rest, lately kept
        assert (await session.get(PrivateMessage, said[old])).body is None  # type: ignore[union-attr]
        assert (await session.get(PrivateMessage, said[recent])).body == "Tôi ở lầu 3"  # type: ignore[union-attr]
        old_row, recent_row = await session.get(Emergency, old), await session.get(Emergency, recent)
        assert old_row is not None and recent_row is not None
        assert (old_row.fulfilment_photo_path, old_row.fulfilment_photo_sha256) == (None, None)
        assert recent_row.fulfilment_photo_path == photos[recent]
    assert photo_file(tmp_path, photos[old]) is None  # deleted; the shared one stays while the recent names it
    assert photos[old_closed] == photos[recent] and photo_file(tmp_path, photos[recent]) is not None
    assert {e: await counted(e) for e in (old, old_closed, recent)} == before
    async with transaction() as session:
        assert await emergency_figures.figures(session) == figures
        assert (await session.get(Emergency, old)).purged_at == now  # type: ignore[union-attr]
        again = await purge_due(session, PERIOD, tmp_path, now, limit=500)
    assert again.emergencies == 0
