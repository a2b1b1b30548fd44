"""Staff accounts as the API needs them: sign-in, the active user behind a token, couriers."""

import asyncio
from dataclasses import dataclass
from functools import lru_cache
from uuid import UUID

from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from common.passwords import hash_password, verify_password
from db.geography import AdminUnit
from db.staff import StaffUser
from domain.roles import Role


@dataclass(frozen=True)
class ActiveStaff:
    id: UUID
    role: Role
    unit_code: str
    parent_code: str | None  # the district of a ward's staff
    place_code: str | None = None  # warehouse staff's place


@lru_cache
def _dummy_hash() -> str:
    return hash_password("no-such-user")


async def authenticate(session: AsyncSession, username: str, password: str) -> StaffUser | None:
    """The active user with this password; the same work is done for an unknown name (no timing oracle)."""
    user = await session.scalar(select(StaffUser).where(StaffUser.username == username))
    # argon2 is deliberately slow: keep it off the event loop.
    if user is None:
        await asyncio.to_thread(verify_password, _dummy_hash(), password)
        return None
    if not await asyncio.to_thread(verify_password, user.password_hash, password) or not user.active:
        return None
    return user


# Built once: this runs on every staff request, and building a statement costs more than running it.
_ACTIVE_STAFF = (
    select(StaffUser.id, StaffUser.role, StaffUser.unit_code, AdminUnit.parent_code, StaffUser.place_code)
    .join(AdminUnit, AdminUnit.code == StaffUser.unit_code)
    .where(StaffUser.id == bindparam("user_id"), StaffUser.active)
)


async def active_staff(session: AsyncSession, user_id: UUID) -> ActiveStaff | None:
    row = (await session.execute(_ACTIVE_STAFF, {"user_id": user_id})).first()
    if row is None:
        return None
    return ActiveStaff(
        id=row.id, role=Role(row.role), unit_code=row.unit_code, parent_code=row.parent_code, place_code=row.place_code
    )


async def active_courier_ward(session: AsyncSession, courier_id: UUID) -> str | None:
    """The ward of an active courier; None if the id is not an active courier."""
    return await session.scalar(
        select(StaffUser.unit_code).where(
            StaffUser.id == courier_id, StaffUser.role == Role.COURIER.value, StaffUser.active
        )
    )


async def staff_names(session: AsyncSession, ids: set[UUID]) -> dict[UUID, str]:
    """Full names of staff, for saying who did what on a request."""
    if not ids:
        return {}
    rows = await session.execute(select(StaffUser.id, StaffUser.full_name).where(StaffUser.id.in_(ids)))
    return {row[0]: row[1] for row in rows}
