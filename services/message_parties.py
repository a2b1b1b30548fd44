"""Who the two parties of a message thread are, three functions per kind of subject (KINDS).

The thread's use cases know no subject: they ask `parties(kind, key)` for the subject's id, its household side and
its helper side, the ward that moderates it and the words that name it in a notice; `subject_key` for how pages
name it; `phone_of` for a side's phone (read only when both sides agreed to show it). A subject that does not
exist answers None; whether the caller is one of its sides is the use case's question.
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


@dataclass(frozen=True)
class KindOfSubject:
    parties: Callable[[AsyncSession, str], Awaitable[Parties | None]]  # by the key pages and the API use
    key: Callable[[AsyncSession, uuid.UUID], Awaitable[str | None]]  # the key, from the subject's id
    household_phone: Callable[[AsyncSession, uuid.UUID], Awaitable[str | None]]  # from the subject's id


KINDS: dict[SubjectKind, KindOfSubject] = {
    SubjectKind.PLEDGE: KindOfSubject(pledge_parties, pledge_key, pledge_household_phone),
}


async def parties(session: AsyncSession, kind: SubjectKind, key: str) -> Parties | None:
    return await KINDS[kind].parties(session, key)


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
