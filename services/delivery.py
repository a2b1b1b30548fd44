"""Proof of delivery into the ledger, the bag it hands over, and failed attempts."""

from datetime import datetime, timedelta
from uuid import UUID

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import Range, insert
from sqlalchemy.ext.asyncio import AsyncSession

from common.keyed_hash import national_id_hash
from db.deliveries import Delivery, DeliveryAttempt
from db.households import Household, HouseholdMember
from db.requests import ReliefRequest
from domain.messages import DeliveryProof
from domain.refusals import RuleViolation
from domain.stages import RequestKind
from services import stock_ledger


async def record_delivery(
    session: AsyncSession,
    *,
    request_id: UUID,
    household_id: UUID,
    kind: RequestKind,
    proof: DeliveryProof,
    window: timedelta,
    at: datetime,
) -> bool:
    """Writes the delivery once; returns whether the recipient is a known member of the household.

    Holds the household's row lock, as admission does, so a registration cannot read the ledger before
    this commits and the claim after it. (The ledger's foreign key takes a share lock on the row too; this
    says so on purpose instead of relying on it.)
    """
    assert proof.actor.user_id is not None
    await session.execute(select(Household.id).where(Household.id == household_id).with_for_update())
    id_hash = national_id_hash(proof.recipient_national_id)
    member = await session.scalar(
        select(HouseholdMember.id).where(
            HouseholdMember.household_id == household_id, HouseholdMember.national_id_hash == id_hash
        )
    )
    matches = member is not None
    await session.execute(
        insert(Delivery)
        .values(
            request_id=request_id,
            household_id=household_id,
            kind=kind,
            delivered_at=at,
            entitled_period=Range(at, at + window, bounds="[)"),
            courier_id=proof.actor.user_id,
            photo_path=proof.photo_path,
            photo_sha256=proof.photo_sha256,
            recipient_national_id_hash=id_hash,
            recipient_national_id_last4=proof.recipient_national_id[-4:],
            recipient_phone=proof.recipient_phone,
            recipient_matches_household=matches,
            latitude=proof.latitude,
            longitude=proof.longitude,
        )
        .on_conflict_do_nothing(index_elements=["request_id"])
    )
    return matches


async def record_failed_attempt(
    session: AsyncSession, *, request_id: UUID, seq: int, courier_id: UUID, reason: str, attempts: int, at: datetime
) -> None:
    await session.execute(
        insert(DeliveryAttempt)
        .values(request_id=request_id, seq=seq, courier_id=courier_id, reason=reason, occurred_at=at)
        .on_conflict_do_nothing()
    )
    await session.execute(update(ReliefRequest).where(ReliefRequest.id == request_id).values(attempts=attempts))


async def issue_held_bag(session: AsyncSession, request_code: str, courier_id: UUID) -> None:
    """The bag the request holds leaves the ward point's stock, named for the request; issued again, nothing moves.
    A request that believes it holds a bag the ledger does not know is a broken rule, not a passing failure."""
    if await stock_ledger.issue_bag(session, request_code, actor_id=courier_id) is None:
        raise RuleViolation("the request holds no bag at its ward's point to issue")
