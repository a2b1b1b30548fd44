"""Choosing and recording the courier of a verified request."""

from uuid import UUID

from sqlalchemy import and_, func, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from db.requests import ReliefRequest
from db.staff import StaffUser
from domain.roles import Role
from domain.stages import Stage


async def least_loaded_courier(session: AsyncSession, ward_code: str) -> UUID | None:
    """The active courier of the ward with the fewest deliveries in hand (ties: the oldest account)."""
    # Two requests of one ward choosing at once would pick the same courier; take turns per ward.
    await session.execute(text("SELECT pg_advisory_xact_lock(hashtextextended(:k, 0))"), {"k": f"dispatch:{ward_code}"})
    load = func.count(ReliefRequest.id)
    return await session.scalar(
        select(StaffUser.id)
        .outerjoin(
            ReliefRequest,
            and_(ReliefRequest.courier_id == StaffUser.id, ReliefRequest.stage == Stage.OUT_FOR_DELIVERY.value),
        )
        .where(StaffUser.role == Role.COURIER.value, StaffUser.unit_code == ward_code, StaffUser.active)
        .group_by(StaffUser.id, StaffUser.created_at)
        .order_by(load, StaffUser.created_at, StaffUser.id)
        .limit(1)
    )


async def set_courier(session: AsyncSession, request_id: UUID, courier_id: UUID | None) -> None:
    await session.execute(update(ReliefRequest).where(ReliefRequest.id == request_id).values(courier_id=courier_id))
