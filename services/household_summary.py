"""A household as a ward official needs to see it to decide whether two are the same: members (names and
the last digits of their IDs), address, lists it is on, its last delivery, any open request, and the support it
received across kinds within their windows (bags delivered, cash confirmed), merged households included."""

from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from sqlalchemy import bindparam, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from common.city_time import CITY_TZ
from db.cash import CashNeed
from db.deliveries import Delivery
from db.households import Household, HouseholdClaim, HouseholdMember
from db.registries import RegistryEntry
from db.requests import ReliefRequest
from services.household_merge import latest_delivery, with_merged


@dataclass(frozen=True)
class HouseholdSummary:
    household_id: UUID
    ward_code: str
    address: str
    size: int
    members: list[str]  # "Nguyễn Thị Lan (…2345)"
    registry_categories: list[str]
    last_delivered_on: date | None
    open_request_codes: list[str]
    bags_in_window: int  # bags delivered since `bags_since`
    cash_confirmed_in_window: int  # VND the household confirmed receiving since `cash_since`


# Built once (a staff read of a request runs all four): building a statement costs more than running it.
_MEMBERS = (
    select(HouseholdMember.full_name, HouseholdMember.national_id_last4)
    .where(HouseholdMember.household_id == bindparam("household_id"))
    .order_by(HouseholdMember.created_at)
)
_CATEGORIES = select(RegistryEntry.category).where(RegistryEntry.household_id == bindparam("household_id"))
_LAST_DELIVERY = latest_delivery(bindparam("household_id"))
_OPEN_CODES = (
    select(ReliefRequest.code)
    .join(HouseholdClaim, HouseholdClaim.request_id == ReliefRequest.id)
    .where(HouseholdClaim.household_id == bindparam("household_id"))
)
_MERGED = with_merged(bindparam("household_id"))
_BAGS = select(func.count()).where(
    Delivery.household_id.in_(_MERGED.scalar_subquery()), Delivery.delivered_at >= bindparam("bags_since")
)
_CASH = select(func.coalesce(func.sum(CashNeed.amount_confirmed), 0)).where(
    CashNeed.household_id.in_(_MERGED.scalar_subquery()), CashNeed.created_at >= bindparam("cash_since")
)


async def household_summary(
    session: AsyncSession, household_id: UUID, bags_since: datetime, cash_since: datetime
) -> HouseholdSummary | None:
    household = await session.get(Household, household_id)
    if household is None:
        return None
    params = {"household_id": household_id}
    bags = await session.scalar(_BAGS, {**params, "bags_since": bags_since})
    cash = await session.scalar(_CASH, {**params, "cash_since": cash_since})
    members = (await session.execute(_MEMBERS, params)).all()
    categories = (await session.scalars(_CATEGORIES, params)).all()
    last = (await session.execute(_LAST_DELIVERY, params)).first()
    open_codes = (await session.scalars(_OPEN_CODES, params)).all()
    return HouseholdSummary(
        household_id=household.id,
        ward_code=household.ward_code,
        address=household.address,
        size=household.size,
        members=[f"{name} (…{last4})" for name, last4 in members],
        registry_categories=sorted(categories),
        last_delivered_on=last.delivered_at.astimezone(CITY_TZ).date() if last else None,
        open_request_codes=list(open_codes),
        bags_in_window=bags or 0,
        cash_confirmed_in_window=cash or 0,
    )
