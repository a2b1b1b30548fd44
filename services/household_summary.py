"""A household as a ward official needs to see it to decide whether two are the same: members (names and
the last digits of their IDs), address, lists it is on, its last delivery and any open request."""

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from common.city_time import CITY_TZ
from db.households import Household, HouseholdClaim, HouseholdMember
from db.registries import RegistryEntry
from db.requests import ReliefRequest
from services.household_merge import latest_delivery


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


async def household_summary(session: AsyncSession, household_id: UUID) -> HouseholdSummary | None:
    household = await session.get(Household, household_id)
    if household is None:
        return None
    params = {"household_id": household_id}
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
    )
