"""What people read about donations: one donation with its lines, and the donations due at a place."""

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.donations import Donation, DonationLine
from db.supply import SupplyItem, SupplyPlace
from domain.donations import DonationStage


@dataclass(frozen=True)
class DonationRecord:
    donation: Donation
    place: SupplyPlace
    lines: list[tuple[DonationLine, SupplyItem]]


async def donation_by_code(session: AsyncSession, code: str) -> DonationRecord | None:
    row = (
        await session.execute(
            select(Donation, SupplyPlace)
            .join(SupplyPlace, SupplyPlace.code == Donation.place_code)
            .where(Donation.code == code)
        )
    ).first()
    if row is None:
        return None
    donation, place = row
    lines = (
        await session.execute(
            select(DonationLine, SupplyItem)
            .join(SupplyItem, SupplyItem.code == DonationLine.item_code)
            .where(DonationLine.donation_id == donation.id)
            .order_by(DonationLine.line_no)
        )
    ).all()
    return DonationRecord(donation, place, [(line, item) for line, item in lines])


@dataclass(frozen=True)
class DueDonation:
    code: str
    stage: DonationStage
    expected_on: date
    lines: int
    items: list[str]


async def due_at_place(session: AsyncSession, place_code: str, limit: int = 100) -> list[DueDonation]:
    """Announced donations expected at the place, the earliest day first."""
    rows = (
        await session.execute(
            select(
                Donation.code,
                Donation.stage,
                Donation.expected_on,
                func.count(DonationLine.id),
                func.array_agg(DonationLine.item_code.distinct()),
            )
            .join(DonationLine, DonationLine.donation_id == Donation.id)
            .where(Donation.place_code == place_code, Donation.stage == DonationStage.ANNOUNCED.value)
            .group_by(Donation.id)
            .order_by(Donation.expected_on, Donation.code)
            .limit(limit)
        )
    ).all()
    return [DueDonation(code, DonationStage(stage), day, n, sorted(items)) for code, stage, day, n, items in rows]


async def place(session: AsyncSession, place_code: str) -> SupplyPlace | None:
    return await session.get(SupplyPlace, place_code)


async def items(session: AsyncSession, codes: set[str]) -> dict[str, SupplyItem]:
    rows = (await session.scalars(select(SupplyItem).where(SupplyItem.code.in_(codes)))).all()
    return {item.code: item for item in rows}


async def donation_id_of(session: AsyncSession, code: str) -> uuid.UUID | None:
    return await session.scalar(select(Donation.id).where(Donation.code == code))
