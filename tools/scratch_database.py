"""A migrated database with HCMC's units for a command: DATABASE_URL's, or a throwaway embedded one."""

import asyncio
import os
import shutil
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from common.settings import get_settings
from db.base import get_engine, get_sessionmaker, transaction
from db.migrate import upgrade_to_head
from devstack import postgres
from services.geography import hcmc_units, load_units


@asynccontextmanager
async def scratch_database() -> AsyncIterator[str]:
    folder: Path | None = None
    embedded = None
    url = os.environ.get("DATABASE_URL")
    if not url:
        folder = Path(tempfile.mkdtemp(prefix="ansinh-tool-"))
        embedded = postgres.start(folder / "pgdata")
        postgres.ensure_database(embedded)
        url = embedded.url
        os.environ["DATABASE_URL"] = url
    for cached in (get_settings, get_engine, get_sessionmaker):
        cached.cache_clear()
    try:
        await asyncio.to_thread(upgrade_to_head, url)  # Alembic runs its own event loop
        async with transaction() as session:
            await load_units(session, hcmc_units())
        yield url
    finally:
        await get_engine().dispose()
        if embedded is not None:
            embedded.stop()
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)
