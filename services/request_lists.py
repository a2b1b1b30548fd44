"""The lists people work from: inboxes, a courier's round, supervision and its counts, staff messages.

Each takes the caller's scope as a SQL condition (built by the API from one set of rules) and pages.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from uuid import UUID

from sqlalchemy import ColumnElement, Select, and_, case, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.deliveries import Delivery
from db.notifications import Notification
from db.requests import ReliefRequest
from domain.stages import OPEN_STAGES, EscalationLevel, RequestKind, Stage

_OPEN = sorted(s.value for s in OPEN_STAGES if s != Stage.REGISTERED)
_WARD_TASKS = (Stage.AWAITING_VERIFICATION.value, Stage.AWAITING_DISPATCH.value)


@dataclass(frozen=True)
class SupervisionFilter:
    district_code: str | None = None
    ward_code: str | None = None
    stage: Stage | None = None
    kind: RequestKind | None = None
    overdue: bool | None = None
    older_than_hours: int | None = None


@dataclass(frozen=True)
class InboxFilter:
    """An official's inbox narrowed to one stage, or to what is overdue."""

    stage: Stage | None = None
    overdue: bool = False


NO_FILTER = InboxFilter()


def overdue_expr(now: datetime) -> ColumnElement[bool]:
    """Escalated to the district, or past its deadline while still open."""
    return or_(
        ReliefRequest.escalation == EscalationLevel.DISTRICT.value,
        and_(ReliefRequest.deadline_at.is_not(None), ReliefRequest.deadline_at < now),
    )


def _narrowed(query: Select[ReliefRequest], f: InboxFilter) -> Select[ReliefRequest]:
    """The filter's stage narrows the rows the scope's index found; it is not an index condition itself. A lone
    `stage = x` makes PostgreSQL, on a table not analysed yet (the first minutes of a day), probe the
    single-column stage index instead and read every ward's requests at that stage."""
    return query if f.stage is None else query.where(func.lower(ReliefRequest.stage) == f.stage.value)


def ward_inbox_query(ward_code: str, f: InboxFilter, now: datetime) -> Select[ReliefRequest]:
    """The ward's open tasks, escalated ones included; overdue first, then the oldest."""
    overdue = overdue_expr(now)
    query = _narrowed(
        select(ReliefRequest).where(ReliefRequest.ward_code == ward_code, ReliefRequest.stage.in_(_WARD_TASKS)), f
    )
    if f.overdue:
        query = query.where(overdue)
    return query.order_by(case((overdue, 0), else_=1), ReliefRequest.registered_at, ReliefRequest.id)


def escalated_inbox_query(district_code: str | None, f: InboxFilter, now: datetime) -> Select[ReliefRequest]:
    """Open requests escalated to the district level: one district's, or the whole city's (None). Every one is
    overdue by definition, so the filter narrows by stage only."""
    query = _narrowed(
        select(ReliefRequest).where(
            ReliefRequest.escalation == EscalationLevel.DISTRICT.value, ReliefRequest.stage.in_(_OPEN)
        ),
        f,
    )
    if district_code is not None:
        query = query.where(ReliefRequest.district_code == district_code)
    return query.order_by(ReliefRequest.deadline_at.asc().nulls_last(), ReliefRequest.registered_at)


async def ward_inbox(
    session: AsyncSession,
    ward_code: str,
    limit: int,
    offset: int,
    f: InboxFilter = NO_FILTER,
    now: datetime | None = None,
) -> Sequence[ReliefRequest]:
    query = ward_inbox_query(ward_code, f, now or datetime.now(UTC))
    return (await session.scalars(query.limit(limit).offset(offset))).all()


async def escalated_inbox(
    session: AsyncSession,
    district_code: str | None,
    limit: int,
    offset: int,
    f: InboxFilter = NO_FILTER,
    now: datetime | None = None,
) -> Sequence[ReliefRequest]:
    query = escalated_inbox_query(district_code, f, now or datetime.now(UTC))
    return (await session.scalars(query.limit(limit).offset(offset))).all()


async def courier_round(session: AsyncSession, courier_id: UUID, limit: int, offset: int) -> Sequence[ReliefRequest]:
    query = (
        select(ReliefRequest)
        .where(ReliefRequest.courier_id == courier_id, ReliefRequest.stage == Stage.OUT_FOR_DELIVERY.value)
        .order_by(ReliefRequest.address, ReliefRequest.id)
    )
    return (await session.scalars(query.limit(limit).offset(offset))).all()


def _supervision_where(scope: ColumnElement[bool], f: SupervisionFilter, now: datetime) -> list[ColumnElement[bool]]:
    conditions = [scope]
    if f.district_code:
        conditions.append(ReliefRequest.district_code == f.district_code)
    if f.ward_code:
        conditions.append(ReliefRequest.ward_code == f.ward_code)
    if f.stage:
        conditions.append(ReliefRequest.stage == f.stage.value)
    if f.kind:
        conditions.append(ReliefRequest.kind == f.kind)
    if f.overdue is not None:
        overdue = and_(ReliefRequest.stage.in_(_OPEN), overdue_expr(now))
        conditions.append(overdue if f.overdue else ~overdue)
    if f.older_than_hours is not None:
        conditions.append(ReliefRequest.registered_at < now - timedelta(hours=f.older_than_hours))
    return conditions


async def supervision_list(
    session: AsyncSession, scope: ColumnElement[bool], f: SupervisionFilter, limit: int, offset: int
) -> Sequence[ReliefRequest]:
    query = (
        select(ReliefRequest)
        .where(*_supervision_where(scope, f, datetime.now(UTC)))
        .order_by(ReliefRequest.registered_at, ReliefRequest.id)
    )
    return (await session.scalars(query.limit(limit).offset(offset))).all()


async def stage_counts(session: AsyncSession, scope: ColumnElement[bool]) -> list[tuple[str, str, int]]:
    """(district_code, stage, count) for the dashboards, counted by the database."""
    rows = await session.execute(
        select(ReliefRequest.district_code, ReliefRequest.stage, func.count())
        .where(scope)
        .group_by(ReliefRequest.district_code, ReliefRequest.stage)
        .order_by(ReliefRequest.district_code, ReliefRequest.stage)
    )
    return [(r[0], r[1], r[2]) for r in rows]


async def staff_notifications(
    session: AsyncSession, unit_code: str, limit: int, offset: int, place_code: str | None = None
) -> Sequence[tuple[Notification, str | None]]:
    """Messages to a unit's staff (or, with `place_code`, to a supply place's), newest first, with the request
    code of those about a request."""
    to_them = (
        and_(Notification.place_code == place_code, Notification.audience == "place")
        if place_code is not None
        else and_(Notification.unit_code == unit_code, Notification.audience != "citizen")
    )
    rows = await session.execute(
        select(Notification, ReliefRequest.code)
        .outerjoin(ReliefRequest, ReliefRequest.id == Notification.request_id)
        .where(to_them)
        .order_by(Notification.created_at.desc(), Notification.seq.desc())
        .limit(limit)
        .offset(offset)
    )
    return [(r[0], r[1]) for r in rows]


async def ward_stage_counts(
    session: AsyncSession, scope: ColumnElement[bool], district_code: str
) -> list[tuple[str, str, int]]:
    """(ward_code, stage, count) of one district, for its drill-down page."""
    rows = await session.execute(
        select(ReliefRequest.ward_code, ReliefRequest.stage, func.count())
        .where(scope, ReliefRequest.district_code == district_code)
        .group_by(ReliefRequest.ward_code, ReliefRequest.stage)
        .order_by(ReliefRequest.ward_code, ReliefRequest.stage)
    )
    return [(r[0], r[1], r[2]) for r in rows]


async def deliveries_per_day(
    session: AsyncSession, scope: ColumnElement[bool], since: datetime, tz: str = "Asia/Ho_Chi_Minh"
) -> list[tuple[date, int]]:
    """Bags delivered per calendar day of the city since `since`, within the caller's scope."""
    day = func.date(func.timezone(tz, Delivery.delivered_at))
    rows = await session.execute(
        select(day, func.count())
        .join(ReliefRequest, ReliefRequest.id == Delivery.request_id)
        .where(scope, Delivery.delivered_at >= since)
        .group_by(day)
        .order_by(day)
    )
    return [(r[0], r[1]) for r in rows]
