"""The database the stack runs on: migrated to head, HCMC's units loaded, demo staff created (not in production)."""

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

from db.migrate import upgrade_to_head
from services.geography import hcmc_units, load_units
from services.staff_seed import count_staff, seed_demo_staff
from services.supply_seed import load_supply


@dataclass(frozen=True)
class SeedReport:
    units: int
    demo_staff_created: int | None  # None: demo staff not seeded (production)
    staff_total: int


def migrate(database_url: str) -> None:
    """Synchronous: Alembic's env runs its own event loop, so call this outside one (or in a thread)."""
    upgrade_to_head(database_url)


async def seed(database_url: str, environment: str, city_code: str) -> SeedReport:
    engine = create_async_engine(database_url)
    try:
        async with AsyncSession(engine, expire_on_commit=False) as session, session.begin():
            units = await load_units(session, hcmc_units(city_code))
            await load_supply(session)
            created = None if environment == "production" else await seed_demo_staff(session, environment)
            total = await count_staff(session)
        return SeedReport(units, created, total)
    finally:
        await engine.dispose()
