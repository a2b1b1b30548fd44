"""The community's view of cash needs: published ones only, by district, oldest first, and nothing that
identifies a household (no name, phone, address, account or request code; the public reference instead).

Oldest first is the only order: a need is not seen later because its story moves people less. Rows are read
through the partial index on published needs (district, published_at).
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Row, Select, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from db.cash import CashNeed
from db.geography import AdminUnit
from db.requests import ReliefRequest
from domain.cash import NeedState, SituationCategory


@dataclass(frozen=True)
class PublishedNeed:
    public_ref: str
    ward_name: str
    district_name: str
    household_size: int
    situation: SituationCategory
    amount_asked: int
    amount_still_needed: int  # asked minus live and confirmed pledges
    published_at: datetime

    def days_waiting(self, now: datetime) -> int:
        return max(0, (now - self.published_at).days)


_WARD, _DISTRICT = aliased(AdminUnit), aliased(AdminUnit)


def _published() -> Select[str, str, str, int, str, int, int, datetime | None]:
    return (
        select(
            CashNeed.public_ref,
            _WARD.name,
            _DISTRICT.name,
            ReliefRequest.household_size,
            CashNeed.situation,
            CashNeed.amount_asked,
            CashNeed.amount_asked - CashNeed.amount_pledged,
            CashNeed.published_at,
        )
        .join(ReliefRequest, ReliefRequest.id == CashNeed.request_id)
        .join(_WARD, _WARD.code == CashNeed.ward_code)
        .join(_DISTRICT, _DISTRICT.code == CashNeed.district_code)
        .where(CashNeed.state == NeedState.PUBLISHED.value)
    )


async def oldest_first(
    session: AsyncSession, district_code: str | None, limit: int, offset: int
) -> list[PublishedNeed]:
    query = _published()
    if district_code is not None:
        query = query.where(CashNeed.district_code == district_code)
    query = query.order_by(CashNeed.published_at, CashNeed.public_ref).limit(limit).offset(offset)
    return [_need(row) for row in (await session.execute(query)).all()]


async def by_ref(session: AsyncSession, public_ref: str) -> PublishedNeed | None:
    row = (await session.execute(_published().where(CashNeed.public_ref == public_ref))).first()
    return _need(row) if row is not None else None


def _need(row: Row[str, str, str, int, str, int, int, datetime | None]) -> PublishedNeed:
    ref, ward, district, size, situation, asked, still, published_at = row
    assert published_at is not None  # set when published
    return PublishedNeed(ref, ward, district, size, SituationCategory(situation), asked, still, published_at)
