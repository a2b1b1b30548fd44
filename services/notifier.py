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
    """Hands the request's unsent notifications to the provider; runs after the writing transaction.

    Marked sent and handed over in one transaction: a provider that fails rolls the marks back, so the next
    step of the request (or its retry) sends them again.
    """
    async with transaction() as session:
        unsent = (
            select(Notification.id)
            .where(Notification.request_id == request_id, Notification.sent_at.is_(None))
            .with_for_update(skip_locked=True)
        )
        pending = (
            await session.scalars(
                update(Notification)
                .where(Notification.id.in_(unsent.scalar_subquery()))
                .values(sent_at=datetime.now(UTC))
                .returning(Notification)
                .execution_options(synchronize_session=False)  # nothing of these is loaded in this session
            )
        ).all()
        for notification in sorted(pending, key=lambda n: (n.seq, n.audience)):
            await _provider.send(notification)
