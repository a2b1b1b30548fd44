"""Notification providers, and the dispatcher that hands stored notifications to the provider.

A stage change stores its notifications in the same transaction as the change (an outbox); dispatchers, one
in every worker process, send them in batches. So a slow or failing SMS gateway never holds a request's
workflow task, and a request's step costs one transaction instead of two.

A dispatcher never keeps a transaction open while the provider works: it claims a batch under a lease
(`claim_id`, `claimed_until`) in a short transaction, sends with none open, then marks what was sent in
another. One that dies mid-batch leaves its lease to run out, and another sends what it had not marked sent:
at least once, never lost. Each request's messages keep their order: a claim takes no request that has an
unsent message under a live lease, claims are made one at a time, and a message the provider refuses holds
back that request's later ones until the next round.

Locally the provider logs; a city plugs in its SMS or Zalo gateway behind the same interface.
Messages carry the request code, never a phone or ID number; they may quote a reason an official typed,
so their text is logged in development only.
"""

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Collection
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Protocol
from uuid import UUID, uuid4

from sqlalchemy import Update, exists, func, or_, select, text, update
from sqlalchemy.orm import aliased

from common.settings import get_settings
from db.base import transaction
from db.notifications import Notification

log = logging.getLogger("ansinh.notifications")

# Long enough for a batch through a slow gateway; a dispatcher renews it as it goes (every third of it).
LEASE = timedelta(seconds=60)


class NotificationProvider(Protocol):
    async def send(self, notification: Notification) -> None: ...


class LoggingProvider:
    async def send(self, notification: Notification) -> None:
        text = notification.message if get_settings().environment == "development" else "(text not logged)"
        log.info("notify %s/%s %s: %s", notification.audience, notification.unit_code or "-", notification.event, text)


_provider: NotificationProvider = LoggingProvider()


def set_provider(provider: NotificationProvider) -> None:
    global _provider
    _provider = provider


# Held for the claim's few milliseconds, never while sending: two claims made side by side could each take
# part of one request's messages and send them out of order.
_ONE_CLAIM_AT_A_TIME = text("SELECT pg_advisory_xact_lock(hashtextextended('ansinh:notification-claims', 0))")
_OTHER = aliased(Notification)
# An unsent message of the same request, donation, pledge, thread or emergency (this one included) is under a live
# lease: another dispatcher owns it.
_REQUEST_LEASED = exists().where(
    or_(
        _OTHER.request_id == Notification.request_id,
        _OTHER.donation_id == Notification.donation_id,
        _OTHER.pledge_id == Notification.pledge_id,
        _OTHER.thread_id == Notification.thread_id,
        _OTHER.emergency_id == Notification.emergency_id,
    ),
    _OTHER.sent_at.is_(None),
    _OTHER.claimed_until > func.clock_timestamp(),
)


def _claim(claim_id: UUID, limit: int, lease: timedelta) -> Update:
    claimable = (
        select(Notification.id)
        .where(Notification.sent_at.is_(None), ~_REQUEST_LEASED)
        .order_by(Notification.created_at, Notification.seq, Notification.audience)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return (
        update(Notification)
        .where(Notification.id.in_(claimable.scalar_subquery()))
        .values(claim_id=claim_id, claimed_until=func.clock_timestamp() + lease)
        .returning(Notification)
        .execution_options(synchronize_session=False)
    )


async def claim_batch(limit: int, lease: timedelta = LEASE) -> tuple[UUID, list[Notification]]:
    """Claims up to `limit` unsent notifications, oldest first, and commits: (the claim's id, the batch in order)."""
    claim_id = uuid4()
    async with transaction() as session:
        await session.execute(_ONE_CLAIM_AT_A_TIME)
        batch = (await session.scalars(_claim(claim_id, limit, lease))).all()
    return claim_id, sorted(batch, key=lambda n: (n.created_at, n.seq, n.audience))


async def _settle(claim_id: UUID, sent: Collection[UUID], renew: timedelta | None) -> set[UUID]:
    """Marks `sent` sent; then renews the claim's lease on the rest (returning what is still ours: a lease that
    ran out may have been taken), or, with `renew` None, gives the rest back for the next round."""
    async with transaction() as session:
        if sent:
            await session.execute(
                update(Notification)
                .where(Notification.id.in_(sent))
                .values(sent_at=func.now())
                .execution_options(synchronize_session=False)
            )
        rest = update(Notification).where(Notification.claim_id == claim_id, Notification.sent_at.is_(None))
        if renew is None:
            await session.execute(rest.values(claim_id=None, claimed_until=None))
            return set()
        return set(await session.scalars(rest.values(claimed_until=func.now() + renew).returning(Notification.id)))


async def dispatch_batch(limit: int = 500, lease: timedelta = LEASE) -> tuple[int, int]:
    """Sends up to `limit` unsent notifications, oldest first; returns (sent, kept back for the next round).

    When the provider fails for one, that request's later messages wait too, so each person's messages keep
    their order; other requests' messages still go.
    """
    claim_id, batch = await claim_batch(limit, lease)
    sent: list[UUID] = []
    held: set[UUID] = set()
    ours = {n.id for n in batch}
    settled = 0  # how many of `sent` are marked sent already
    renew_at = time.monotonic() + lease.total_seconds() / 3
    try:
        for notification in batch:
            if time.monotonic() >= renew_at:
                ours = await _settle(claim_id, sent[settled:], renew=lease)
                settled = len(sent)
                renew_at = time.monotonic() + lease.total_seconds() / 3
            # Held back behind a refused one, or taken by another dispatcher after our lease ran out.
            if notification.subject_id in held or notification.id not in ours:
                continue
            try:
                await _provider.send(notification)
            except Exception:
                # No message text or address in the log: the id is enough to find it.
                log.warning("notification %s not sent; kept for the next round", notification.id, exc_info=True)
                if notification.subject_id is not None:  # a message about stock keeps no order with others
                    held.add(notification.subject_id)
            else:
                sent.append(notification.id)
    finally:
        await _settle(claim_id, sent[settled:], renew=None)
    return len(sent), len(batch) - len(sent)


@asynccontextmanager
async def dispatching(batch: int = 500, pause: float = 0.2, failure_pause: float = 5.0) -> AsyncIterator[None]:
    """Runs the dispatcher in the background for the block. A full batch is followed at once by the next;
    otherwise it waits `pause` (so messages go out within it, a few per transaction), or `failure_pause` after
    a failure (a gateway that is down is not pressed)."""

    async def loop() -> None:
        while True:
            try:
                sent, kept = await dispatch_batch(batch)
            except Exception:  # the database restarting, say: the messages stay stored, try again later
                log.warning("notification dispatch failed; retrying", exc_info=True)
                sent, kept = 0, 1
            if kept:
                await asyncio.sleep(failure_pause)
            elif sent < batch:
                await asyncio.sleep(pause)

    task = asyncio.create_task(loop(), name="notification-dispatcher")
    try:
        yield
    finally:
        task.cancel()
        try:
            await task
        except asyncio.CancelledError:
            pass
