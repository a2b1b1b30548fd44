"""Community helpers: a person, or a registered help group, known by the phone they signed in with.

The phone and the display name are encrypted; the phone is matched by its keyed hash, so signing in again with the
same phone is the same helper (their pledges, their expiries) whatever name they give.
"""

import uuid
from datetime import datetime

from sqlalchemy import case, exists, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from common.keyed_hash import phone_hash
from db.cash import CommunityHelper
from db.help_groups import HelpGroupAccount
from domain.cash import HelperKind


async def signed_in(session: AsyncSession, phone_e164: str, kind: HelperKind, display_name: str) -> uuid.UUID:
    """The helper of this phone, created the first time; a new name or kind given later replaces the old, except
    on a help group's account: it stays the group, under the group's name, whatever its member types at sign-in."""
    new = insert(CommunityHelper).values(
        id=uuid.uuid4(),
        kind=kind.value,
        phone_hash=phone_hash(phone_e164),
        phone=phone_e164,
        display_name=display_name,
    )
    is_group_account = exists().where(HelpGroupAccount.helper_id == CommunityHelper.id)
    row = new.on_conflict_do_update(
        index_elements=["phone_hash"],
        set_={
            "kind": case((is_group_account, CommunityHelper.kind), else_=new.excluded.kind),
            "display_name": case((is_group_account, CommunityHelper.display_name), else_=new.excluded.display_name),
        },
    ).returning(CommunityHelper.id)
    helper_id = await session.scalar(row)
    assert helper_id is not None
    return helper_id


async def find(session: AsyncSession, helper_id: uuid.UUID) -> CommunityHelper | None:
    return await session.get(CommunityHelper, helper_id)


async def slowed_until(session: AsyncSession, helper_id: uuid.UUID, now: datetime) -> datetime | None:
    """When a helper whose pledges kept expiring may pledge again (None: now)."""
    until = await session.scalar(select(CommunityHelper.slowed_until).where(CommunityHelper.id == helper_id))
    return until if until is not None and until > now else None
