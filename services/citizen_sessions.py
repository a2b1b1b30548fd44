"""Revoking citizens' tokens: a household's tokens issued before a moment are refused from then on.

Tokens are signed and self-contained, so revocation is a moment per household, checked on every citizen request
(one indexed read): a lost or shared phone's session ends without waiting for TOKEN_MINUTES.
"""

from collections.abc import Iterable
from datetime import datetime
from uuid import UUID

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from db.households import Household


async def revoke(session: AsyncSession, household_ids: Iterable[UUID], at: datetime) -> None:
    await session.execute(
        update(Household).where(Household.id.in_(sorted(household_ids))).values(tokens_valid_after=at)
    )


async def valid_after(session: AsyncSession, household_ids: Iterable[UUID]) -> datetime | None:
    """The latest revocation among these households (a token covering any of them issued before it is void)."""
    return await session.scalar(
        select(func.max(Household.tokens_valid_after)).where(Household.id.in_(sorted(household_ids)))
    )
