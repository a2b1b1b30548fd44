"""Retention: closed requests' personal data is purged after `RETENTION_PERIOD`; the counts stay.

A purged request keeps its code, kind, ward, district, stage, dates and events, so every dashboard and
count reads the same; its applicant's name, phone, address and identity hashes, the recipient's identity,
the delivery photo and GPS, a cash need's account and holder, the private messages about its pledges, and
free-text reasons and notes are gone. A household whose every request is purged, which holds no entitlement
still running and is not on its ward's verified list, loses its members and address too (its anonymous id stays,
for the counts).

A donor whose every donation closed more than the period ago loses their name and contact, and the messages
sent to them their text; the donations, their lines and lots stay, so every bag still traces to them. A community
helper whose every pledge ended that long ago loses their phone and name; the pledges stay. A helper account that
acts for a help group (pending, verified or suspended) is the group's, and stays while the group does.

An emergency that ended (confirmed, closed or hidden) more than the period ago loses its poster's phone, its address,
exact point and description, the notes and reasons typed on it and its notices' text; what it was, where on the map
(its public point and ward), its states, claimer and times stay, so the dashboard and the help groups' pages count
it still.

A Temporal Schedule runs it daily, a batch per transaction (workflows/retention.py, common/schedules.py).
"""

from datetime import datetime, timedelta
from pathlib import Path
from uuid import UUID

from sqlalchemy import String, cast, delete, exists, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from db.audit import AuditEntry
from db.cash import CashNeed, CommunityHelper, Pledge
from db.deliveries import Delivery, DeliveryAttempt
from db.donations import Donation, Donor
from db.emergencies import Emergency, EmergencyEventRow
from db.help_groups import HelpGroup, HelpGroupAccount
from db.households import Household, HouseholdMember, WardVerifiedHousehold
from db.notifications import Notification
from db.requests import ReliefRequest, RequestEvent
from db.retention import RetentionPurge
from domain.emergency import FINAL_EMERGENCY_STATES
from domain.help_groups import GroupState
from domain.private_messages import SubjectKind
from domain.retention import PurgeReport
from domain.stages import FINAL_STAGES
from services import message_threads, photo_uses
from services.rate_limits import forget_old_windows

# A purged helper's phone hash: unique like a real one, and never equal to one.
PURGED = "purged:"


async def due_for_purge(session: AsyncSession, period: timedelta, now: datetime, limit: int) -> list[UUID]:
    purged = exists().where(RetentionPurge.request_id == ReliefRequest.id)
    rows = await session.scalars(
        select(ReliefRequest.id)
        .where(
            ReliefRequest.stage.in_([s.value for s in FINAL_STAGES]),
            ReliefRequest.closed_at < now - period,
            ~purged,
        )
        .order_by(ReliefRequest.closed_at)
        .limit(limit)
    )
    return list(rows)


async def purge_requests(session: AsyncSession, ids: list[UUID], photo_dir: Path, now: datetime) -> PurgeReport:
    if not ids:
        return PurgeReport()
    photos = list(await session.scalars(select(Delivery.photo_path).where(Delivery.request_id.in_(ids))))
    await session.execute(
        update(ReliefRequest)
        .where(ReliefRequest.id.in_(ids))
        .values(
            applicant_name="", applicant_national_id_hash="", applicant_phone_hash="", applicant_phone="", address=""
        )
    )
    await session.execute(
        update(Delivery)
        .where(Delivery.request_id.in_(ids))
        .values(
            photo_path="",
            recipient_national_id_hash="",
            recipient_national_id_last4="",
            recipient_phone="",
            recipient_relationship=None,
            latitude=None,
            longitude=None,
        )
    )
    # Free text typed by people (reasons, messages quoting them) may name someone.
    await session.execute(update(DeliveryAttempt).where(DeliveryAttempt.request_id.in_(ids)).values(reason=""))
    await session.execute(update(RequestEvent).where(RequestEvent.request_id.in_(ids)).values(detail={}))
    await session.execute(update(Notification).where(Notification.request_id.in_(ids)).values(message=""))
    await _purge_cash(session, ids)
    await session.execute(insert(RetentionPurge), [{"request_id": i, "purged_at": now} for i in ids])
    households = await _purge_households(session, ids, now)
    deleted = await photo_uses.delete_unnamed(session, photo_dir, photos)
    return PurgeReport(requests=len(ids), photos=deleted, households=households)


async def _purge_cash(session: AsyncSession, ids: list[UUID]) -> None:
    """A cash need's payout account and holder, what households and wards wrote on its pledges, the messages
    about them and the private messages between the household and its helpers; the amounts stay (the dashboards'
    cash figures)."""
    await session.execute(
        update(CashNeed).where(CashNeed.request_id.in_(ids)).values(account_number="", account_hash="", holder_name="")
    )
    pledges = select(Pledge.id).where(Pledge.request_id.in_(ids))
    await session.execute(update(Pledge).where(Pledge.id.in_(pledges)).values(note=None))
    await session.execute(update(Notification).where(Notification.pledge_id.in_(pledges)).values(message=""))
    await message_threads.purge(session, SubjectKind.PLEDGE.value, pledges)


async def _purge_households(session: AsyncSession, ids: list[UUID], now: datetime) -> int:
    candidates = select(ReliefRequest.household_id).where(
        ReliefRequest.id.in_(ids), ReliefRequest.household_id.is_not(None)
    )
    unpurged_request = exists().where(
        ReliefRequest.household_id == Household.id,
        ~exists().where(RetentionPurge.request_id == ReliefRequest.id),
    )
    running_entitlement = exists().where(
        Delivery.household_id == Household.id, func.upper(Delivery.entitled_period) > now
    )
    verified = exists().where(WardVerifiedHousehold.household_id == Household.id)
    households = list(
        await session.scalars(
            select(Household.id).where(Household.id.in_(candidates), ~unpurged_request, ~running_entitlement, ~verified)
        )
    )
    if households:
        await session.execute(delete(HouseholdMember).where(HouseholdMember.household_id.in_(households)))
        await session.execute(
            update(Household).where(Household.id.in_(households)).values(address="", address_key="", phone_hash=None)
        )
    return len(households)


async def purge_donors(session: AsyncSession, period: timedelta, now: datetime, limit: int) -> int:
    """Donors not yet purged whose every donation closed more than the period ago."""
    still_needed = exists().where(
        Donation.donor_id == Donor.id, (Donation.closed_at.is_(None)) | (Donation.closed_at >= now - period)
    )
    donors = list(
        await session.scalars(
            select(Donor.id).where(Donor.phone_hash != "", ~still_needed).order_by(Donor.created_at).limit(limit)
        )
    )
    if not donors:
        return 0
    await session.execute(
        update(Donor)
        .where(Donor.id.in_(donors))
        .values(name="", contact_name=None, contact_phone="", contact_email=None, phone_hash="")
    )
    donations = select(Donation.id).where(Donation.donor_id.in_(donors))
    await session.execute(update(Notification).where(Notification.donation_id.in_(donations)).values(message=""))
    return len(donors)


async def purge_helpers(session: AsyncSession, period: timedelta, now: datetime, limit: int) -> int:
    """Community helpers who signed in more than the period ago and whose every pledge ended that long ago lose
    their phone and name; their pledges stay (the needs' totals), and the phone may sign in again as a new helper."""
    still_needed = exists().where(
        Pledge.helper_id == CommunityHelper.id, (Pledge.closed_at.is_(None)) | (Pledge.closed_at >= now - period)
    )
    # The phone a help group signs in with is the group's account while the group is not refused.
    acts_for_a_group = exists().where(
        HelpGroupAccount.helper_id == CommunityHelper.id,
        HelpGroupAccount.group_id == HelpGroup.id,
        HelpGroup.state != GroupState.REFUSED.value,
    )
    helpers = list(
        await session.scalars(
            select(CommunityHelper.id)
            .where(
                ~CommunityHelper.phone_hash.startswith(PURGED),
                CommunityHelper.created_at < now - period,
                ~still_needed,
                ~acts_for_a_group,
            )
            .order_by(CommunityHelper.created_at)
            .limit(limit)
        )
    )
    if helpers:
        await session.execute(
            update(CommunityHelper)
            .where(CommunityHelper.id.in_(helpers))
            .values(phone="", display_name="", phone_hash=PURGED + cast(CommunityHelper.id, String))
        )
    return len(helpers)


async def purge_emergencies(
    session: AsyncSession, period: timedelta, now: datetime, limit: int, photo_dir: Path
) -> int:
    """Emergencies that ended more than the period ago lose the poster's phone, the address, the point, the
    description, the fulfilment's photo, the notes and reasons typed on them, their notices' text and their
    conversations' messages; their
    category, urgency, ward, public point, states, claimer and times stay (the dashboard's figures and the help
    groups' counts)."""
    ended = list(
        await session.scalars(
            select(Emergency.id)
            .where(
                Emergency.state.in_([s.value for s in FINAL_EMERGENCY_STATES]),
                Emergency.closed_at < now - period,
                Emergency.purged_at.is_(None),
            )
            .order_by(Emergency.closed_at)
            .limit(limit)
        )
    )
    if not ended:
        return 0
    photos = list(
        await session.scalars(
            select(Emergency.fulfilment_photo_path).where(
                Emergency.id.in_(ended), Emergency.fulfilment_photo_path.is_not(None)
            )
        )
    )
    await session.execute(
        update(Emergency)
        .where(Emergency.id.in_(ended))
        .values(
            description="",
            address="",
            exact_point=None,
            poster_phone="",
            poster_phone_hash="",
            household_id=None,
            fulfilment_note=None,
            close_reason=None,
            fulfilment_photo_path=None,
            fulfilment_photo_sha256=None,
            purged_at=now,
        )
    )
    await session.execute(
        update(EmergencyEventRow)
        .where(EmergencyEventRow.emergency_id.in_(ended), EmergencyEventRow.note.is_not(None))
        .values(note=None)
    )
    await session.execute(update(Notification).where(Notification.emergency_id.in_(ended)).values(message=""))
    await message_threads.purge(
        session, SubjectKind.EMERGENCY.value, select(Emergency.id).where(Emergency.id.in_(ended))
    )
    await photo_uses.delete_unnamed(session, photo_dir, photos)  # the rows first: no row outlives its file
    return len(ended)


async def purge_due(
    session: AsyncSession, period: timedelta, photo_dir: Path, now: datetime, limit: int
) -> PurgeReport:
    """One batch: the oldest closed requests past the period, and as many donors, helpers and emergencies. Call
    until it is not full."""
    report = await purge_requests(session, await due_for_purge(session, period, now, limit), photo_dir, now)
    report += PurgeReport(
        donors=await purge_donors(session, period, now, limit),
        helpers=await purge_helpers(session, period, now, limit),
        emergencies=await purge_emergencies(session, period, now, limit, photo_dir),
    )
    await forget_old_windows(session, now)
    if report.requests or report.donors or report.helpers or report.emergencies:
        session.add(
            AuditEntry(
                actor_role="system",
                action="retention_purge",
                detail=report.model_dump(),
            )
        )
    return report
