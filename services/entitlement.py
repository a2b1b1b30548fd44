"""The entitlement rule: one delivery of a kind per household per window, one open request at a time.

A household's history includes the households merged into it, so a merge cannot hide a recent bag.
"""

from datetime import date, datetime, timedelta
from uuid import UUID

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from common.city_time import CITY_TZ
from db.deliveries import Delivery
from db.households import HouseholdClaim
from db.requests import ReliefRequest
from domain.messages import Admission
from domain.stages import RefusalReason, RequestKind, Stage
from services.household_merge import latest_delivery


async def refusal(session: AsyncSession, household_id: UUID, kind: RequestKind, at: datetime) -> Admission | None:
    """Why the household may not open a request of `kind` at `at`, or None if it may."""
    # Not only deliveries whose window contains `at`: one stamped a moment after `at` (workflow clocks of two
    # requests can cross the order of their commits) refuses too.
    last = (
        await session.execute(
            latest_delivery(household_id, Delivery.kind == kind, func.upper(Delivery.entitled_period) > at)
        )
    ).first()
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


def _first_day_after(moment: datetime) -> date:
    """The first local calendar day on which the whole day lies outside the window."""
    local = moment.astimezone(CITY_TZ)
    day = local.date()
    return day if local.time() == datetime.min.time() else day + timedelta(days=1)
