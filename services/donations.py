"""A donation's records: written when it is announced, then at each step of its workflow.

Every step is keyed by the donation and the workflow's seq, so a retried activity writes nothing twice: a stage
change is written only over an older one (`stage_seq`), a notification once per (donation, seq, audience), and the
stocking step's movements by keys derived from the donation's code and the line (services.stock_ledger). The
stocking step writes the counts, the lots and the stage in one transaction: all of a receipt, or nothing.
"""

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from common.city_time import vn_date
from common.keyed_hash import phone_hash
from db.donations import Donation, DonationLine, Donor
from db.notifications import Notification
from db.supply import SupplyPlace
from domain.donations import (
    DonationAnswer,
    DonationEvent,
    DonationStage,
    DonationStep,
    DonorKind,
    DonorOrigin,
    Inspection,
    StockDonationInput,
)
from domain.refusals import RuleViolation
from services import stock_ledger
from services.notices import notice
from texts import Lang, normalise_lang

DONOR_AUDIENCE = "donor"


@dataclass(frozen=True)
class DonorContact:
    kind: DonorKind
    origin: DonorOrigin
    name: str
    phone: str  # normalised (E.164)
    contact_name: str | None = None
    email: str | None = None


@dataclass(frozen=True)
class NewLine:
    line_id: uuid.UUID
    item_code: str
    quantity: Decimal
    expires_on: date | None
    estimated_value_vnd: int | None


async def record_announcement(
    session: AsyncSession,
    *,
    donation_id: uuid.UUID,
    code: str,
    donor: DonorContact,
    place: SupplyPlace,
    district_code: str,
    expected_on: date,
    lines: list[NewLine],
    at: datetime,
    lang: Lang = "vi",
) -> None:
    """The donor, the donation and its lines, and the donor's first message (seq 1), in the caller's transaction;
    `lang`: the donor's, for every message about this donation."""
    donor_id = uuid.uuid4()
    session.add(
        Donor(
            id=donor_id,
            kind=donor.kind.value,
            origin=donor.origin.value,
            name=donor.name,
            contact_name=donor.contact_name,
            contact_phone=donor.phone,
            contact_email=donor.email,
            phone_hash=phone_hash(donor.phone),
        )
    )
    await session.flush()
    session.add(
        Donation(
            id=donation_id,
            code=code,
            donor_id=donor_id,
            place_code=place.code,
            district_code=district_code,
            expected_on=expected_on,
            lang=lang,
            stage=DonationStage.ANNOUNCED.value,
            stage_seq=1,
            announced_at=at,
        )
    )
    await session.flush()
    session.add_all(
        DonationLine(
            id=line.line_id,
            donation_id=donation_id,
            line_no=number,
            item_code=line.item_code,
            announced_quantity=line.quantity,
            expires_on=line.expires_on,
            estimated_value_vnd=line.estimated_value_vnd,
        )
        for number, line in enumerate(lines, start=1)
    )
    step = DonationStep(
        donation_id=donation_id, code=code, seq=1, at=at, stage=DonationStage.ANNOUNCED, event=DonationEvent.ANNOUNCED
    )
    await _notify_donor(session, step, place.name, expected_on, lang)
    await session.flush()


async def record_step(session: AsyncSession, step: DonationStep) -> bool:
    """A timer's step (a reminder, the expiry) or the donor's cancellation: the stage, if it changes, and the
    donor's message. False when a retry finds it written already."""
    donation = await _locked(session, step.donation_id)
    if donation.stage_seq >= step.seq:
        return False
    if donation.stage != DonationStage.ANNOUNCED.value:
        raise RuleViolation(f"donation {step.code} is {donation.stage}: no {step.event.value} now")
    values: dict[str, object] = {"stage": step.stage.value, "stage_seq": step.seq}
    if step.stage.is_final:
        values["closed_at"] = step.at
    await session.execute(update(Donation).where(Donation.id == donation.id).values(**values))
    await _notify_donor(
        session, step, await _place_name(session, donation.place_code), donation.expected_on, donation.lang
    )
    return True


async def stock(session: AsyncSession, inp: StockDonationInput) -> DonationAnswer:
    """The receipt: each line's counts and inspection, a lot for each accepted line (received at the place), the
    donation's stage and the donor's message, in the caller's transaction. A retry answers what was written."""
    step = inp.step
    donation = await _locked(session, step.donation_id)
    lines = {
        line.id: line
        for line in (await session.scalars(select(DonationLine).where(DonationLine.donation_id == donation.id))).all()
    }
    if donation.stage_seq >= step.seq:
        accepted = sum(1 for line in lines.values() if line.inspection == Inspection.ACCEPTED.value)
        return DonationAnswer(stage=DonationStage(donation.stage), lots=accepted)
    if donation.stage != DonationStage.ANNOUNCED.value:
        raise RuleViolation(f"donation {step.code} is {donation.stage}: it cannot be received now")
    if {line.line_id for line in inp.receipt.lines} != set(lines):
        raise RuleViolation(f"the receipt of donation {step.code} does not cover its lines")
    actor_id = inp.receipt.actor.user_id
    lots = 0
    for receipt in inp.receipt.lines:
        line = lines[receipt.line_id]
        if line.inspection is not None:
            raise RuleViolation(f"line {line.line_no} of donation {step.code} was received already")
        # The lot first: the line's row is flushed with its lot, as its check wants.
        if receipt.inspection == Inspection.ACCEPTED:
            line.lot_id = await stock_ledger.receive(
                session,
                receipt_key(step.code, line.line_no),
                inp.place_code,
                line.item_code,
                receipt.received_quantity,
                receipt.expires_on,
                donation_line_id=line.id,
                actor_id=actor_id,
            )
            lots += 1
        else:
            line.rejection_reason = receipt.rejection_reason
        line.received_quantity = receipt.received_quantity
        line.inspection = receipt.inspection.value
    await session.flush()
    await session.execute(
        update(Donation)
        .where(Donation.id == donation.id)
        .values(
            stage=step.stage.value,
            stage_seq=step.seq,
            received_at=step.at,
            received_by=actor_id,
            closed_at=step.at,
        )
    )
    await _notify_donor(
        session, step, await _place_name(session, donation.place_code), donation.expected_on, donation.lang
    )
    return DonationAnswer(stage=step.stage, lots=lots)


def receipt_key(code: str, line_no: int) -> str:
    """The ledger key of a received line: the same line of the same donation is one lot and one movement."""
    return f"donation:{code}:{line_no}"


async def _locked(session: AsyncSession, donation_id: uuid.UUID) -> Donation:
    return (await session.execute(select(Donation).where(Donation.id == donation_id).with_for_update())).scalar_one()


async def _place_name(session: AsyncSession, place_code: str) -> str:
    return (await session.execute(select(SupplyPlace.name).where(SupplyPlace.code == place_code))).scalar_one()


async def _notify_donor(session: AsyncSession, step: DonationStep, place: str, expected_on: date, lang: str) -> None:
    values = {"code": step.code, "place": place, "day": vn_date(expected_on)}
    message = notice(normalise_lang(lang), f"notice.donor.{step.event.value}", values)
    await session.execute(
        insert(Notification)
        .values(
            id=uuid.uuid4(),
            donation_id=step.donation_id,
            seq=step.seq,
            audience=DONOR_AUDIENCE,
            event=step.event.value,
            message=message,
            created_at=step.at,
        )
        .on_conflict_do_nothing()
    )
