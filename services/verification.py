"""A ward's verification decision: approval puts the household on the ward's verified list."""

from datetime import datetime
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from db.households import WardVerifiedHousehold
from db.requests import ReliefRequest


async def add_to_verified_list(
    session: AsyncSession, household_id: UUID, ward_code: str, verified_by: UUID | None, at: datetime
) -> None:
    await session.execute(
        insert(WardVerifiedHousehold)
        .values(household_id=household_id, ward_code=ward_code, verified_by=verified_by, verified_at=at)
        .on_conflict_do_nothing()
    )


async def request_household(session: AsyncSession, request_id: UUID) -> UUID | None:
    return await session.scalar(select(ReliefRequest.household_id).where(ReliefRequest.id == request_id))
