"""Goods donated, received and made into bags in one step: for the local stack's demo, the benchmarks and the
tests, which need stock that traces to donations without a person walking each donation through its workflow.

Never a production path: there every donation is announced and received through its workflow. Here the same
services record it (the donor, the donation and its lines; each line received as a lot at the place), so the bags
assembled from it trace back to their donation lines exactly as in production.
"""

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from db.donations import Donation
from db.supply import SupplyPlace
from domain.donations import (
    DonationActor,
    DonationEvent,
    DonationReceipt,
    DonationStage,
    DonationStep,
    DonorKind,
    DonorOrigin,
    Inspection,
    LineReceipt,
    StockDonationInput,
)
from services import donations, kits
from services.supply_seed import ward_point_code

DEMO_DONOR = donations.DonorContact(
    DonorKind.ORGANISATION, DonorOrigin.DOMESTIC, "Nhóm thiện nguyện (demo)", "+84900000000"
)


async def donated_goods(
    session: AsyncSession, code: str, place_code: str, goods: dict[str, Decimal], expires_on: date
) -> uuid.UUID:
    """A donation of these goods, announced and received whole at the place, each line a lot there; returns the
    donation's id. The code names it: the same code again writes nothing more."""
    place = await session.get(SupplyPlace, place_code)
    if place is None or place.district_code is None:
        raise LookupError(f"no place {place_code}")
    donation_id = uuid.uuid5(uuid.NAMESPACE_URL, f"an-sinh-demo-donation:{code}")
    donation_code = f"DEMO-{donation_id.hex[:10].upper()}"
    existing = await session.get(Donation, donation_id)
    lines = [donations.NewLine(uuid.uuid5(donation_id, item), item, q, expires_on, None) for item, q in goods.items()]
    now = datetime.now(UTC)
    if existing is None:
        await donations.record_announcement(
            session,
            donation_id=donation_id,
            code=donation_code,
            donor=DEMO_DONOR,
            place=place,
            district_code=place.district_code,
            expected_on=now.date(),
            lines=lines,
            at=now,
        )
    receipt = DonationReceipt(
        actor=DonationActor(),
        lines=tuple(
            LineReceipt(line_id=line.line_id, received_quantity=line.quantity, inspection=Inspection.ACCEPTED,
                        expires_on=expires_on)
            for line in lines
        ),
    )  # fmt: skip
    step = DonationStep(
        donation_id=donation_id,
        code=donation_code,
        seq=2,
        at=now,
        stage=DonationStage.STOCKED,
        event=DonationEvent.STOCKED,
    )
    await donations.stock(session, StockDonationInput(step=step, place_code=place_code, receipt=receipt))
    return donation_id


async def stock_ward_point(session: AsyncSession, code: str, ward_code: str, bags: int, expires_on: date) -> uuid.UUID:
    """Goods for `bags` food bags of the current kit donated to the ward's point, and the bags assembled there;
    returns the bags' lot. Idempotent by code."""
    point = ward_point_code(ward_code)
    _version, lines = await kits.current_kit(session)
    await donated_goods(session, code, point, {item: per_bag * bags for item, per_bag in lines.items()}, expires_on)
    return (await kits.assemble(session, f"{code}:bags", point, bags, actor_id=None)).lot_id
