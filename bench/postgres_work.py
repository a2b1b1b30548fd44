"""What the day asked of PostgreSQL, per delivered bag, from its own statistics: transactions and rows in all, and
the tables read most. CPU per bag says how much PostgreSQL spent; these say on what (a table read whole on every
registration shows here long before it shows in the CPU), and they do not change with the machine."""

from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

_DATABASE = text(
    "SELECT xact_commit AS transactions, xact_rollback AS rollbacks, tup_returned AS rows_scanned,"
    " tup_fetched AS rows_fetched, tup_inserted AS rows_inserted, tup_updated AS rows_updated,"
    " tup_deleted AS rows_deleted, blks_hit + blks_read AS blocks_touched"
    " FROM pg_stat_database WHERE datname = current_database()"
)
_TABLES = text(
    "SELECT relname, seq_scan, seq_tup_read, coalesce(idx_scan, 0) AS idx_scan,"
    " coalesce(idx_tup_fetch, 0) AS idx_tup_fetch FROM pg_stat_user_tables"
)
_SHOWN = 5


async def snapshot(database_url: str) -> dict[str, Any]:
    # Each backend reports its statistics at most once a second, and an idle one within 10 s: read after the load.
    engine = create_async_engine(database_url, poolclass=NullPool)
    try:
        async with engine.connect() as conn:
            database = (await conn.execute(_DATABASE)).mappings().one()
            tables = (await conn.execute(_TABLES)).mappings().all()
    finally:
        await engine.dispose()
    return {
        "database": {key: int(value) for key, value in database.items()},
        "tables": {row["relname"]: {k: int(v) for k, v in row.items() if k != "relname"} for row in tables},
    }


def per_bag(before: dict[str, Any], after: dict[str, Any], bags: int) -> dict[str, Any]:
    n = max(bags, 1)

    def delta(old: dict[str, int], new: dict[str, int]) -> dict[str, float]:
        return {key: round((new[key] - old.get(key, 0)) / n, 1) for key in new}

    tables = {name: delta(before["tables"].get(name, {}), counts) for name, counts in after["tables"].items()}
    most_read = sorted(tables.items(), key=lambda item: item[1]["seq_tup_read"] + item[1]["idx_tup_fetch"])
    return {
        "database": delta(before["database"], after["database"]),
        "tables_read_most": dict(reversed(most_read[-_SHOWN:])),
    }
