"""`python -m services.geography_seed`: the city's districts and wards, and its supply places and catalogue, loaded
into a migrated database.

A deployment's one-shot setup step after `alembic upgrade heads` (docker-compose's `migrate` service). The load
is an upsert, so running it on every deployment changes nothing once the units are there.
"""

import asyncio

from common.settings import get_settings
from db.base import get_engine, transaction
from services.geography import hcmc_units, load_units
from services.supply_seed import load_supply


async def main() -> None:
    try:
        async with transaction() as session:
            units = await load_units(session, hcmc_units(get_settings().city_code))
            places = await load_supply(session)
    finally:
        await get_engine().dispose()
    print(f"{units} administrative units and {places} supply places loaded")


if __name__ == "__main__":
    asyncio.run(main())
