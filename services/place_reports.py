"""Places' daily reports in the database: filing one (once), the proposals the allocation round reads, and the
count adjustments a second person approves into the ledger."""

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import ColumnElement, and_, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from common.city_time import CITY_TZ, vn_date, vn_deadline
from db.geography import AdminUnit
from db.notifications import Notification
from db.place_reports import (
    PlaceReport,
    PlaceReportAdjustment,
    PlaceReportCount,
    PlaceReportNotice,
    PlaceReportProposal,
)
from db.supply import Lot, StockBalance, SupplyItem, SupplyPlace
from domain.place_reports import REPORTING_KINDS, AdjustmentState, CountLine, ProposalInput, ReportNotice
from domain.proposals import ProposalLine
from domain.roles import UnitLevel
from domain.supply import MovementKind
from services import stock_ledger
from services.notices import STAFF_LANG, has_notice
from services.notices import notice as notice_text
from services.stock_ledger import Movement


@dataclass(frozen=True)
class Filing:
    place_code: str
    district_code: str
    report_date: date
    filed_by: uuid.UUID
    filed_at: datetime
    deadline_at: datetime
    counts: list[CountLine]
    proposals: list[ProposalInput]


@dataclass(frozen=True)
class Filed:
    report_id: uuid.UUID
    filed_at: datetime
    late: bool
    pending_adjustments: int
    new: bool  # False: the day's report was already filed, and this filing wrote nothing


async def on_hand_by_item(session: AsyncSession, place_code: str) -> dict[str, Decimal]:
    """The ledger's on-hand per item at the place (every lot, expired or not: a count sees them all)."""
    rows = await session.execute(
        select(StockBalance.item_code, func.sum(StockBalance.on_hand))
        .where(StockBalance.place_code == place_code)
        .group_by(StockBalance.item_code)
    )
    return {item: Decimal(total) for item, total in rows.all()}


async def file_report(session: AsyncSession, filing: Filing) -> Filed:
    """Writes the day's report, its counts and proposals, and a pending adjustment for each counted difference.
    A second filing of the same place and day writes nothing and answers the first."""
    report_id = uuid.uuid4()
    late = filing.filed_at > filing.deadline_at
    inserted = (
        await session.execute(
            insert(PlaceReport)
            .values(
                id=report_id,
                place_code=filing.place_code,
                district_code=filing.district_code,
                report_date=filing.report_date,
                filed_by=filing.filed_by,
                filed_at=filing.filed_at,
                deadline_at=filing.deadline_at,
                late=late,
            )
            .on_conflict_do_nothing(constraint="uq_place_reports_place_date")
            .returning(PlaceReport.id)
        )
    ).scalar_one_or_none()
    if inserted is None:
        return await _filed(session, filing.place_code, filing.report_date)
    ledger = await on_hand_by_item(session, filing.place_code)
    pending = 0
    for line in filing.counts:
        on_hand = ledger.get(line.item_code, Decimal(0))
        session.add(
            PlaceReportCount(
                report_id=report_id,
                item_code=line.item_code,
                ledger_on_hand=on_hand,
                counted=line.counted,
                consumed=line.consumed,
            )
        )
        if line.counted != on_hand:
            pending += 1
            session.add(
                PlaceReportAdjustment(
                    id=uuid.uuid4(),
                    report_id=report_id,
                    place_code=filing.place_code,
                    item_code=line.item_code,
                    ledger_on_hand=on_hand,
                    counted=line.counted,
                    difference=line.counted - on_hand,
                    state=AdjustmentState.PENDING.value,
                    counted_by=filing.filed_by,
                )
            )
    for line_no, proposal in enumerate(filing.proposals, start=1):
        session.add(PlaceReportProposal(report_id=report_id, line_no=line_no, **proposal.model_dump()))
    await session.flush()
    return Filed(report_id, filing.filed_at, late, pending, new=True)


async def _filed(session: AsyncSession, place_code: str, report_date: date) -> Filed:
    report = (
        await session.execute(
            select(PlaceReport).where(PlaceReport.place_code == place_code, PlaceReport.report_date == report_date)
        )
    ).scalar_one()
    pending = (
        await session.execute(
            select(func.count())
            .select_from(PlaceReportAdjustment)
            .where(
                PlaceReportAdjustment.report_id == report.id,
                PlaceReportAdjustment.state == AdjustmentState.PENDING.value,
            )
        )
    ).scalar_one()
    return Filed(report.id, report.filed_at, report.late, pending, new=False)


async def latest_proposals(session: AsyncSession, on: date) -> list[ProposalLine]:
    """Each place's proposals from its latest filed report on or before `on` (one report per place)."""
    latest = (
        select(PlaceReport.id)
        .where(PlaceReport.report_date <= on)
        .distinct(PlaceReport.place_code)
        .order_by(PlaceReport.place_code, PlaceReport.report_date.desc())
        .subquery()
    )
    rows = await session.execute(
        select(PlaceReport.place_code, PlaceReport.report_date, PlaceReportProposal)
        .join(PlaceReportProposal, PlaceReportProposal.report_id == PlaceReport.id)
        .where(PlaceReport.id.in_(select(latest.c.id)))
        .order_by(PlaceReport.place_code, PlaceReportProposal.line_no)
    )
    return [
        ProposalLine(
            place_code=place_code,
            report_date=report_date,
            item_code=p.item_code,
            quantity=Decimal(p.quantity),
            days=p.days,
            reason=p.reason,
        )
        for place_code, report_date, p in rows.all()
    ]


async def reporting_places(session: AsyncSession) -> list[SupplyPlace]:
    """The places that file a daily report, in a stable order."""
    return list(
        (
            await session.execute(
                select(SupplyPlace)
                .where(SupplyPlace.active, SupplyPlace.kind.in_([k.value for k in REPORTING_KINDS]))
                .order_by(SupplyPlace.code)
            )
        ).scalars()
    )


async def known_items(session: AsyncSession, codes: set[str]) -> set[str]:
    if not codes:
        return set()
    return set((await session.execute(select(SupplyItem.code).where(SupplyItem.code.in_(codes)))).scalars())


# --- adjustments approved by a second person ------------------------------------------------------------------


async def adjustment(session: AsyncSession, adjustment_id: uuid.UUID) -> PlaceReportAdjustment | None:
    return await session.get(PlaceReportAdjustment, adjustment_id)


async def approve_adjustment(
    session: AsyncSession, adjustment_id: uuid.UUID, approver: uuid.UUID, at: datetime
) -> PlaceReportAdjustment:
    """Marks the adjustment approved and writes its difference to the ledger, in one unit of work. Approving an
    approved one again writes nothing. The caller checks the approver is not the counter (the CHECK backs it)."""
    claimed = (
        await session.execute(
            update(PlaceReportAdjustment)
            .where(
                PlaceReportAdjustment.id == adjustment_id,
                PlaceReportAdjustment.state == AdjustmentState.PENDING.value,
            )
            .values(state=AdjustmentState.APPROVED.value, approved_by=approver, approved_at=at)
            .returning(PlaceReportAdjustment)
        )
    ).scalar_one_or_none()
    if claimed is None:
        return await session.get_one(PlaceReportAdjustment, adjustment_id)
    key = f"place-report-adjustment:{claimed.id}"
    reason = f"daily report count {claimed.report_id}"
    difference = Decimal(claimed.difference)
    if difference < 0:
        await stock_ledger.take(
            session,
            key,
            claimed.place_code,
            claimed.item_code,
            -difference,
            MovementKind.ADJUSTED_DOWN,
            reason=reason,
            actor_id=approver,
        )
    else:
        lot_id = await _lot_for_surplus(session, key, claimed.place_code, claimed.item_code, at)
        await stock_ledger.record(
            session,
            Movement(
                f"{key}:{lot_id}",
                claimed.place_code,
                lot_id,
                MovementKind.ADJUSTED_UP,
                difference,
                reason=reason,
                actor_id=approver,
            ),
        )
    return claimed


async def _lot_for_surplus(session: AsyncSession, key: str, place_code: str, item_code: str, at: datetime) -> uuid.UUID:
    """Found goods join the place's first-expiring unexpired lot of the item (the cautious guess of their age),
    or a new lot with the item's shelf life when the place has none."""
    first = (
        await session.execute(
            select(StockBalance.lot_id)
            .join(Lot, Lot.id == StockBalance.lot_id)
            .where(
                StockBalance.place_code == place_code,
                StockBalance.item_code == item_code,
                or_(Lot.expires_on.is_(None), Lot.expires_on >= stock_ledger.CITY_TODAY),
            )
            .order_by(Lot.expires_on.asc().nulls_last(), Lot.created_at, Lot.id)
            .limit(1)
        )
    ).scalar_one_or_none()
    if first is not None:
        return first
    item = await session.get_one(SupplyItem, item_code)
    today = at.astimezone(CITY_TZ).date()
    expires_on = today + timedelta(days=item.shelf_life_days) if item.perishable else None
    return await stock_ledger.create_lot(session, key, item_code, expires_on)


# --- reminders and escalations, each told once ------------------------------------------------------------------


async def tell(session: AsyncSession, notice: ReportNotice, at: datetime) -> bool:
    """Stores the notice's messages (an outbox, sent by the dispatcher) unless it was told before, or the report
    was filed meanwhile (a reminder or an escalation about a filed report would be wrong). True when told now."""
    filed = await session.scalar(
        select(PlaceReport.id).where(
            PlaceReport.place_code == notice.place_code, PlaceReport.report_date == notice.report_date
        )
    )
    if filed is not None:
        return False
    told = await session.scalar(
        insert(PlaceReportNotice)
        .values(place_code=notice.place_code, report_date=notice.report_date, kind=notice.kind.value, told_at=at)
        .on_conflict_do_nothing()
        .returning(PlaceReportNotice.kind)
    )
    if told is None:
        return False
    place_name = await session.scalar(select(SupplyPlace.name).where(SupplyPlace.code == notice.place_code))
    city = await session.scalar(select(AdminUnit.code).where(AdminUnit.level == UnitLevel.CITY.value).limit(1))
    values: dict[str, object] = {
        "place": place_name,
        "day": vn_date(notice.report_date),
        "deadline": vn_deadline(notice.deadline),
    }
    units = {"place": None, "district": notice.district_code, "city": city}
    # Who hears of it: the audiences the catalogue has a text for (the reminder is the place's own).
    keys = {audience: f"notice.{audience}.place_report.{notice.kind.value}" for audience in units}
    await session.execute(
        insert(Notification).values(
            [
                {
                    "request_id": None,
                    "seq": 0,
                    "audience": audience,
                    "unit_code": units[audience],
                    "place_code": notice.place_code,
                    "event": f"place_report_{notice.kind.value}",
                    "message": notice_text(STAFF_LANG, key, values),
                    "created_at": at,
                }
                for audience, key in keys.items()
                if has_notice(key)
            ]
        )
    )
    return True


# --- reads for the pages and the lists --------------------------------------------------------------------------


@dataclass(frozen=True)
class FiledReport:
    report: PlaceReport
    counts: list[PlaceReportCount]
    proposals: list[PlaceReportProposal]


async def filed_report(session: AsyncSession, place_code: str, day: date) -> FiledReport | None:
    report = await session.scalar(
        select(PlaceReport).where(PlaceReport.place_code == place_code, PlaceReport.report_date == day)
    )
    if report is None:
        return None
    counts = await session.scalars(
        select(PlaceReportCount).where(PlaceReportCount.report_id == report.id).order_by(PlaceReportCount.item_code)
    )
    proposals = await session.scalars(
        select(PlaceReportProposal)
        .where(PlaceReportProposal.report_id == report.id)
        .order_by(PlaceReportProposal.line_no)
    )
    return FiledReport(report, list(counts), list(proposals))


@dataclass(frozen=True)
class AdjustmentRow:
    adjustment: PlaceReportAdjustment
    report_date: date
    place_name: str
    item: SupplyItem


async def adjustments(
    session: AsyncSession, places: ColumnElement[bool], pending_only: bool = True, limit: int = 200
) -> list[AdjustmentRow]:
    """Adjustments at the places `places` selects (a condition on supply_places), oldest first."""
    query = (
        select(PlaceReportAdjustment, PlaceReport.report_date, SupplyPlace.name, SupplyItem)
        .join(PlaceReport, PlaceReport.id == PlaceReportAdjustment.report_id)
        .join(SupplyPlace, SupplyPlace.code == PlaceReportAdjustment.place_code)
        .join(SupplyItem, SupplyItem.code == PlaceReportAdjustment.item_code)
        .where(places)
        .order_by(PlaceReport.report_date, SupplyPlace.code, SupplyItem.code)
        .limit(limit)
    )
    if pending_only:
        query = query.where(PlaceReportAdjustment.state == AdjustmentState.PENDING.value)
    return [AdjustmentRow(a, day, name, item) for a, day, name, item in (await session.execute(query)).all()]


@dataclass(frozen=True)
class DayStatus:
    place: SupplyPlace
    report: PlaceReport | None
    pending_adjustments: int


async def day_status(session: AsyncSession, places: ColumnElement[bool], day: date) -> list[DayStatus]:
    """Every reporting place `places` selects, with its report of the day (or None) and its pending adjustments."""
    pending = (
        select(func.count())
        .where(
            PlaceReportAdjustment.place_code == SupplyPlace.code,
            PlaceReportAdjustment.state == AdjustmentState.PENDING.value,
        )
        .scalar_subquery()
    )
    rows = await session.execute(
        select(SupplyPlace, PlaceReport, pending)
        .outerjoin(PlaceReport, and_(PlaceReport.place_code == SupplyPlace.code, PlaceReport.report_date == day))
        .where(places, SupplyPlace.active, SupplyPlace.kind.in_([k.value for k in REPORTING_KINDS]))
        .order_by(SupplyPlace.district_code, SupplyPlace.kind, SupplyPlace.code)
    )
    return [DayStatus(place, report, count) for place, report, count in rows.all()]
