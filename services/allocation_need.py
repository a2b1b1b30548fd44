"""The allocation round's problem, read from the database: each destination's need with its parts
(domain/allocation_need.py), and the city warehouses' lots as the sources.

- District warehouses: bags for their wards' requests in `awaiting_stock`, registry households not reached
  within the entitlement window and holding no open request, and requests open ahead of a bag; as items through
  the kit in force; less the loose stock and free bags at the warehouse and its wards' points, and what is in
  transit to them.
- Hospitals, quarantine areas, kitchens: their latest filed proposals (services/place_reports.py), less stock on
  hand and in transit.
- In transit follows the shipments' ledger convention (domain/shipments.py): `transferred_out` towards the place
  under a `shipment:` key, less `transferred_in` at the place under a `shipment:` key.
- Sources: usable, unreserved stock of the city's warehouses, lot by lot, past-expiry lots left out.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from db.deliveries import Delivery
from db.geography import AdminUnit
from db.households import Household, HouseholdClaim
from db.registries import RegistryEntry
from db.requests import ReliefRequest
from db.supply import Lot, StockBalance, StockMovement, SupplyItem, SupplyPlace
from domain.allocation import (
    AllocationItem,
    AllocationProblem,
    Destination,
    Need,
    OnHand,
    Source,
    SupplyLot,
)
from domain.allocation_need import (
    DestinationNeed,
    ItemNeed,
    NeedPart,
    NeedPartKind,
    bag_item_needs,
    proposal_item_need,
)
from domain.allocation_round import AllocationRoundPolicy
from domain.stages import RequestKind, Stage
from domain.supply import FOOD_BAG, INSTITUTION_KINDS, MovementKind, PlaceKind
from services import kits, place_reports

AHEAD_STAGES = (Stage.REGISTERED.value, Stage.AWAITING_VERIFICATION.value)
SHIPMENT_KEYS = "shipment:%"


@dataclass(frozen=True)
class PreparedRound:
    problem: AllocationProblem
    needs: tuple[DestinationNeed, ...]


async def prepare(
    session: AsyncSession, round_date: date, now: datetime, policy: AllocationRoundPolicy
) -> PreparedRound:
    places = {p.code: p for p in await session.scalars(select(SupplyPlace).where(SupplyPlace.active))}
    _, kit = await kits.current_kit(session)
    stock = await _usable_stock(session, round_date)
    transit = await in_transit(session)
    needs = [
        *await _district_needs(session, places, kit, stock, transit, now, policy),
        *await _institution_needs(session, places, stock, transit, round_date),
    ]
    items = await _items(session, policy)
    destinations = tuple(
        _destination(places[n.place_code], n, stock, policy, round_date) for n in needs if _has_need(n)
    )
    sources = tuple(_source(p, stock) for p in places.values() if p.kind == PlaceKind.CITY_WAREHOUSE)
    problem = AllocationProblem(
        round_date=round_date,
        transit_days=policy.transit_days,
        items=tuple(items),
        sources=tuple(s for s in sources if s.lots),
        destinations=tuple(d for d in destinations if d.needs),
        policy=policy.allocation,
    )
    return PreparedRound(problem=problem, needs=tuple(sorted(needs, key=lambda n: n.place_code)))


# --- stock ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Lot:
    lot_id: str
    item_code: str
    free: Decimal
    expires_on: date | None


async def _usable_stock(session: AsyncSession, round_date: date) -> dict[str, list[_Lot]]:
    """Each place's unreserved stock, lot by lot, leaving out lots past their expiry on the round's day."""
    rows = await session.execute(
        select(
            StockBalance.place_code,
            StockBalance.lot_id,
            StockBalance.item_code,
            StockBalance.on_hand - StockBalance.reserved,
            Lot.expires_on,
        )
        .join(Lot, Lot.id == StockBalance.lot_id)
        .where(
            StockBalance.on_hand > StockBalance.reserved,
            or_(Lot.expires_on.is_(None), Lot.expires_on >= round_date),
        )
        .order_by(StockBalance.place_code, Lot.expires_on, StockBalance.lot_id)
    )
    stock: dict[str, list[_Lot]] = defaultdict(list)
    for place, lot_id, item, free, expires_on in rows.all():
        stock[place].append(_Lot(str(lot_id), item, Decimal(free), expires_on))
    return stock


async def in_transit(session: AsyncSession) -> dict[tuple[str, str], Decimal]:
    """(place, item) → dispatched towards the place by shipments and not yet received there."""
    out = await session.execute(
        select(StockMovement.counterpart_code, StockMovement.item_code, func.sum(-StockMovement.quantity))
        .where(
            StockMovement.kind == MovementKind.TRANSFERRED_OUT.value,
            StockMovement.idempotency_key.like(SHIPMENT_KEYS),
            StockMovement.counterpart_code.is_not(None),
        )
        .group_by(StockMovement.counterpart_code, StockMovement.item_code)
    )
    received = await session.execute(
        select(StockMovement.place_code, StockMovement.item_code, func.sum(StockMovement.quantity))
        .where(
            StockMovement.kind == MovementKind.TRANSFERRED_IN.value,
            StockMovement.idempotency_key.like(SHIPMENT_KEYS),
        )
        .group_by(StockMovement.place_code, StockMovement.item_code)
    )
    transit: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for counterpart, item, quantity in out.all():
        transit[(str(counterpart), item)] += Decimal(quantity)
    for place, item, quantity in received.all():
        transit[(place, item)] -= Decimal(quantity)
    return {key: q for key, q in transit.items() if q > 0}


def _as_items(per_item: dict[str, Decimal], kit: dict[str, Decimal]) -> dict[str, Decimal]:
    """Loose items as they are, free bags as their kit lines."""
    items: dict[str, Decimal] = defaultdict(Decimal)
    for item, quantity in per_item.items():
        if item == FOOD_BAG:
            for line, per_bag in kit.items():
                items[line] += quantity * per_bag
        else:
            items[item] += quantity
    return items


# --- districts --------------------------------------------------------------------------------------------


async def _district_needs(
    session: AsyncSession,
    places: dict[str, SupplyPlace],
    kit: dict[str, Decimal],
    stock: dict[str, list[_Lot]],
    transit: dict[tuple[str, str], Decimal],
    now: datetime,
    policy: AllocationRoundPolicy,
) -> list[DestinationNeed]:
    parts = await _bag_parts(session, now, policy.entitlement_window)
    waited = await _waited_days(session, now)
    needs = []
    warehouses = [p for p in places.values() if p.kind == PlaceKind.DISTRICT_WAREHOUSE.value]
    for warehouse in sorted(warehouses, key=lambda p: p.code):
        district = warehouse.district_code or warehouse.unit_code
        served = [warehouse.code] + [
            p.code for p in places.values() if p.kind == PlaceKind.WARD_POINT.value and p.district_code == district
        ]
        bag_parts = tuple(parts.get(district, ()))
        bags = sum((p.quantity for p in bag_parts), Decimal(0))
        if bags <= 0:
            continue
        on_hand: dict[str, Decimal] = defaultdict(Decimal)
        coming: dict[str, Decimal] = defaultdict(Decimal)
        for code in served:
            for lot in stock.get(code, []):
                on_hand[lot.item_code] += lot.free
            for (place, item), quantity in transit.items():
                if place == code:
                    coming[item] += quantity
        needs.append(
            DestinationNeed(
                place_code=warehouse.code,
                kind=PlaceKind.DISTRICT_WAREHOUSE,
                district_code=district,
                households=int(bags),
                waited_days=waited.get(district, 0),
                bag_parts=bag_parts,
                items=bag_item_needs(bags, kit, _as_items(on_hand, kit), _as_items(coming, kit), policy.horizon_days),
            )
        )
    return needs


async def _bag_parts(session: AsyncSession, now: datetime, window: timedelta) -> dict[str, list[NeedPart]]:
    """district → the bags it needs, one part per kind and ward."""
    ward = aliased(AdminUnit)
    food = ReliefRequest.kind == RequestKind.FOOD_BAG.value
    requests = await session.execute(
        select(ReliefRequest.district_code, ReliefRequest.ward_code, ReliefRequest.stage, func.count())
        .where(food, ReliefRequest.stage.in_([Stage.AWAITING_STOCK.value, *AHEAD_STAGES]))
        .group_by(ReliefRequest.district_code, ReliefRequest.ward_code, ReliefRequest.stage)
    )
    parts: dict[str, list[NeedPart]] = defaultdict(list)
    counted: dict[tuple[str, str, NeedPartKind], int] = defaultdict(int)
    for district, ward_code, stage, n in requests.all():
        kind = NeedPartKind.AWAITING_STOCK if stage == Stage.AWAITING_STOCK.value else NeedPartKind.AHEAD
        counted[(district, ward_code, kind)] += int(n)
    merged = aliased(Household)
    reached = exists(
        select(Delivery.id)
        .join(merged, merged.id == Delivery.household_id)
        .where(
            Delivery.kind == RequestKind.FOOD_BAG.value,
            Delivery.delivered_at >= now - window,
            or_(merged.id == RegistryEntry.household_id, merged.merged_into == RegistryEntry.household_id),
        )
    )
    claimed = exists(
        select(HouseholdClaim.household_id).where(
            and_(
                HouseholdClaim.household_id == RegistryEntry.household_id,
                HouseholdClaim.kind == RequestKind.FOOD_BAG.value,
            )
        )
    )
    unreached = await session.execute(
        select(ward.parent_code, RegistryEntry.ward_code, func.count(func.distinct(RegistryEntry.household_id)))
        .join(ward, ward.code == RegistryEntry.ward_code)
        .where(~reached, ~claimed)
        .group_by(ward.parent_code, RegistryEntry.ward_code)
    )
    for parent, ward_code, n in unreached.all():
        counted[(str(parent), ward_code, NeedPartKind.UNREACHED)] += int(n)
    for (district, ward_code, kind), n in sorted(counted.items()):
        if n:
            parts[district].append(NeedPart(kind=kind, quantity=Decimal(n), note=ward_code))
    return parts


async def _waited_days(session: AsyncSession, now: datetime) -> dict[str, int]:
    """district → whole days its longest-waiting request has been in awaiting_stock."""
    rows = await session.execute(
        select(ReliefRequest.district_code, func.min(ReliefRequest.updated_at))
        .where(ReliefRequest.stage == Stage.AWAITING_STOCK.value)
        .group_by(ReliefRequest.district_code)
    )
    return {district: max(0, (now - since).days) for district, since in rows.all()}


# --- institutions -----------------------------------------------------------------------------------------


async def _institution_needs(
    session: AsyncSession,
    places: dict[str, SupplyPlace],
    stock: dict[str, list[_Lot]],
    transit: dict[tuple[str, str], Decimal],
    round_date: date,
) -> list[DestinationNeed]:
    proposals: dict[str, dict[str, list[tuple[NeedPart, int]]]] = defaultdict(lambda: defaultdict(list))
    for line in await place_reports.latest_proposals(session, round_date):
        place = places.get(line.place_code)
        # A bag proposed by an institution is not something the round sends: bags are made at the districts.
        if place is None or PlaceKind(place.kind) not in INSTITUTION_KINDS or line.item_code == FOOD_BAG:
            continue
        note = f"{line.report_date.isoformat()} · {line.reason}"
        part = NeedPart(kind=NeedPartKind.PROPOSAL, quantity=line.quantity, note=note, days=line.days)
        proposals[line.place_code][line.item_code].append((part, line.days))
    needs = []
    for code, by_item in sorted(proposals.items()):
        place = places[code]
        on_hand: dict[str, Decimal] = defaultdict(Decimal)
        for lot in stock.get(code, []):
            on_hand[lot.item_code] += lot.free
        items: list[ItemNeed] = []
        for item_code, lines in sorted(by_item.items()):
            days = max(d for _, d in lines)
            items.append(
                proposal_item_need(
                    item_code,
                    [p for p, _ in lines],
                    days,
                    on_hand.get(item_code, Decimal(0)),
                    transit.get((code, item_code), Decimal(0)),
                )
            )
        needs.append(
            DestinationNeed(
                place_code=code,
                kind=PlaceKind(place.kind),
                district_code=place.district_code or place.unit_code,
                households=1,
                waited_days=0,
                items=tuple(items),
            )
        )
    return needs


# --- the problem ------------------------------------------------------------------------------------------


def _has_need(need: DestinationNeed) -> bool:
    return any(item.net > 0 for item in need.items)


def _destination(
    place: SupplyPlace, need: DestinationNeed, stock: dict[str, list[_Lot]], policy: AllocationRoundPolicy, on: date
) -> Destination:
    weight = min(policy.waiting_weight_cap, 1.0 + need.waited_days)
    here = stock.get(place.code, [])
    return Destination(
        code=place.code,
        kind=need.kind,
        district_code=need.district_code,
        latitude=place.latitude or 0.0,
        longitude=place.longitude or 0.0,
        households=need.households,
        needs=tuple(
            Need(
                item_code=item.item_code,
                quantity=item.net,
                daily_use=item.daily_use,
                on_hand=tuple(
                    OnHand(quantity=lot.free, expires_on=lot.expires_on)
                    for lot in here
                    if lot.item_code == item.item_code
                ),
                waiting_weight=weight,
            )
            for item in need.items
            if item.net > 0
        ),
    )


def _source(place: SupplyPlace, stock: dict[str, list[_Lot]]) -> Source:
    return Source(
        code=place.code,
        kind=PlaceKind.CITY_WAREHOUSE,
        latitude=place.latitude or 0.0,
        longitude=place.longitude or 0.0,
        lots=tuple(
            SupplyLot(lot_id=lot.lot_id, item_code=lot.item_code, quantity=lot.free, expires_on=lot.expires_on)
            for lot in stock.get(place.code, [])
            if lot.item_code != FOOD_BAG
        ),
    )


async def _items(session: AsyncSession, policy: AllocationRoundPolicy) -> list[AllocationItem]:
    rows = await session.scalars(select(SupplyItem).where(SupplyItem.code != FOOD_BAG).order_by(SupplyItem.code))
    return [
        AllocationItem(
            code=item.code,
            unit=item.unit,
            kg_per_unit=policy.kg_per_unit.get(item.unit, policy.other_kg_per_unit),
            perishable=item.perishable,
            whole_units=item.whole_units,
        )
        for item in rows
    ]
