"""The spoilage watch's database work: flag lots near or past their expiry, list the flags still open, and count
what each place wrote off per week.

A flag is raised once per place, lot and kind: the flag's primary key decides, in the same statement that finds
it due (INSERT ... SELECT ... ON CONFLICT DO NOTHING), and the notifications to the place's staff and the city
are stored in the same transaction for the flags that statement inserted and no others. So a round retried
after its commit, or two rounds at once, tell nobody twice. "Today" is the database's city day, the one its
expiry rule reads (migration 0008), so the watch and the block agree on when a lot expired.
"""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import ColumnElement, Date, and_, case, cast, exists, func, literal, or_, select, true
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from common.city_time import CITY_TZ, vn_date
from db.geography import AdminUnit
from db.notifications import Notification
from db.stock_watch import StockExpiryFlag
from db.supply import Lot, StockBalance, StockMovement, SupplyItem, SupplyPlace
from domain.roles import UnitLevel
from domain.spoilage import ExpiryFlag, FlagKind, SpoilagePolicy, SpoiledWeek, WatchReport
from domain.supply import MovementKind
from services.notices import STAFF_LANG, notice
from services.stock_ledger import CITY_TODAY


@dataclass(frozen=True)
class PlaceFilter:
    """Which places: one, a district's, a ward's, or (all None) the city's."""

    place_code: str | None = None
    district_code: str | None = None
    unit_code: str | None = None

    def clause(self) -> ColumnElement[bool]:
        parts = [
            column == value
            for column, value in (
                (SupplyPlace.code, self.place_code),
                (SupplyPlace.district_code, self.district_code),
                (SupplyPlace.unit_code, self.unit_code),
            )
            if value is not None
        ]
        return and_(true(), *parts)


def _due(kind: FlagKind, policy: SpoilagePolicy) -> ColumnElement[bool]:
    if kind == FlagKind.WRITE_OFF:
        return Lot.expires_on < CITY_TODAY
    days = (
        case(policy.warning_days, value=SupplyItem.category, else_=policy.other_days)
        if policy.warning_days
        else literal(policy.other_days)
    )
    return and_(Lot.expires_on >= CITY_TODAY, Lot.expires_on <= CITY_TODAY + days)


async def flag_due(session: AsyncSession, policy: SpoilagePolicy) -> WatchReport:
    """Flags every perishable lot with stock on hand that entered its warning window, and every lot with stock
    past its expiry (the database blocks it, whatever the item: someone must write it off), and stores a
    notification of each new flag to the place's staff and to the city."""
    raised: dict[FlagKind, int] = {}
    for kind in FlagKind:
        due = (
            select(
                StockBalance.place_code,
                StockBalance.lot_id,
                literal(kind.value),
                Lot.item_code,
                Lot.expires_on,
                StockBalance.on_hand,
            )
            .join(Lot, Lot.id == StockBalance.lot_id)
            .join(SupplyItem, SupplyItem.code == Lot.item_code)
            .where(StockBalance.on_hand > 0, Lot.expires_on.is_not(None), _due(kind, policy))
            .where(SupplyItem.perishable if kind == FlagKind.EXPIRING else true())
        )
        inserted = (
            await session.execute(
                insert(StockExpiryFlag)
                .from_select(["place_code", "lot_id", "kind", "item_code", "expires_on", "on_hand"], due)
                .on_conflict_do_nothing()
                .returning(StockExpiryFlag.place_code, StockExpiryFlag.lot_id)
            )
        ).all()
        raised[kind] = len(inserted)
        await _notify(session, kind, [(place, lot) for place, lot in inserted])
    return WatchReport(expiring=raised[FlagKind.EXPIRING], write_off=raised[FlagKind.WRITE_OFF])


async def _notify(session: AsyncSession, kind: FlagKind, flags: Sequence[tuple[str, uuid.UUID]]) -> None:
    if not flags:
        return
    city = await session.scalar(select(AdminUnit.code).where(AdminUnit.level == UnitLevel.CITY.value).limit(1))
    rows = await session.execute(
        select(StockExpiryFlag, SupplyPlace.name, SupplyItem.name_vi, SupplyItem.unit)
        .join(SupplyPlace, SupplyPlace.code == StockExpiryFlag.place_code)
        .join(SupplyItem, SupplyItem.code == StockExpiryFlag.item_code)
        .where(
            StockExpiryFlag.kind == kind.value,
            func.row(StockExpiryFlag.place_code, StockExpiryFlag.lot_id).in_([func.row(p, lot) for p, lot in flags]),
        )
    )
    now = datetime.now(UTC)
    values = []
    for flag, place_name, item_name, unit in rows:
        words = {
            "item": item_name,
            "place": place_name,
            "expires_on": vn_date(flag.expires_on),
            "quantity": f"{flag.on_hand.normalize():f}",
            "unit": unit,
        }
        message = notice(STAFF_LANG, f"notice.staff.stock_{kind.value}", words)
        event = f"stock_{kind.value}"
        # The place's own staff by place; the city's officials by their unit, as other staff messages are kept.
        for audience, unit_code in (("place", None), ("city", city)):
            values.append(
                {
                    "request_id": None,
                    "seq": 0,
                    "audience": audience,
                    "unit_code": unit_code,
                    "place_code": flag.place_code,
                    "event": event,
                    "message": message,
                    "created_at": now,
                }
            )
    await session.execute(insert(Notification).values(values))


async def open_flags(session: AsyncSession, *places: PlaceFilter) -> list[ExpiryFlag]:
    """The flags whose lot still has stock at the place, soonest expiry first. A lot flagged for write-off is
    listed as that alone; one written off (nothing on hand) is no longer listed."""
    write_off = aliased(StockExpiryFlag)
    superseded = exists().where(
        write_off.place_code == StockExpiryFlag.place_code,
        write_off.lot_id == StockExpiryFlag.lot_id,
        write_off.kind == FlagKind.WRITE_OFF.value,
    )
    rows = await session.execute(
        select(
            StockExpiryFlag.kind,
            StockExpiryFlag.place_code,
            SupplyPlace.name,
            SupplyPlace.district_code,
            StockExpiryFlag.lot_id,
            StockExpiryFlag.item_code,
            SupplyItem.name_vi,
            SupplyItem.name_en,
            SupplyItem.unit,
            StockExpiryFlag.expires_on,
            StockBalance.on_hand,
        )
        .join(
            StockBalance,
            and_(StockBalance.place_code == StockExpiryFlag.place_code, StockBalance.lot_id == StockExpiryFlag.lot_id),
        )
        .join(SupplyPlace, SupplyPlace.code == StockExpiryFlag.place_code)
        .join(SupplyItem, SupplyItem.code == StockExpiryFlag.item_code)
        .where(
            *(p.clause() for p in places),
            StockBalance.on_hand > 0,
            or_(StockExpiryFlag.kind == FlagKind.WRITE_OFF.value, ~superseded),
        )
        .order_by(StockExpiryFlag.expires_on, StockExpiryFlag.place_code, StockExpiryFlag.item_code)
    )
    return [
        ExpiryFlag(
            kind=FlagKind(r[0]),
            place_code=r[1],
            place_name=r[2],
            district_code=r[3],
            lot_id=str(r[4]),
            item_code=r[5],
            item_name_vi=r[6],
            item_name_en=r[7],
            unit=r[8],
            expires_on=r[9],
            on_hand=r[10],
        )
        for r in rows
    ]


async def spoiled_per_week(session: AsyncSession, since: date, *places: PlaceFilter) -> list[SpoiledWeek]:
    """What each place wrote off per ISO week (city time) from the week of `since`, oldest week first: only
    places and weeks with a write-off."""
    local = func.timezone(CITY_TZ.key, StockMovement.occurred_at)
    week = cast(func.date_trunc("week", local), Date).label("week")
    written = -StockMovement.quantity
    is_kg = SupplyItem.unit == "kg"
    rows = await session.execute(
        select(
            StockMovement.place_code,
            SupplyPlace.name,
            SupplyPlace.district_code,
            week,
            func.coalesce(func.sum(written).filter(is_kg), 0),
            func.coalesce(func.sum(written).filter(~is_kg), 0),
        )
        .join(SupplyItem, SupplyItem.code == StockMovement.item_code)
        .join(SupplyPlace, SupplyPlace.code == StockMovement.place_code)
        .where(
            *(p.clause() for p in places),
            StockMovement.kind == MovementKind.WRITTEN_OFF.value,
            local >= since - timedelta(days=since.weekday()),
        )
        .group_by(StockMovement.place_code, SupplyPlace.name, SupplyPlace.district_code, week)
        .order_by(week, StockMovement.place_code)
    )
    return [
        SpoiledWeek(place_code=r[0], place_name=r[1], district_code=r[2], week_start=r[3], kg=r[4], units=r[5])
        for r in rows
    ]
