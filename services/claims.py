"""Releasing a household's open claim when its request reaches a final stage."""

from uuid import UUID

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from db.households import HouseholdClaim


async def release_claim(session: AsyncSession, request_id: UUID) -> None:
    await session.execute(delete(HouseholdClaim).where(HouseholdClaim.request_id == request_id))
