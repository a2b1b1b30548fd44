"""Omission: who has not been reached. For each ward of a district or of the city, the households on the
ward's registry that received nothing since a date, the requests stuck past their deadline, and the
coverage ratio, lowest first, so officials go to those households instead of waiting for them."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Exists, Select, and_, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from common.city_time import CITY_TZ, vn_date
from common.spreadsheet import spreadsheet_csv
from db.deliveries import Delivery
from db.geography import AdminUnit
from db.households import Household, HouseholdMember
from db.registries import RegistryEntry
from db.requests import ReliefRequest
from domain.roles import UnitLevel
from domain.stages import OPEN_STAGES
from texts import Lang, text


@dataclass(frozen=True)
class WardCoverage:
    ward_code: str
    ward_name: str
    district_code: str
    on_registry: int
    reached: int
    stuck_requests: int

    @property
    def unreached(self) -> int:
        return self.on_registry - self.reached

    @property
    def coverage(self) -> float | None:
        """Share of the registry reached; None for a ward whose list is empty (nothing is known of it, which is
        not "everyone reached")."""
        return self.reached / self.on_registry if self.on_registry else None


@dataclass(frozen=True)
class OutreachRow:
    household_id: str
    address: str
    members: str
    categories: str
    last_delivered_on: str


def _reached_since(since: datetime) -> Exists:
    """A delivery since `since` to the household or to one merged into it."""
    merged = aliased(Household)
    return exists(
        select(Delivery.id)
        .join(merged, merged.id == Delivery.household_id)
        .where(
            Delivery.delivered_at >= since,
            or_(merged.id == RegistryEntry.household_id, merged.merged_into == RegistryEntry.household_id),
        )
    )


async def ward_coverage(
    session: AsyncSession, *, district_code: str | None, since: datetime, now: datetime
) -> list[WardCoverage]:
    """Every ward of the district (or of the city when None), lowest coverage first."""
    wards = select(AdminUnit.code, AdminUnit.name, AdminUnit.parent_code).where(AdminUnit.level == UnitLevel.WARD.value)
    if district_code is not None:
        wards = wards.where(AdminUnit.parent_code == district_code)
    registry = (
        select(
            RegistryEntry.ward_code,
            func.count(func.distinct(RegistryEntry.household_id)).label("on_registry"),
            func.count(func.distinct(RegistryEntry.household_id)).filter(_reached_since(since)).label("reached"),
        )
        .group_by(RegistryEntry.ward_code)
        .subquery()
    )
    stuck = (
        select(ReliefRequest.ward_code, func.count().label("stuck"))
        .where(ReliefRequest.stage.in_([s.value for s in OPEN_STAGES]), ReliefRequest.deadline_at < now)
        .group_by(ReliefRequest.ward_code)
        .subquery()
    )
    w = wards.subquery()
    rows = (
        await session.execute(
            select(
                w.c.code,
                w.c.name,
                w.c.parent_code,
                func.coalesce(registry.c.on_registry, 0),
                func.coalesce(registry.c.reached, 0),
                func.coalesce(stuck.c.stuck, 0),
            )
            .outerjoin(registry, registry.c.ward_code == w.c.code)
            .outerjoin(stuck, stuck.c.ward_code == w.c.code)
        )
    ).all()
    result = [
        WardCoverage(code, name, parent or "", int(total), int(hit), int(late))
        for code, name, parent, total, hit, late in rows
    ]
    # Lowest first; wards with no list after every ward with one (they need a list, not a visit).
    return sorted(result, key=lambda c: (c.coverage is None, c.coverage or 0.0, -c.unreached, c.ward_code))


def _unreached_query(ward_code: str, since: datetime) -> Select[Any]:
    merged = aliased(Household)
    last_delivery = (
        select(func.max(Delivery.delivered_at))
        .join(merged, merged.id == Delivery.household_id)
        .where(or_(merged.id == RegistryEntry.household_id, merged.merged_into == RegistryEntry.household_id))
        .scalar_subquery()
    )
    return (
        select(
            RegistryEntry.household_id,
            Household.address,
            func.string_agg(func.distinct(HouseholdMember.full_name), ", "),
            func.string_agg(func.distinct(RegistryEntry.category), ", "),
            last_delivery.label("last_delivered_at"),
        )
        .join(Household, Household.id == RegistryEntry.household_id)
        .outerjoin(HouseholdMember, HouseholdMember.household_id == Household.id)
        .where(and_(RegistryEntry.ward_code == ward_code, ~_reached_since(since)))
        .group_by(RegistryEntry.household_id, Household.address)
        .order_by(Household.address)
    )


async def unreached_households(session: AsyncSession, ward_code: str, since: datetime) -> list[OutreachRow]:
    rows = (await session.execute(_unreached_query(ward_code, since))).all()
    return [
        OutreachRow(
            str(household),
            address,
            members or "",
            categories or "",
            vn_date(last.astimezone(CITY_TZ).date()) if last else "",
        )
        for household, address, members, categories, last in rows
    ]


OUTREACH_COLUMNS = ("address", "members", "categories", "last_delivered", "household")


def outreach_csv(rows: list[OutreachRow], lang: Lang) -> str:
    """The ward's outreach list for field teams, ordered by address (UTF-8 with BOM for Excel)."""
    return spreadsheet_csv(
        [text(lang, f"outreach.col.{column}") for column in OUTREACH_COLUMNS],
        ([r.address, r.members, r.categories, r.last_delivered_on, r.household_id] for r in rows),
    )
