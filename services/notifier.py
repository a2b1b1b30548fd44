"""Notification providers, and the dispatcher that hands stored notifications to the provider.

A stage change stores its notifications in the same transaction as the change (an outbox); the dispatcher,
running in every worker process, sends them in batches. So a slow or failing SMS gateway never holds a
request's workflow task, and a request's step costs one transaction instead of two.

Locally the provider logs; a city plugs in its SMS or Zalo gateway behind the same interface.
Messages carry the request code, never a phone or ID number; they may quote a reason an official typed,
so their text is logged in development only.
"""

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Protocol
from uuid import UUID

from sqlalchemy import select, text, update

from common.settings import get_settings
from db.base import transaction
from db.notifications import Notification

log = logging.getLogger("ansinh.notifications")


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


# One dispatcher at a time across all worker processes: batches taken side by side could send a request's
# second message before its first.
_DISPATCHER_LOCK = text("SELECT pg_try_advisory_xact_lock(hashtextextended('ansinh:notification-dispatcher', 0))")


async def dispatch_batch(limit: int = 500) -> tuple[int, int]:
    """Sends up to `limit` unsent notifications, oldest first; returns (sent, kept back for the next round).

    A notification is marked sent in the transaction that hands it over, so a crash before the commit sends
    it again (at least once, never lost). When the provider fails for one, that request's later messages wait
    too, so each person's messages keep their order; other requests' messages still go.
    """
    async with transaction() as session:
        if not await session.scalar(_DISPATCHER_LOCK):
            return 0, 0  # another process is dispatching
        pending = (
            await session.scalars(
                select(Notification)
                .where(Notification.sent_at.is_(None))
                .order_by(Notification.created_at, Notification.seq, Notification.audience)
                .limit(limit)
            )
        ).all()
        sent: list[UUID] = []
        held: set[UUID] = set()
        for notification in pending:
            if notification.request_id in held:
                continue
            try:
                await _provider.send(notification)
            except Exception:
                # No message text or address in the log: the id is enough to find it.
                log.warning("notification %s not sent; kept for the next round", notification.id, exc_info=True)
                held.add(notification.request_id)
            else:
                sent.append(notification.id)
        if sent:
            await session.execute(
                update(Notification)
                .where(Notification.id.in_(sent))
                .values(sent_at=datetime.now(UTC))
                .execution_options(synchronize_session=False)
            )
        return len(sent), len(pending) - len(sent)


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
