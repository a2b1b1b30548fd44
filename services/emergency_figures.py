"""Emergencies on the dashboard: per district, how many are open, claimed, fulfilled and late, and how long the
city takes to claim and to fulfil one (median and 90th percentile), counted by the database.

"Fulfilled" counts those the claimer said were brought, confirmed by the requester or not; "late" are open ones
past the escalation time (the ward's and the SOS team's queue). Times run from the post: to its first claim, and
to its fulfilment. Hidden posts count nowhere.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Float, and_, cast, func, select, true
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from db.emergencies import Emergency
from domain.emergency import EmergencyState


@dataclass(frozen=True)
class EmergencyArea:
    code: str
    open: int = 0
    claimed: int = 0
    fulfilled: int = 0
    late: int = 0


@dataclass(frozen=True)
class Durations:
    """Minutes, over the emergencies that got that far; None when none did."""

    count: int
    median: float | None
    p90: float | None


@dataclass(frozen=True)
class EmergencyFigures:
    areas: list[EmergencyArea]
    to_claim: Durations
    to_fulfil: Durations


async def _durations(
    session: AsyncSession, scope: ColumnElement[bool], until: InstrumentedAttribute[datetime | None]
) -> Durations:
    minutes = cast(func.extract("epoch", until - Emergency.created_at) / 60.0, Float)
    row = (
        await session.execute(
            select(
                func.count(),
                func.percentile_cont(0.5).within_group(minutes),
                func.percentile_cont(0.9).within_group(minutes),
            ).where(scope, until.is_not(None), Emergency.state != EmergencyState.HIDDEN.value)
        )
    ).one()
    median = round(float(row[1]), 1) if row[1] is not None else None
    p90 = round(float(row[2]), 1) if row[2] is not None else None
    return Durations(count=int(row[0]), median=median, p90=p90)


async def figures(session: AsyncSession, district_code: str | None = None) -> EmergencyFigures:
    """The city's figures by district, or one district's (a district official's scope)."""
    scope = Emergency.district_code == district_code if district_code is not None else true()
    state = Emergency.state

    def counted(condition: ColumnElement[bool]) -> ColumnElement[int]:
        return func.count().filter(condition)

    rows = await session.execute(
        select(
            Emergency.district_code,
            counted(state == EmergencyState.OPEN.value),
            counted(state == EmergencyState.CLAIMED.value),
            counted(state.in_((EmergencyState.FULFILLED.value, EmergencyState.CONFIRMED.value))),
            counted(and_(state == EmergencyState.OPEN.value, Emergency.escalated_at.is_not(None))),
        )
        .where(scope, state != EmergencyState.HIDDEN.value)
        .group_by(Emergency.district_code)
        .order_by(Emergency.district_code)
    )
    return EmergencyFigures(
        areas=[EmergencyArea(code, *counts) for code, *counts in rows],
        to_claim=await _durations(session, scope, Emergency.first_claimed_at),
        to_fulfil=await _durations(session, scope, Emergency.fulfilled_at),
    )
