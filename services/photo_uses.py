"""Photos are kept by their content (services/photos.py): one file may be a delivery's proof and an emergency's
fulfilment photo at once, so a file is deleted only when no row names it any more."""

import asyncio
from collections.abc import Iterable
from pathlib import Path

from sqlalchemy import exists, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.deliveries import Delivery
from db.emergencies import Emergency
from services.photos import delete_photo


async def still_named(session: AsyncSession, relative_path: str) -> bool:
    named = or_(
        exists().where(Delivery.photo_path == relative_path),
        exists().where(Emergency.fulfilment_photo_path == relative_path),
    )
    return bool(await session.scalar(select(named)))


async def delete_unnamed(session: AsyncSession, photo_dir: Path, relative_paths: Iterable[str | None]) -> int:
    """Deletes the files no row names (call it after the rows let go of them); how many."""
    deleted = 0
    for path in {p for p in relative_paths if p}:
        if not await still_named(session, path):
            await asyncio.to_thread(delete_photo, photo_dir, path)
            deleted += 1
    return deleted
