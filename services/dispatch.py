"""Choosing and recording the courier of a verified request, and holding its bag at the ward's point."""

from uuid import UUID

from sqlalchemy import and_, func, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from db.requests import ReliefRequest, RequestEvent
from db.staff import StaffUser
from domain.activity_io import BagRequest
from domain.roles import Role
from domain.stages import Stage
from services import stock_ledger
from services.supply_seed import ward_point_code


async def take_dispatch_turn(session: AsyncSession, ward_code: str) -> None:
    """Two requests of one ward choosing at once would pick the same courier: they take turns per ward,
    until the transaction ends (taking the turn again in the same transaction is free)."""
    await session.execute(text("SELECT pg_advisory_xact_lock(hashtextextended(:k, 0))"), {"k": f"dispatch:{ward_code}"})


async def least_loaded_courier(session: AsyncSession, ward_code: str) -> UUID | None:
    """The active courier of the ward with the fewest deliveries in hand (ties: the oldest account)."""
    await take_dispatch_turn(session, ward_code)
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


async def courier_already_chosen(session: AsyncSession, request_id: UUID, seq: int, ward_code: str) -> UUID | None:
    """The courier a first attempt of this assignment (request, seq) already chose and committed.

    Under the ward's dispatch lock, so a retry running beside its first attempt waits for it and reuses its
    choice: choosing again would give the delivery to a second courier while the first is already told.
    """
    await take_dispatch_turn(session, ward_code)
    detail = await session.scalar(
        select(RequestEvent.detail).where(RequestEvent.request_id == request_id, RequestEvent.seq == seq)
    )
    chosen = (detail or {}).get("courier_id")
    return UUID(chosen) if chosen else None


async def set_courier(session: AsyncSession, request_id: UUID, courier_id: UUID | None) -> None:
    await session.execute(update(ReliefRequest).where(ReliefRequest.id == request_id).values(courier_id=courier_id))


async def hold_bag(session: AsyncSession, bag: BagRequest) -> bool:
    """Holds one bag for the request at its ward's point, first expiry first; False when none is free there.
    The same request and round again finds the bag it holds."""
    place = ward_point_code(bag.ward_code)
    return await stock_ledger.reserve_bag(session, bag.request_code, bag.round, place) is not None
