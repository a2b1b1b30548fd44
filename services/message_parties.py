"""Who the two parties of a message thread are, one function per kind of subject.

The thread's use cases know no subject: they ask `parties(kind, key)` (a kind's function in PARTIES, its key
function in KEYS) for the subject's id, its household side
and its helper side, the ward that moderates it, the words that name it in a notice, and where each side's phone
is read (only ever when both sides agreed to show it). A subject outside anyone's reach answers None.
"""

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from db.cash import CommunityHelper, Pledge
from db.requests import ReliefRequest
from domain.private_messages import Side, SubjectKind
from services import pledge_reads


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
    label: str  # the subject in a notice: "cam kết hỗ trợ ANSINH X"
    request_id: uuid.UUID | None  # where the household side's phone is kept


async def pledge_parties(session: AsyncSession, code: str) -> Parties | None:
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
        label=f"cam kết hỗ trợ ANSINH {record.code}",
        request_id=record.request_id,
    )


async def pledge_key(session: AsyncSession, pledge_id: uuid.UUID) -> str | None:
    return await session.scalar(select(Pledge.code).where(Pledge.id == pledge_id))


PARTIES: dict[SubjectKind, Callable[[AsyncSession, str], Awaitable[Parties | None]]] = {
    SubjectKind.PLEDGE: pledge_parties,
}
# How pages and the API name a subject, from its id (the moderation list reads threads, not subjects).
KEYS: dict[SubjectKind, Callable[[AsyncSession, uuid.UUID], Awaitable[str | None]]] = {
    SubjectKind.PLEDGE: pledge_key,
}


async def parties(session: AsyncSession, kind: SubjectKind, key: str) -> Parties | None:
    return await PARTIES[kind](session, key)


async def subject_key(session: AsyncSession, kind: SubjectKind, subject_id: uuid.UUID) -> str:
    key = await KEYS[kind](session, subject_id)
    assert key is not None  # a thread's subject is never deleted
    return key


async def phone_of(session: AsyncSession, parties: Parties, side: Side) -> str | None:
    """A side's phone number in clear (E.164), for the other side once both agreed."""
    if side is Side.HELPER:
        if parties.helper_id is None:
            return None
        return await session.scalar(select(CommunityHelper.phone).where(CommunityHelper.id == parties.helper_id))
    if parties.request_id is None:
        return None
    return await session.scalar(select(ReliefRequest.applicant_phone).where(ReliefRequest.id == parties.request_id))


async def helper_name(session: AsyncSession, parties: Parties) -> str | None:
    """The helper's display name, which the household sees (the name they chose to show when signing in)."""
    if parties.helper_id is None:
        return None
    return await session.scalar(select(CommunityHelper.display_name).where(CommunityHelper.id == parties.helper_id))
