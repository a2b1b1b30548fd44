"""Reading stock: by place and item for the people responsible for it, and the public's totals.

Officials and supervisors see each place in their scope with what is on hand, reserved for households and free,
how many days its free bags last at the pace of the last seven days, and the lots near their expiry; warehouse staff
see their own place. Everything is grouped in PostgreSQL over stock_balances (one row per place and lot) and the
issue movements of the last week (a partial index on issues by place and time); nothing is summed in Python.

The public's totals (received, distributed, on hand, spoiled, by item and district) sum every movement ever made, so
each process keeps them for a minute: a page anyone can open cannot make the database add up the ledger on every hit.
"""

import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, case, func, literal, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.geography import AdminUnit
from db.supply import Lot, StockBalance, StockMovement, SupplyItem, SupplyPlace
from domain.roles import Role
from domain.supply import FOOD_BAG, INSTITUTION_KINDS, MovementKind, PlaceKind
from services.stock_ledger import CITY_TODAY
from usecases.context import Context
from usecases.principal import Principal
from usecases.schemas.stock import (
    ItemStock,
    LotStock,
    PlaceDetail,
    PlaceStock,
    PublicDistrictTotals,
    PublicItemTotals,
    PublicStockTotals,
    StockOverview,
)
from usecases.supply.stock_places import STOCK_HOLDING_KINDS, Place, place_scope_clause, visible_place

COVER_WINDOW_DAYS = 7
NEAR_EXPIRY_DAYS = 7
NEAR_EXPIRY_ROWS = 200
PUBLIC_TOTALS_MAX_AGE = 60.0  # seconds
ISSUE_KINDS = (MovementKind.ISSUED_HOUSEHOLD.value, MovementKind.ISSUED_INSTITUTION.value)


@dataclass(frozen=True)
class _Items:
    by_code: dict[str, SupplyItem]

    def stock(self, code: str, on_hand: Decimal, reserved: Decimal) -> ItemStock:
        item = self.by_code[code]
        return ItemStock(
            item_code=code,
            name_vi=item.name_vi,
            name_en=item.name_en,
            unit=item.unit,
            on_hand=on_hand,
            reserved=reserved,
            free=on_hand - reserved,
        )


async def _items(session: AsyncSession) -> _Items:
    return _Items({i.code: i for i in (await session.execute(select(SupplyItem))).scalars()})


def _places_in_scope(principal: Principal, district_code: str | None) -> Select[Any]:
    query = select(SupplyPlace).where(
        place_scope_clause(principal), SupplyPlace.active, SupplyPlace.kind.in_([k.value for k in STOCK_HOLDING_KINDS])
    )
    if district_code is not None:
        query = query.where(SupplyPlace.district_code == district_code)
    return query


def days_of_cover(free_bags: Decimal, issued: Decimal) -> Decimal | None:
    """Free bags ÷ bags issued per day over the window; None when none were issued (no pace to divide by)."""
    if issued <= 0:
        return None
    return (free_bags / (issued / COVER_WINDOW_DAYS)).quantize(Decimal("0.1"))


def bags_issued_in_window(place_codes: list[str]) -> Select[str, Decimal]:
    """(place, bags issued) over the cover window: a range of the issues index per place."""
    return (
        select(StockMovement.place_code, -func.sum(StockMovement.quantity))
        .where(
            StockMovement.place_code.in_(place_codes),
            StockMovement.kind.in_(ISSUE_KINDS),
            StockMovement.occurred_at >= func.statement_timestamp() - timedelta(days=COVER_WINDOW_DAYS),
            StockMovement.item_code == FOOD_BAG,
        )
        .group_by(StockMovement.place_code)
    )


async def _place_stock(session: AsyncSession, places: Sequence[SupplyPlace | Place], items: _Items) -> list[PlaceStock]:
    codes = [p.code for p in places]
    if not codes:
        return []
    balances = (
        await session.execute(
            select(
                StockBalance.place_code,
                StockBalance.item_code,
                func.sum(StockBalance.on_hand),
                func.sum(StockBalance.reserved),
            )
            .where(StockBalance.place_code.in_(codes))
            .group_by(StockBalance.place_code, StockBalance.item_code)
            .having(func.sum(StockBalance.on_hand) > 0)
        )
    ).all()
    issued = dict((await session.execute(bags_issued_in_window(codes))).all())
    by_place: dict[str, list[ItemStock]] = defaultdict(list)
    for place_code, item_code, on_hand, reserved in balances:
        by_place[place_code].append(items.stock(item_code, Decimal(on_hand), Decimal(reserved)))
    answer = []
    for place in places:
        rows = sorted(by_place.get(place.code, []), key=lambda r: (r.item_code != FOOD_BAG, r.item_code))
        free_bags = next((r.free for r in rows if r.item_code == FOOD_BAG), Decimal(0))
        bags_issued = Decimal(issued.get(place.code) or 0)
        answer.append(
            PlaceStock(
                place_code=place.code,
                name=place.name,
                kind=place.kind,
                district_code=place.district_code,
                items=rows,
                free_bags=free_bags,
                bags_issued_7_days=bags_issued,
                days_of_cover=days_of_cover(free_bags, bags_issued),
            )
        )
    return answer


def _lots_query(items: _Items) -> Select[Any]:
    expired = case((Lot.expires_on < CITY_TODAY, literal(True)), else_=literal(False))
    return (
        select(
            StockBalance.place_code,
            SupplyPlace.name,
            StockBalance.lot_id,
            StockBalance.item_code,
            Lot.expires_on,
            StockBalance.on_hand,
            StockBalance.reserved,
            expired,
        )
        .join(Lot, Lot.id == StockBalance.lot_id)
        .join(SupplyPlace, SupplyPlace.code == StockBalance.place_code)
        .where(StockBalance.on_hand > 0)
    )


def _lot(items: _Items, row: Any) -> LotStock:
    place_code, place_name, lot_id, item_code, expires_on, on_hand, reserved, expired = row
    item = items.by_code[item_code]
    return LotStock(
        place_code=place_code,
        place_name=place_name,
        lot_id=lot_id,
        item_code=item_code,
        name_vi=item.name_vi,
        name_en=item.name_en,
        unit=item.unit,
        expires_on=expires_on,
        on_hand=Decimal(on_hand),
        reserved=Decimal(reserved),
        expired=bool(expired),
    )


async def overview(
    ctx: Context, principal: Principal, district_code: str | None = None, near_expiry_days: int = NEAR_EXPIRY_DAYS
) -> StockOverview:
    """Each place in scope with its stock and days of cover, and the lots within `near_expiry_days` of expiry
    (or past it), soonest first. A district official sees their district whatever they ask for."""
    session = ctx.session
    if principal.role == Role.DISTRICT_OFFICIAL:
        district_code = principal.district_code
    items = await _items(session)
    places = list(
        (
            await session.execute(
                _places_in_scope(principal, district_code).order_by(SupplyPlace.kind, SupplyPlace.code)
            )
        ).scalars()
    )
    in_scope = _places_in_scope(principal, district_code).with_only_columns(SupplyPlace.code)
    near = (
        await session.execute(
            _lots_query(items)
            .where(
                StockBalance.place_code.in_(in_scope.scalar_subquery()),
                Lot.expires_on <= CITY_TODAY + near_expiry_days,
            )
            .order_by(Lot.expires_on, StockBalance.place_code)
            .limit(NEAR_EXPIRY_ROWS)
        )
    ).all()
    return StockOverview(
        places=await _place_stock(session, places, items),
        near_expiry=[_lot(items, r) for r in near],
        near_expiry_days=near_expiry_days,
    )


async def place(ctx: Context, principal: Principal, place_code: str) -> PlaceDetail:
    """One place's stock by item and by lot (soonest expiry first), for its staff and the officials over it."""
    session = ctx.session
    found = await visible_place(session, principal, place_code)
    items = await _items(session)
    [summary] = await _place_stock(session, [found], items)
    lots = (
        await session.execute(
            _lots_query(items)
            .where(StockBalance.place_code == found.code)
            .order_by(Lot.expires_on.asc().nulls_last(), StockBalance.item_code)
        )
    ).all()
    return PlaceDetail(**summary.model_dump(), lots=[_lot(items, r) for r in lots])


_public: tuple[float, PublicStockTotals] | None = None


async def public_totals(ctx: Context) -> PublicStockTotals:
    """Received, distributed (issued to households and institutions), on hand and spoiled (written off), by item
    and by district. No person, household or place below a district appears."""
    global _public
    if _public is not None and time.monotonic() - _public[0] < PUBLIC_TOTALS_MAX_AGE:
        return _public[1]
    totals = await _sum_public_totals(ctx.session)
    _public = (time.monotonic(), totals)
    return totals


async def _sum_public_totals(session: AsyncSession) -> PublicStockTotals:
    items = await _items(session)
    flows = (
        await session.execute(
            select(
                SupplyPlace.district_code, StockMovement.item_code, StockMovement.kind, func.sum(StockMovement.quantity)
            )
            .join(SupplyPlace, SupplyPlace.code == StockMovement.place_code)
            .where(StockMovement.kind.in_([MovementKind.RECEIVED.value, *ISSUE_KINDS, MovementKind.WRITTEN_OFF.value]))
            .group_by(SupplyPlace.district_code, StockMovement.item_code, StockMovement.kind)
        )
    ).all()
    held = (
        await session.execute(
            select(SupplyPlace.district_code, StockBalance.item_code, func.sum(StockBalance.on_hand))
            .join(SupplyPlace, SupplyPlace.code == StockBalance.place_code)
            .group_by(SupplyPlace.district_code, StockBalance.item_code)
        )
    ).all()
    figures: dict[tuple[str | None, str], dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    column = {MovementKind.RECEIVED.value: "received", MovementKind.WRITTEN_OFF.value: "spoiled"}
    for district, item, kind, quantity in flows:
        figures[(district, item)][column.get(kind, "distributed")] += abs(Decimal(quantity))
    for district, item, on_hand in held:
        figures[(district, item)]["on_hand"] += Decimal(on_hand)
    names = dict(
        (
            await session.execute(
                select(AdminUnit.code, AdminUnit.name).where(AdminUnit.code.in_({d for d, _ in figures}))
            )
        ).all()
    )

    def line(item_code: str, values: dict[str, Decimal]) -> PublicItemTotals:
        item = items.by_code[item_code]
        return PublicItemTotals(
            item_code=item_code,
            name_vi=item.name_vi,
            name_en=item.name_en,
            unit=item.unit,
            received=values["received"],
            distributed=values["distributed"],
            on_hand=values["on_hand"],
            spoiled=values["spoiled"],
        )

    city: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    districts: dict[str, list[PublicItemTotals]] = defaultdict(list)
    for (district, item_code), values in sorted(figures.items(), key=lambda pair: (pair[0][0] or "", pair[0][1])):
        if district is not None:
            districts[district].append(line(item_code, values))
        for name, value in values.items():
            city[item_code][name] += value
    return PublicStockTotals(
        items=[line(code, values) for code, values in sorted(city.items())],
        districts=[
            PublicDistrictTotals(district_code=code, district_name=names.get(code, code), items=rows)
            for code, rows in sorted(districts.items())
        ],
    )


async def destinations(
    ctx: Context, principal: Principal, place_code: str
) -> tuple[list[SupplyPlace], list[SupplyPlace]]:
    """Where a place's staff usually send goods: the other places of its district and every warehouse (the city's
    and the districts'); and the institutions they may issue to."""
    session = ctx.session
    here = await visible_place(session, principal, place_code)
    places = (
        await session.execute(
            select(SupplyPlace)
            .where(
                SupplyPlace.active,
                SupplyPlace.code != here.code,
                SupplyPlace.kind.in_([k.value for k in STOCK_HOLDING_KINDS]),
                or_(
                    SupplyPlace.district_code == here.district_code,
                    SupplyPlace.kind.in_([PlaceKind.CITY_WAREHOUSE.value, PlaceKind.DISTRICT_WAREHOUSE.value]),
                ),
            )
            .order_by(SupplyPlace.kind, SupplyPlace.code)
        )
    ).scalars()
    institutions = (
        await session.execute(
            select(SupplyPlace)
            .where(SupplyPlace.active, SupplyPlace.kind.in_([k.value for k in INSTITUTION_KINDS]))
            .order_by(SupplyPlace.name)
        )
    ).scalars()
    return list(places), list(institutions)
