"""The entitlement rule: one delivery of a kind per household per window, one open request at a time.

Each kind has its ledger: a bag's window starts with its delivery (deliveries), cash support's with the close of
a need that had money confirmed (cash_needs). A household's history includes the households merged into it, so
a merge cannot hide a recent bag or a recent transfer.
"""

from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from common.city_time import CITY_TZ
from db.cash import CashNeed
from db.deliveries import Delivery
from db.households import HouseholdClaim
from db.requests import ReliefRequest
from domain.messages import Admission
from domain.stages import RefusalReason, RequestKind, Stage
from services.household_merge import latest_cash_support, latest_delivery


async def refusal(session: AsyncSession, household_id: UUID, kind: RequestKind, at: datetime) -> Admission | None:
    """Why the household may not open a request of `kind` at `at`, or None if it may."""
    # Not only deliveries whose window contains `at`: one stamped a moment after `at` (workflow clocks of two
    # requests can cross the order of their commits) refuses too.
    last = (await session.execute(_latest_received(household_id, kind, at))).first()
    if last is not None:
        return Admission(
            stage=Stage.REFUSED,
            household_id=household_id,
            refusal=RefusalReason.ALREADY_RECEIVED,
            last_delivered_on=last.delivered_at.astimezone(CITY_TZ).date(),
            eligible_again_on=_first_day_after(last.entitled_period.upper),
        )
    open_code = await session.scalar(
        select(ReliefRequest.code)
        .join(HouseholdClaim, HouseholdClaim.request_id == ReliefRequest.id)
        .where(HouseholdClaim.household_id == household_id, HouseholdClaim.kind == kind)
    )
    if open_code is not None:
        return Admission(
            stage=Stage.REFUSED,
            household_id=household_id,
            refusal=RefusalReason.ALREADY_IN_PROGRESS,
            open_request_code=open_code,
        )
    return None


def _latest_received(household_id: UUID, kind: RequestKind, at: datetime) -> Select[tuple[datetime, Any]]:
    if kind == RequestKind.CASH_SUPPORT:
        return latest_cash_support(household_id, func.upper(CashNeed.entitled_period) > at)
    return latest_delivery(household_id, Delivery.kind == kind, func.upper(Delivery.entitled_period) > at)


def _first_day_after(moment: datetime) -> date:
    """The first local calendar day on which the whole day lies outside the window."""
    local = moment.astimezone(CITY_TZ)
    day = local.date()
    return day if local.time() == datetime.min.time() else day + timedelta(days=1)
