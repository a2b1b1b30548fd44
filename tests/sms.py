"""Reading the one-time codes the local SMS provider put in its outbox (the gateway a test stands in for)."""

import re

from sqlalchemy import select

from common.keyed_hash import phone_hash
from db.base import transaction
from db.otp import SmsOutbox


async def last_code_sent_to(phone_e164: str) -> str | None:
    async with transaction() as session:
        message = await session.scalar(
            select(SmsOutbox.message)
            .where(SmsOutbox.phone_hash == phone_hash(phone_e164))
            .order_by(SmsOutbox.id.desc())
            .limit(1)
        )
    found = re.search(r"\b(\d{6})\b", message or "")
    return found.group(1) if found else None
