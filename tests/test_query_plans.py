"""Reads that run on every registration and staff view probe an index, so their cost does not grow with the
city's households. The peak-day benchmark found one that scanned every household: each registration cost
more than the last, and the day slowed down as it went."""

import uuid

from sqlalchemy import Select, text
from sqlalchemy.dialects import postgresql

from db.base import transaction
from services.household_merge import with_merged


async def plan(statement: Select[uuid.UUID]) -> str:
    sql = statement.compile(dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True})
    async with transaction() as session:
        # Sequential scans priced out: a plan that still scans had no index to use.
        await session.execute(text("SET LOCAL enable_seqscan = off"))
        return "\n".join(row[0] for row in await session.execute(text(f"EXPLAIN {sql}")))


async def test_a_household_with_those_merged_into_it_is_read_by_index(db: None) -> None:
    found = await plan(with_merged(uuid.uuid4()))
    assert "Seq Scan" not in found, found
    assert "ix_households_merged_into" in found, found
