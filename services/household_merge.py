"""Acting on a ward's answer about a probable duplicate: merge the two households, or remember that
they are different so the pair is not asked about again."""

from datetime import datetime
from uuid import UUID

from sqlalchemy import BindParameter, ColumnElement, Select, delete, or_, select, true, update
from sqlalchemy.dialects.postgresql import Range, insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from db.cash import CashNeed
from db.deliveries import Delivery
from db.households import Household, HouseholdClaim, HouseholdMember, HouseholdPairVerdict, WardVerifiedHousehold
from db.registries import RegistryEntry
from db.requests import ReliefRequest
from services.household_matching import ordered_pair


def with_merged(household_id: UUID | BindParameter[UUID]) -> Select[UUID]:
    """The household and every household merged into it (merges keep no chains: see merge_households)."""
    return select(Household.id).where(or_(Household.id == household_id, Household.merged_into == household_id))


def latest_delivery(
    household_id: UUID | BindParameter[UUID], *conditions: ColumnElement[bool]
) -> Select[tuple[datetime, Range[datetime]]]:
    """The latest delivery meeting `conditions` to the household or one merged into it (`delivered_at`,
    `entitled_period`)."""
    return _latest(Delivery.household_id, Delivery.delivered_at, Delivery.entitled_period, household_id, *conditions)


def latest_cash_support(
    household_id: UUID | BindParameter[UUID], *conditions: ColumnElement[bool]
) -> Select[tuple[datetime, Range[datetime]]]:
    """The latest cash need closed with money confirmed, to the household or one merged into it (as
    `delivered_at`, `entitled_period`: the entitlement rule reads both ledgers alike)."""
    return _latest(CashNeed.household_id, CashNeed.closed_at, CashNeed.entitled_period, household_id, *conditions)


def _latest(
    household: InstrumentedAttribute[UUID | None],
    at: InstrumentedAttribute[datetime] | InstrumentedAttribute[datetime | None],
    period: InstrumentedAttribute[Range[datetime] | None],
    household_id: UUID | BindParameter[UUID],
    *conditions: ColumnElement[bool],
) -> Select[tuple[datetime, Range[datetime]]]:
    """The latest row of a ledger meeting `conditions`, to the household or one merged into it.

    Each household's rows are read through its own index entries, newest first. Asked as `IN (the merged
    households)`, the planner was free to read every delivery of the kind and test each against the households,
    and early in a day, before PostgreSQL has analysed the growing ledger, it did: a registration then cost more
    than the one before it.
    """
    merged = with_merged(household_id).subquery("merged")
    own = (
        select(at.label("delivered_at"), period.label("entitled_period"))
        .where(household == merged.c.id, *conditions)
        .order_by(at.desc())
        .limit(1)
        .lateral("own")
    )
    return (
        select(own.c.delivered_at, own.c.entitled_period)
        .select_from(merged)
        .join(own, true())
        .order_by(own.c.delivered_at.desc())
        .limit(1)
    )


async def merge_households(session: AsyncSession, *, source: UUID, target: UUID) -> None:
    """Moves source's members, requests, list entries and open claims into target.

    Deliveries stay where they were recorded; the entitlement rule reads merged households' too.
    The caller has checked that target holds no open claim of the kinds source holds.
    """
    await session.execute(select(Household.id).where(Household.id.in_(sorted([source, target]))).with_for_update())
    await session.execute(
        update(HouseholdMember).where(HouseholdMember.household_id == source).values(household_id=target)
    )
    await session.execute(update(ReliefRequest).where(ReliefRequest.household_id == source).values(household_id=target))
    await session.execute(
        update(HouseholdClaim).where(HouseholdClaim.household_id == source).values(household_id=target)
    )
    for table in (WardVerifiedHousehold, RegistryEntry):
        rows = (await session.execute(select(table).where(table.household_id == source))).scalars().all()
        for row in rows:
            values = {c.key: getattr(row, c.key) for c in table.__table__.columns} | {"household_id": target}
            await session.execute(insert(table).values(**values).on_conflict_do_nothing())
        await session.execute(delete(table).where(table.household_id == source))
    await session.execute(update(Household).where(Household.id.in_(with_merged(source))).values(merged_into=target))


async def record_different(session: AsyncSession, a: UUID, b: UUID, decided_by: UUID | None, at: datetime) -> None:
    first, second = ordered_pair(a, b)
    await session.execute(
        insert(HouseholdPairVerdict)
        .values(household_a=first, household_b=second, decided_by=decided_by, decided_at=at)
        .on_conflict_do_nothing()
    )
