"""The database the stack runs on: migrated to head, HCMC's units loaded, demo staff created and the demo wards'
points stocked with bags (not in production)."""

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

from db.migrate import upgrade_to_head
from domain.roles import Role
from services.geography import hcmc_units, load_units
from services.staff_seed import DEMO_STAFF, count_staff, seed_demo_staff
from services.supply_demo import stock_ward_point
from services.supply_seed import load_supply

# Each demo ward's point gets this many bags a week (one demo donation per ward and ISO week), so a demo request
# finds a bag whenever the stack is started; the kit's vegetables keep five days.
DEMO_BAGS_PER_WEEK = 20


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
            if environment != "production":
                await _stock_demo_wards(session)
            total = await count_staff(session)
        return SeedReport(units, created, total)
    finally:
        await engine.dispose()


async def _stock_demo_wards(session: AsyncSession) -> None:
    week = date.today().isocalendar()
    expires_on = date.today() + timedelta(days=5)
    for ward in sorted({s.unit_code for s in DEMO_STAFF if s.role == Role.COURIER}):  # the wards couriers serve
        await stock_ward_point(session, f"demo-{ward}-{week.year}w{week.week}", ward, DEMO_BAGS_PER_WEEK, expires_on)
