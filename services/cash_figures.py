"""Cash support on the dashboards: per area, the needs, what they asked, what is pledged and not yet confirmed,
what households confirmed, and what expired unpaid; counted by the database within the caller's scope."""

from dataclasses import dataclass

from sqlalchemy import ColumnElement, func, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from db.cash import CashNeed, Pledge
from db.requests import ReliefRequest
from domain.cash import PledgeState


@dataclass(frozen=True)
class CashArea:
    code: str
    needs: int = 0
    asked: int = 0
    pledged: int = 0  # live pledges: promised, reported paid or disputed, not yet confirmed
    confirmed: int = 0
    expired: int = 0  # pledges never reported paid in time (their amounts were offered again)


async def cash_by_area(
    session: AsyncSession, scope: ColumnElement[bool], district_code: str | None = None
) -> list[CashArea]:
    """One row per district that has cash needs, or per ward of `district_code`."""
    area = CashNeed.ward_code if district_code else CashNeed.district_code
    in_district = CashNeed.district_code == district_code if district_code else true()
    expired = (
        select(Pledge.request_id, func.sum(Pledge.amount).label("amount"))
        .where(Pledge.state == PledgeState.EXPIRED.value)
        .group_by(Pledge.request_id)
        .subquery()
    )
    rows = await session.execute(
        select(
            area,
            func.count(),
            func.sum(CashNeed.amount_asked),
            func.sum(CashNeed.amount_pledged - CashNeed.amount_confirmed),
            func.sum(CashNeed.amount_confirmed),
            func.coalesce(func.sum(expired.c.amount), 0),
        )
        .join(ReliefRequest, ReliefRequest.id == CashNeed.request_id)
        .outerjoin(expired, expired.c.request_id == CashNeed.request_id)
        .where(scope, in_district)
        .group_by(area)
        .order_by(area)
    )
    return [CashArea(code, *(int(v) for v in values)) for code, *values in rows.all()]
