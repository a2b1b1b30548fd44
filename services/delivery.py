"""Proof of delivery into the ledger, the bag it hands over, and failed attempts; who received a bag when it
was not a member of the household, for the ward's review."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal
from uuid import UUID

from sqlalchemy import ColumnElement, func, select, update
from sqlalchemy.dialects.postgresql import Range, insert
from sqlalchemy.ext.asyncio import AsyncSession

from common.keyed_hash import national_id_hash
from db.deliveries import Delivery, DeliveryAttempt
from db.households import Household, HouseholdMember
from db.requests import ReliefRequest
from db.staff import StaffUser
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
    matches = await recipient_is_member(session, household_id, proof.recipient_national_id)
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
            recipient_relationship=None if matches else proof.recipient_relationship,
            needs_review=not matches,
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


async def recipient_is_member(session: AsyncSession, household_id: UUID, national_id: str) -> bool:
    """Whether the recipient's ID number is one of the household's members' (the proof's whole point)."""
    member = await session.scalar(
        select(HouseholdMember.id).where(
            HouseholdMember.household_id == household_id,
            HouseholdMember.national_id_hash == national_id_hash(national_id),
        )
    )
    return member is not None


@dataclass(frozen=True)
class RecipientReview:
    """What the ward reviews about one request's delivery: whether it is marked, who received it as the courier
    said, and the requests of other households the same ID numbers connect it to."""

    needs_review: bool
    recipient_not_member: bool
    recipient_relationship: str | None
    recipient_national_id_last4: str | None
    # Requests of the household the recipient's ID belongs to, when that is another household.
    recipient_belongs_to: list[str]
    # Other households' requests that one of this household's members received.
    received_for_others: list[str]
    delivered_at: datetime | None = None
    # The household's word that the bag never came, and the ward's finding (services/delivery_findings.py).
    not_received_at: datetime | None = None
    not_received_note: str | None = None
    reviewed_at: datetime | None = None
    reviewer_name: str | None = None
    review_finding: str | None = None
    review_note: str | None = None


async def recipient_review(session: AsyncSession, request_id: UUID, household_id: UUID | None) -> RecipientReview:
    delivery = await session.scalar(select(Delivery).where(Delivery.request_id == request_id))
    belongs_to: list[str] = []
    if delivery is not None and not delivery.recipient_matches_household:
        owner = (
            select(HouseholdMember.household_id)
            .where(HouseholdMember.national_id_hash == delivery.recipient_national_id_hash)
            .scalar_subquery()
        )
        belongs_to = list(
            await session.scalars(
                select(ReliefRequest.code).where(ReliefRequest.household_id == owner).order_by(ReliefRequest.code)
            )
        )
    others: list[str] = []
    if household_id is not None:
        members = select(HouseholdMember.national_id_hash).where(HouseholdMember.household_id == household_id)
        others = list(
            await session.scalars(
                select(ReliefRequest.code)
                .join(Delivery, Delivery.request_id == ReliefRequest.id)
                .where(Delivery.recipient_national_id_hash.in_(members), Delivery.household_id != household_id)
                .order_by(ReliefRequest.code)
            )
        )
    return RecipientReview(
        needs_review=bool(delivery and delivery.needs_review) or bool(others),
        recipient_not_member=delivery is not None and not delivery.recipient_matches_household,
        recipient_relationship=delivery.recipient_relationship if delivery else None,
        recipient_national_id_last4=delivery.recipient_national_id_last4 if delivery else None,
        recipient_belongs_to=belongs_to,
        received_for_others=others,
        delivered_at=delivery.delivered_at if delivery else None,
        not_received_at=delivery.not_received_at if delivery else None,
        not_received_note=delivery.not_received_note if delivery else None,
        reviewed_at=delivery.reviewed_at if delivery else None,
        reviewer_name=await session.scalar(select(StaffUser.full_name).where(StaffUser.id == delivery.reviewed_by))
        if delivery and delivery.reviewed_by
        else None,
        review_finding=delivery.review_finding if delivery else None,
        review_note=delivery.review_note if delivery else None,
    )


async def review_counts(
    session: AsyncSession, scope: ColumnElement[bool], by: Literal["district", "ward"]
) -> dict[str, int]:
    """Deliveries waiting for the ward's review, per district or ward of their requests, in scope."""
    area = ReliefRequest.district_code if by == "district" else ReliefRequest.ward_code
    rows = await session.execute(
        select(area, func.count())
        .select_from(Delivery)
        .join(ReliefRequest, ReliefRequest.id == Delivery.request_id)
        .where(scope, Delivery.needs_review)
        .group_by(area)
    )
    return {r[0]: r[1] for r in rows}
