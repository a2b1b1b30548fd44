"""The household's word that its bag never came, and the ward's finding on a delivery marked for review. Each is
written once: a second word or a second finding changes nothing and says so."""

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from db.deliveries import Delivery
from db.notifications import Notification
from db.requests import ReliefRequest
from services.notices import STAFF_LANG, notice


@dataclass(frozen=True)
class HouseholdView:
    delivered_at: datetime
    not_received_at: datetime | None
    review_finding: str | None
    reviewed_at: datetime | None


async def household_view(session: AsyncSession, request_id: UUID) -> HouseholdView | None:
    row = (
        await session.execute(
            select(
                Delivery.delivered_at, Delivery.not_received_at, Delivery.review_finding, Delivery.reviewed_at
            ).where(Delivery.request_id == request_id)
        )
    ).first()
    return HouseholdView(*row) if row is not None else None


async def say_not_received(session: AsyncSession, request: ReliefRequest, note: str | None, at: datetime) -> bool:
    """Marks the delivery for the ward's review with the household's word, and tells the ward's officials in the
    same transaction; False if the household said it already."""
    said = await session.execute(
        update(Delivery)
        .where(Delivery.request_id == request.id, Delivery.not_received_at.is_(None))
        .values(not_received_at=at, not_received_note=note, needs_review=True)
        .returning(Delivery.id)
    )
    if said.first() is None:
        return False
    # The delivered stage is the request's last and stores no message for the ward, so its seq is free for this one.
    await session.execute(
        insert(Notification)
        .values(
            request_id=request.id,
            seq=request.stage_seq,
            audience="ward",
            unit_code=request.ward_code,
            event="delivery_not_received",
            message=notice(STAFF_LANG, "notice.staff.delivery_not_received", {"code": request.code}),
            created_at=at,
        )
        .on_conflict_do_nothing()
    )
    return True


async def record_finding(
    session: AsyncSession, request_id: UUID, received: bool, note: str | None, by: UUID, at: datetime
) -> bool:
    """The ward's finding on a delivery waiting for review; False if none waits (decided already, or never marked)."""
    found = await session.execute(
        update(Delivery)
        .where(Delivery.request_id == request_id, Delivery.needs_review)
        .values(
            needs_review=False,
            reviewed_at=at,
            reviewed_by=by,
            review_finding="received" if received else "not_received",
            review_note=note,
        )
        .returning(Delivery.id)
    )
    return found.first() is not None
