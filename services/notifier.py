"""Notification providers: how a stored notification reaches a person.

Locally the provider logs; a city plugs in its SMS or Zalo gateway behind the same interface.
Messages carry the request code, never a phone or ID number; they may quote a reason an official typed,
so their text is logged in development only.
"""

import logging
from datetime import UTC, datetime
from typing import Protocol
from uuid import UUID

from sqlalchemy import select, update

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


async def deliver_pending(request_id: UUID) -> None:
    """Hands the request's unsent notifications to the provider; runs after the writing transaction."""
    async with transaction() as session:
        pending = (
            await session.scalars(
                select(Notification)
                .where(Notification.request_id == request_id, Notification.sent_at.is_(None))
                .with_for_update(skip_locked=True)
            )
        ).all()
        for notification in pending:
            await _provider.send(notification)
        if pending:
            await session.execute(
                update(Notification)
                .where(Notification.id.in_([n.id for n in pending]))
                .values(sent_at=datetime.now(UTC))
            )
