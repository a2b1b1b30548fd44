"""Who the two parties of a message thread are, three functions per kind of subject (KINDS).

The thread's use cases know no subject: they ask `parties(kind, key, helper_id)` for the subject's id, its household
side and its helper side, the ward that moderates it, the words that name it in a notice and whether its sides may
still write; `subject_key` for how pages name it; `phone_of` for a side's phone (read only when both sides agreed
to show it). A subject that does not exist answers None; whether the caller is one of its sides is the use case's
question.

A pledge has one helper. An emergency has one per claim: the thread is the current claimer's, writable while their
claim holds (claimed or fulfilled); once it is released or the emergency ends, the conversation stays readable by
its two sides and takes no new message. Its household side is the poster, known by the follow link (`poster_key`),
not by a household session: a neighbour often posts for someone. A claim by staff has no helper side.
"""

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from db.cash import CommunityHelper, Pledge
from db.emergencies import Emergency
from db.private_messages import MessageThread
from db.requests import ReliefRequest
from domain.emergency import CLAIM_HELD_STATES, EmergencyState
from domain.private_messages import Side, SubjectKind
from services import emergency_reads, pledge_reads
from texts import Text


@dataclass(frozen=True)
class Parties:
    kind: SubjectKind
    subject_id: uuid.UUID
    key: str  # how pages and the API name the subject (a pledge's code)
    household_id: uuid.UUID | None
    # A registration's citizen token opens only its own request: the subject's request code, if it has one.
    request_code: str | None
    helper_id: uuid.UUID | None
    ward_code: str
    district_code: str
    label: Text  # the subject in a notice: "cam kết hỗ trợ ANSINH X"
    # False once the subject lets its sides write no more (an emergency's claim released, or the emergency ended).
    live: bool = True
    # The key a follow link's holder must open to be the household side (an emergency's poster); None: no link.
    poster_key: str | None = None

    def sender(self, side: Side) -> str:
        """Who sends, for the rate limits: the helper, or the household (the poster, who has none, per subject)."""
        if side is Side.HELPER:
            return f"helper:{self.helper_id}"
        return f"household:{self.household_id or f'{self.kind.value}-{self.subject_id}'}"


async def pledge_parties(session: AsyncSession, code: str, helper_id: uuid.UUID | None = None) -> Parties | None:
    """A cash pledge: the household whose need it supports, and the helper who pledged."""
    record = await pledge_reads.pledge_by_code(session, code)
    if record is None:
        return None
    return Parties(
        kind=SubjectKind.PLEDGE,
        subject_id=record.id,
        key=record.code,
        household_id=record.household_id,
        request_code=record.request_code,
        helper_id=record.helper_id,
        ward_code=record.ward_code,
        district_code=record.district_code,
        label=Text("msg.subject.pledge", code=record.code),
    )


async def pledge_key(session: AsyncSession, pledge_id: uuid.UUID) -> str | None:
    return await session.scalar(select(Pledge.code).where(Pledge.id == pledge_id))


async def pledge_household_phone(session: AsyncSession, pledge_id: uuid.UUID) -> str | None:
    """The applicant's phone of the request the pledge supports."""
    return await session.scalar(
        select(ReliefRequest.applicant_phone)
        .join(Pledge, Pledge.request_id == ReliefRequest.id)
        .where(Pledge.id == pledge_id)
    )


async def emergency_parties(session: AsyncSession, code: str, helper_id: uuid.UUID | None = None) -> Parties | None:
    """An emergency: its poster and a helper who claimed it. `helper_id` (a helper asking) names their own claim's
    thread, current or past; without it (the poster, a moderator) the current helper claimer's, or else the latest
    claimer's who wrote. None while no helper claimed it."""
    row = await emergency_reads.by_code(session, code)
    if row is None:
        return None
    helper = row.claimed_by_helper if helper_id is None else helper_id
    if helper is None or (helper != row.claimed_by_helper and not await _had_thread(session, row.id, helper)):
        helper = None if helper_id is not None else await _latest_thread_helper(session, row.id)
    if helper is None:
        return None
    return Parties(
        kind=SubjectKind.EMERGENCY,
        subject_id=row.id,
        key=row.code,
        household_id=None,
        request_code=None,
        helper_id=helper,
        ward_code=row.ward_code,
        district_code=row.district_code,
        label=Text("msg.subject.emergency", code=row.code),
        live=helper == row.claimed_by_helper and EmergencyState(row.state) in CLAIM_HELD_STATES,
        poster_key=row.code,
    )


async def _had_thread(session: AsyncSession, emergency_id: uuid.UUID, helper_id: uuid.UUID) -> bool:
    found = await session.scalar(
        select(MessageThread.id).where(
            MessageThread.subject_kind == SubjectKind.EMERGENCY.value,
            MessageThread.subject_id == emergency_id,
            MessageThread.helper_id == helper_id,
        )
    )
    return found is not None


async def _latest_thread_helper(session: AsyncSession, emergency_id: uuid.UUID) -> uuid.UUID | None:
    return await session.scalar(
        select(MessageThread.helper_id)
        .where(MessageThread.subject_kind == SubjectKind.EMERGENCY.value, MessageThread.subject_id == emergency_id)
        .order_by(MessageThread.created_at.desc())
        .limit(1)
    )


async def emergency_key(session: AsyncSession, emergency_id: uuid.UUID) -> str | None:
    return await session.scalar(select(Emergency.code).where(Emergency.id == emergency_id))


async def emergency_poster_phone(session: AsyncSession, emergency_id: uuid.UUID) -> str | None:
    """The phone the emergency was posted from (proven by its one-time code)."""
    return await session.scalar(select(Emergency.poster_phone).where(Emergency.id == emergency_id))


@dataclass(frozen=True)
class KindOfSubject:
    # By the key pages and the API use; a helper asking names their own thread (a subject may have one per helper).
    parties: Callable[[AsyncSession, str, uuid.UUID | None], Awaitable[Parties | None]]
    key: Callable[[AsyncSession, uuid.UUID], Awaitable[str | None]]  # the key, from the subject's id
    household_phone: Callable[[AsyncSession, uuid.UUID], Awaitable[str | None]]  # from the subject's id


KINDS: dict[SubjectKind, KindOfSubject] = {
    SubjectKind.PLEDGE: KindOfSubject(pledge_parties, pledge_key, pledge_household_phone),
    SubjectKind.EMERGENCY: KindOfSubject(emergency_parties, emergency_key, emergency_poster_phone),
}


async def parties(
    session: AsyncSession, kind: SubjectKind, key: str, helper_id: uuid.UUID | None = None
) -> Parties | None:
    return await KINDS[kind].parties(session, key, helper_id)


async def subject_key(session: AsyncSession, kind: SubjectKind, subject_id: uuid.UUID) -> str:
    key = await KINDS[kind].key(session, subject_id)
    assert key is not None  # a thread's subject is never deleted
    return key


async def phone_of(session: AsyncSession, parties: Parties, side: Side) -> str | None:
    """A side's phone number in clear (E.164), for the other side once both agreed."""
    if side is Side.HOUSEHOLD:
        return await KINDS[parties.kind].household_phone(session, parties.subject_id)
    if parties.helper_id is None:
        return None
    return await session.scalar(select(CommunityHelper.phone).where(CommunityHelper.id == parties.helper_id))


async def helper_name(session: AsyncSession, parties: Parties) -> str | None:
    """The helper's display name, which the household sees (the name they chose to show when signing in)."""
    if parties.helper_id is None:
        return None
    return await session.scalar(select(CommunityHelper.display_name).where(CommunityHelper.id == parties.helper_id))
