"""SMS providers: how a one-time code reaches a citizen's phone.

A city plugs in its gateway behind `SmsProvider`. The local provider writes to the `sms_outbox` table,
which is how a developer (or a test) reads the code; it logs the code only in development, and never the
phone number.
"""

import logging
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from common.keyed_hash import phone_hash
from common.settings import get_settings
from db.otp import SmsOutbox
from domain.identity import mask_phone

log = logging.getLogger("ansinh.sms")


class SmsProvider(Protocol):
    async def send(self, session: AsyncSession, phone_e164: str, message: str) -> None: ...


class LocalOutboxProvider:
    async def send(self, session: AsyncSession, phone_e164: str, message: str) -> None:
        session.add(SmsOutbox(phone_hash=phone_hash(phone_e164), phone=phone_e164, message=message))
        if get_settings().environment == "development":
            log.info("SMS to %s: %s", mask_phone(phone_e164), message)


_provider: SmsProvider = LocalOutboxProvider()


def provider() -> SmsProvider:
    return _provider


def set_provider(new: SmsProvider) -> None:
    global _provider
    _provider = new
