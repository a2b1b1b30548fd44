"""Retention: closed requests' personal data is purged after `RETENTION_PERIOD`; the counts stay.

A purged request keeps its code, kind, ward, district, stage, dates and events, so every dashboard and
count reads the same; its applicant's name, phone, address and identity hashes, the recipient's identity,
the delivery photo and GPS, and free-text reasons are gone. A household whose every request is purged,
which holds no entitlement still running and is not on its ward's verified list, loses its members and
address too (its anonymous id stays, for the counts).

`python -m services.retention [--dry-run]` runs it; schedule it daily.
"""

import argparse
import asyncio
import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import UUID

from sqlalchemy import delete, exists, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from db.audit import AuditEntry
from db.deliveries import Delivery, DeliveryAttempt
from db.households import Household, HouseholdMember, WardVerifiedHousehold
from db.notifications import Notification
from db.requests import ReliefRequest, RequestEvent
from db.retention import RetentionPurge
from domain.stages import FINAL_STAGES
from services.photos import delete_photo
from services.rate_limits import forget_old_windows

log = logging.getLogger("ansinh.retention")
BATCH = 500


@dataclass(frozen=True)
class PurgeReport:
    requests: int
    photos: int
    households: int


async def due_for_purge(session: AsyncSession, period: timedelta, now: datetime, limit: int = BATCH) -> list[UUID]:
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
        return PurgeReport(0, 0, 0)
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
            latitude=None,
            longitude=None,
        )
    )
    # Free text typed by people (reasons, messages quoting them) may name someone.
    await session.execute(update(DeliveryAttempt).where(DeliveryAttempt.request_id.in_(ids)).values(reason=""))
    await session.execute(update(RequestEvent).where(RequestEvent.request_id.in_(ids)).values(detail={}))
    await session.execute(update(Notification).where(Notification.request_id.in_(ids)).values(message=""))
    await session.execute(insert(RetentionPurge), [{"request_id": i, "purged_at": now} for i in ids])
    households = await _purge_households(session, ids, now)
    for path in photos:
        if path:
            await asyncio.to_thread(delete_photo, photo_dir, path)
    return PurgeReport(len(ids), sum(1 for p in photos if p), households)


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


async def purge_due(session: AsyncSession, period: timedelta, photo_dir: Path, now: datetime) -> PurgeReport:
    """One batch: the oldest closed requests past the period. Call until it reports 0 requests."""
    report = await purge_requests(session, await due_for_purge(session, period, now), photo_dir, now)
    await forget_old_windows(session, now)
    if report.requests:
        session.add(
            AuditEntry(
                actor_role="system",
                action="retention_purge",
                detail={"requests": report.requests, "photos": report.photos, "households": report.households},
            )
        )
    return report


async def _main(dry_run: bool) -> None:
    from common.settings import get_settings
    from db.base import transaction

    settings = get_settings()
    now = datetime.now(UTC)
    total = 0
    while True:
        async with transaction() as session:
            if dry_run:
                due = await due_for_purge(session, settings.retention_period, now, limit=1_000_000)
                print(f"{len(due)} closed requests are older than {settings.retention_period} and would be purged")
                return
            report = await purge_due(session, settings.retention_period, settings.photo_dir, now)
        total += report.requests
        if report.requests < BATCH:
            break
    print(f"purged the personal data of {total} closed requests older than {settings.retention_period}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="python -m services.retention", description=__doc__)
    parser.add_argument("--dry-run", action="store_true", help="only count what would be purged")
    asyncio.run(_main(parser.parse_args().dry_run))
