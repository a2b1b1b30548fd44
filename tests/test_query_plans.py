"""Reads that run on every registration and staff view probe an index, so their cost does not grow with the
city's households. The peak-day benchmark found one that scanned every household: each registration cost
more than the last, and the day slowed down as it went."""

import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import Select, bindparam, func, text
from sqlalchemy.dialects import postgresql

from db.base import transaction
from db.deliveries import Delivery
from domain.stages import Stage
from services.household_merge import latest_delivery, with_merged
from services.request_lists import NO_FILTER, InboxFilter, escalated_inbox_query, ward_inbox_query

NOW = datetime.now(UTC)


async def plan(statement: Select[Any]) -> str:
    sql = statement.compile(dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True})
    async with transaction() as session:
        # Sequential scans priced out: a plan that still scans had no index to use.
        await session.execute(text("SET LOCAL enable_seqscan = off"))
        return "\n".join(row[0] for row in await session.execute(text(f"EXPLAIN {sql}")))


async def test_a_household_with_those_merged_into_it_is_read_by_index(db: None) -> None:
    found = await plan(with_merged(uuid.uuid4()))
    assert "Seq Scan" not in found, found
    assert "ix_households_merged_into" in found, found


async def _rows_read_for_one_of_3000(statement_for: Callable[[uuid.UUID], Select[Any]]) -> int:
    """The most rows any step of the statement's plan handled (kept or thrown away by a filter), run for one of
    3000 households, each with a delivery, that PostgreSQL has not analysed since they came (the first minutes of
    a day: autovacuum looks once a minute)."""
    async with transaction() as session:
        # Without the rows they refer to (requests, couriers): foreign keys are not what this measures.
        await session.execute(text("SET LOCAL session_replication_role = replica"))
        await session.execute(text(_HOUSEHOLDS))
        await session.execute(text(_DELIVERIES))
        household = await session.scalar(text("SELECT id FROM households LIMIT 1"))
        sql = statement_for(household).compile(dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True})
        plan = (await session.execute(text(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}"))).scalar_one()
        await session.rollback()
    return _most_read(plan[0]["Plan"])


def _most_read(step: dict[str, Any]) -> int:
    """The most rows a step of a plan handled, kept or thrown away by a filter."""
    read = sum(step.get(key, 0) for key in ("Actual Rows", "Rows Removed by Filter", "Rows Removed by Index Recheck"))
    return max([int(read * step["Actual Loops"]), *(_most_read(child) for child in step.get("Plans", []))])


_HOUSEHOLDS = (
    "INSERT INTO households (id, ward_code, address, address_key, size, created_at)"
    " SELECT gen_random_uuid(), '26734', 'x', 'x', 1, now() FROM generate_series(1, 3000)"
)
_DELIVERIES = (
    "INSERT INTO deliveries (id, request_id, household_id, kind, delivered_at, entitled_period, courier_id,"
    " photo_path, photo_sha256, recipient_national_id_hash, recipient_national_id_last4, recipient_phone,"
    " recipient_matches_household)"
    " SELECT gen_random_uuid(), gen_random_uuid(), id, 'food_bag', now(), tstzrange(now(), now() + interval '14 days'),"
    " gen_random_uuid(), 'p', 's', 'h', '1234', 'x', true FROM households"
)


async def test_the_entitlement_rule_reads_only_the_households_own_deliveries(db: None) -> None:
    read = await _rows_read_for_one_of_3000(
        lambda household: latest_delivery(
            household, Delivery.kind == "food_bag", func.upper(Delivery.entitled_period) > NOW
        )
    )
    assert read <= 2, f"{read} rows read to answer for one household among 3000"


async def test_a_staff_view_reads_only_the_households_own_deliveries(db: None) -> None:
    # As the staff view runs it: built once, the household bound at each call.
    built_once = latest_delivery(bindparam("household_id"))
    read = await _rows_read_for_one_of_3000(lambda household: built_once.params(household_id=household))
    assert read <= 2, f"{read} rows read to answer for one household among 3000"


# 3000 escalated requests waiting for a courier in a ward of Quận 1, not yet analysed; the inboxes read are of a
# ward and a district elsewhere.
_REQUESTS = (
    "INSERT INTO relief_requests (id, code, kind, ward_code, district_code, applicant_name,"
    " applicant_national_id_hash, applicant_phone_hash, applicant_phone, address, household_size, stage, stage_seq,"
    " escalation, deadline_at, attempts, outcome, registered_at, updated_at, created_at)"
    " SELECT gen_random_uuid(), 'T' || n, 'food_bag', '26734', '760', 'x', 'h', 'h', 'x', 'x', 1,"
    " 'awaiting_dispatch', 1, 'district', now() - interval '1 hour', 0, '{}', now(), now(), now()"
    " FROM generate_series(1, 3000) AS n"
)


async def _rows_read_among_3000_elsewhere(statement: Select[Any]) -> int:
    async with transaction() as session:
        await session.execute(text("SET LOCAL session_replication_role = replica"))
        await session.execute(text(_REQUESTS))
        sql = statement.compile(dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True})
        plan = (await session.execute(text(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}"))).scalar_one()
        await session.rollback()
    return _most_read(plan[0]["Plan"])


@pytest.mark.parametrize(
    "f",
    [NO_FILTER, InboxFilter(stage=Stage.AWAITING_DISPATCH), InboxFilter(overdue=True)],
    ids=["all", "one-stage", "overdue"],
)
async def test_a_ward_inbox_filtered_or_not_reads_only_its_wards_rows(db: None, f: InboxFilter) -> None:
    statement = ward_inbox_query("27139", f, NOW)  # a ward the other tests leave alone, in another district
    assert "Seq Scan" not in await plan(statement)
    read = await _rows_read_among_3000_elsewhere(statement)
    assert read <= 2, f"{read} rows read for a ward with none of 3000 requests"


async def test_a_district_inbox_filtered_by_stage_reads_only_its_districts_rows(db: None) -> None:
    statement = escalated_inbox_query("770", InboxFilter(stage=Stage.AWAITING_DISPATCH), NOW)
    assert "Seq Scan" not in await plan(statement)
    read = await _rows_read_among_3000_elsewhere(statement)
    assert read <= 2, f"{read} rows read for a district with none of 3000 requests"
