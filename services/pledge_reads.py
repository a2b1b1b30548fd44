"""What the pledge pages and the pledge use cases read: a need by its public reference (the one the published
needs' list shows, nothing of the household in it), a pledge with its need's place, a helper's / a household's /
a ward's pledges, and (for the pledging helper only) the payout account. Lists read the database, never the
workflows."""

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.cash import CashNeed, Pledge
from db.requests import ReliefRequest
from domain.cash import NeedState, PledgeState


@dataclass(frozen=True)
class OpenNeed:
    request_id: uuid.UUID
    request_code: str
    household_id: uuid.UUID | None
    ward_code: str
    district_code: str
    state: NeedState
    amount_asked: int
    amount_pledged: int

    @property
    def remaining(self) -> int:
        return self.amount_asked - self.amount_pledged


@dataclass(frozen=True)
class PledgeRecord:
    id: uuid.UUID
    code: str
    state: PledgeState
    amount: int
    helper_id: uuid.UUID
    request_id: uuid.UUID
    request_code: str
    household_id: uuid.UUID | None
    ward_code: str
    district_code: str
    need_ref: str  # the need's public reference
    created_at: datetime
    transferred_at: datetime | None
    closed_at: datetime | None
    note: str | None


@dataclass(frozen=True)
class PayoutAccount:
    bank_bin: str
    account_number: str
    holder_name: str


async def need_by_ref(session: AsyncSession, ref: str) -> OpenNeed | None:
    row = (
        await session.execute(
            select(CashNeed, ReliefRequest.code)
            .join(ReliefRequest, ReliefRequest.id == CashNeed.request_id)
            .where(CashNeed.public_ref == ref)
        )
    ).one_or_none()
    if row is None:
        return None
    need, code = row
    return OpenNeed(
        need.request_id,
        code,
        need.household_id,
        need.ward_code,
        need.district_code,
        NeedState(need.state),
        need.amount_asked,
        need.amount_pledged,
    )


def _pledges() -> Select[Pledge, CashNeed, str]:
    return (
        select(Pledge, CashNeed, ReliefRequest.code)
        .join(CashNeed, CashNeed.request_id == Pledge.request_id)
        .join(ReliefRequest, ReliefRequest.id == Pledge.request_id)
    )


def _record(pledge: Pledge, need: CashNeed, request_code: str) -> PledgeRecord:
    return PledgeRecord(
        pledge.id,
        pledge.code,
        PledgeState(pledge.state),
        pledge.amount,
        pledge.helper_id,
        pledge.request_id,
        request_code,
        need.household_id,
        need.ward_code,
        need.district_code,
        need.public_ref,
        pledge.created_at,
        pledge.transferred_at,
        pledge.closed_at,
        pledge.note,
    )


async def pledge_by_code(session: AsyncSession, code: str) -> PledgeRecord | None:
    row = (await session.execute(_pledges().where(Pledge.code == code))).one_or_none()
    return _record(row[0], row[1], row[2]) if row is not None else None


async def helper_pledges(session: AsyncSession, helper_id: uuid.UUID, limit: int = 100) -> list[PledgeRecord]:
    rows = await session.execute(
        _pledges().where(Pledge.helper_id == helper_id).order_by(Pledge.created_at.desc()).limit(limit)
    )
    return [_record(pledge, need, code) for pledge, need, code in rows]


async def household_pledges_by_code(session: AsyncSession, request_code: str) -> list[PledgeRecord]:
    """The pledges to the need of this relief request, oldest first."""
    rows = await session.execute(_pledges().where(ReliefRequest.code == request_code).order_by(Pledge.created_at))
    return [_record(pledge, need, code) for pledge, need, code in rows]


async def awaiting_ward(
    session: AsyncSession, ward_code: str | None, district_code: str | None, limit: int = 200
) -> list[PledgeRecord]:
    """Disputed pledges and those reported paid but not confirmed, oldest report first, in the caller's place
    (None and None: the city)."""
    query = _pledges().where(Pledge.state.in_([PledgeState.DISPUTED.value, PledgeState.TRANSFERRED.value]))
    if ward_code is not None:
        query = query.where(CashNeed.ward_code == ward_code)
    elif district_code is not None:
        query = query.where(CashNeed.district_code == district_code)
    rows = await session.execute(query.order_by(Pledge.transferred_at).limit(limit))
    return [_record(pledge, need, code) for pledge, need, code in rows]


async def payout_account(session: AsyncSession, request_id: uuid.UUID) -> PayoutAccount:
    row = (
        await session.execute(
            select(CashNeed.bank_bin, CashNeed.account_number, CashNeed.holder_name).where(
                CashNeed.request_id == request_id
            )
        )
    ).one()
    return PayoutAccount(row.bank_bin, row.account_number, row.holder_name)
