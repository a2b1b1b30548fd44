"""The allocation round's optimiser: which lots go from which warehouse to which destination (docs/allocation.md).

Pure computation over an AllocationProblem, no database. Two linear programs, solved by HiGHS:

1. **Equal share** (max-min fairness): for each item, the largest share φ of its need that every destination can
   be given at once, counting only what can be used before it expires.
2. **The plan**: every destination is held to `fairness_floor` × φ of each need; within that, minimise the unmet
   need in household-days weighted by how long households have waited, plus the haul (tonne-km), plus a penalty
   heavier than any need on each unit that would expire before its destination could use it.

A unit that reaches a destination on day `a` is used in expiry order at the destination's daily use, together with
what is already on hand there; of the units expiring by day `t`, at most `daily_use × (t − a + 1)` less what is on
hand and expires by `t` can be used, and anything above that spoils. Columns and rows are built in code order, so
the same problem gives the same plan. Whole units are rounded down, line by line: what rounding leaves stays in the
warehouse. Items share nothing in a round (no vehicle is modelled), so each is solved on its own.
"""

import math
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_FLOOR, Decimal

from domain.allocation import (
    AllocationItem,
    AllocationLine,
    AllocationPlan,
    AllocationPolicy,
    AllocationProblem,
    Destination,
    DestinationCoverage,
    ItemCoverage,
    LineReason,
    Need,
    Remaining,
    SolverStatus,
    Source,
    SupplyLot,
)
from services.linear_program import LinearProgram, Solution

EARTH_RADIUS_KM = 6371.0
# Slack for the floors the plan is held to (relative) and for reading the solver's values back (absolute): both
# come back in floating point, and 44.99999999 kg is 45 kg.
FLOOR_TOLERANCE = 1e-9
READ_TOLERANCE = 1e-6


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


@dataclass(frozen=True)
class _Demand:
    """One destination's need of one item, with what a unit of it is worth."""

    destination: Destination
    need: Need
    shortfall_per_unit: float  # household-days a unit feeds, times the waiting weight


@dataclass(frozen=True)
class _Arc:
    source: Source
    lot: SupplyLot
    demand: int  # index into _ItemRound.demands
    km: float
    haul_per_unit: float  # in household-days' cost, as the objective counts everything


class _ItemRound:
    """One item's part of the round, indexed for the two programs: its demands, and an arc from each of its lots to
    each destination that needs it. Items share nothing in the round (no vehicle is modelled), so each item is
    solved on its own: fifty small programs instead of one large one, and the same answer."""

    def __init__(
        self,
        policy: AllocationPolicy,
        item: AllocationItem,
        arrival: date,
        demands: list[_Demand],
        lots: list[tuple[Source, SupplyLot]],
        distances: dict[tuple[str, str], float],
    ) -> None:
        self.item = item
        self.arrival = arrival
        self.fairness_floor = policy.fairness_floor
        self.demands = demands
        self.lots = lots
        haul_per_unit_km = policy.transport_cost_per_tonne_km / policy.shortfall_cost_per_household_day / 1000
        haul_per_unit_km *= item.kg_per_unit
        self.arcs: list[_Arc] = []
        for source, lot in lots:
            for index, demand in enumerate(demands):
                if demand.destination.code != source.code:
                    km = distances[(source.code, demand.destination.code)]
                    self.arcs.append(_Arc(source, lot, index, km, haul_per_unit_km * km))
        self.arcs_of_demand: list[list[int]] = [[] for _ in self.demands]
        self.arcs_of_lot: dict[str, list[int]] = defaultdict(list)
        for a, arc in enumerate(self.arcs):
            self.arcs_of_demand[arc.demand].append(a)
            self.arcs_of_lot[arc.lot.lot_id].append(a)
        worst = max((demand.shortfall_per_unit for demand in self.demands), default=0.0)
        self.spoilage_per_unit = policy.spoilage_weight * worst
        self.limits = [self._usable_by(demand) for demand in range(len(self.demands))]

    def _usable_by(self, demand: int) -> list[tuple[list[int], float]]:
        """For each expiry date that can bind: the arcs whose lots expire by then, and how much of them the
        destination can use by then (first expiry first out at its daily use, with its stock on hand). A date by
        which it could use its whole need binds nothing."""
        need = self.demands[demand].need
        arcs = sorted(self.arcs_of_demand[demand], key=lambda a: self.arcs[a].lot.expires_on or date.max)
        limits = []
        for position, a in enumerate(arcs):
            last = self.arcs[a].lot.expires_on
            if last is None:
                break
            following = self.arcs[arcs[position + 1]].lot.expires_on if position + 1 < len(arcs) else None
            if following == last:
                continue
            held = sum(float(h.quantity) for h in need.on_hand if h.expires_on and self.arrival <= h.expires_on <= last)
            usable = max(0.0, need.daily_use * ((last - self.arrival).days + 1) - held)
            if usable < float(need.quantity):
                limits.append((arcs[: position + 1], usable))
        return limits


def solve(problem: AllocationProblem) -> AllocationPlan:
    started = time.perf_counter()
    deadline = started + problem.policy.time_limit_s
    arrival = date.fromordinal(problem.round_date.toordinal() + problem.transit_days)
    demands: dict[str, list[_Demand]] = defaultdict(list)
    for destination in sorted(problem.destinations, key=lambda d: d.code):
        for need in destination.needs:
            if need.quantity > 0:
                worth = need.waiting_weight * destination.households / need.daily_use
                demands[need.item_code].append(_Demand(destination, need, worth))
    lots: dict[str, list[tuple[Source, SupplyLot]]] = defaultdict(list)
    for source in sorted(problem.sources, key=lambda s: s.code):
        for lot in sorted(source.lots, key=lambda lot: lot.lot_id):
            lots[lot.item_code].append((source, lot))
    distances = {
        (s.code, d.code): haversine_km(s.latitude, s.longitude, d.latitude, d.longitude)
        for s in problem.sources
        for d in problem.destinations
    }
    parts: list[tuple[_ItemRound, tuple[float, ...]]] = []
    equal_share: dict[str, float] = {}
    for item in sorted(problem.items, key=lambda i: i.code):
        part = _ItemRound(problem.policy, item, arrival, demands[item.code], lots[item.code], distances)
        if not part.demands:
            parts.append((part, ()))
            continue
        shares = _equal_share(part, deadline - time.perf_counter())
        if shares.status is SolverStatus.OPTIMAL:
            equal_share[item.code] = shares.values[-1]
            shares = _plan(part, equal_share[item.code], deadline - time.perf_counter())
        if shares.status is not SolverStatus.OPTIMAL:
            reason = f"{item.code}: {shares.reason}"
            return AllocationPlan(status=shares.status, reason=reason, solve_seconds=time.perf_counter() - started)
        parts.append((part, shares.values))
    return _answer(problem, arrival, parts, equal_share, time.perf_counter() - started)


def _shared_rows(program: LinearProgram, part: _ItemRound) -> None:
    """What both programs obey: a lot sends at most what it holds, a destination gets at most its need."""
    for arcs in part.arcs_of_lot.values():
        program.add_row([(a, 1.0) for a in arcs], upper=float(part.arcs[arcs[0]].lot.quantity))
    for demand, arcs in enumerate(part.arcs_of_demand):
        if arcs:
            program.add_row([(a, 1.0) for a in arcs], upper=float(part.demands[demand].need.quantity))


def _equal_share(part: _ItemRound, time_limit_s: float) -> Solution:
    """Maximises the share φ of its need that every destination receives, in goods it can use in time; φ is the
    last column."""
    program = LinearProgram()
    for _arc in part.arcs:
        program.add_column(0.0)
    share = program.add_column(-1.0, 0.0, 1.0)
    _shared_rows(program, part)
    for demand, arcs in enumerate(part.arcs_of_demand):
        for expiring, usable in part.limits[demand]:
            program.add_row([(a, 1.0) for a in expiring], upper=usable)
        need = part.demands[demand].need
        program.add_row([(a, 1.0) for a in arcs] + [(share, -float(need.quantity))], lower=0.0)
    return program.solve(time_limit_s)


def _plan(part: _ItemRound, equal_share: float, time_limit_s: float) -> Solution:
    program = LinearProgram()
    for arc in part.arcs:
        program.add_column(arc.haul_per_unit - part.demands[arc.demand].shortfall_per_unit)
    _shared_rows(program, part)
    for demand, arcs in enumerate(part.arcs_of_demand):
        need = part.demands[demand].need
        limits = part.limits[demand]
        # What would spoil at the destination: above every expiry date's usable amount, and penalised.
        less_spoiled = [(program.add_column(part.spoilage_per_unit), -1.0)] if limits else []
        for expiring, usable in limits:
            program.add_row([(a, 1.0) for a in expiring] + less_spoiled, upper=usable)
        floor = part.fairness_floor * equal_share * float(need.quantity)
        floor -= FLOOR_TOLERANCE * max(1.0, float(need.quantity))
        if arcs and floor > 0:
            program.add_row([(a, 1.0) for a in arcs] + less_spoiled, lower=floor)
    return program.solve(time_limit_s)


def _answer(
    problem: AllocationProblem,
    arrival: date,
    parts: list[tuple[_ItemRound, tuple[float, ...]]],
    equal_share: dict[str, float],
    seconds: float,
) -> AllocationPlan:
    shipped: list[tuple[_ItemRound, _Arc, Decimal]] = []
    sent_from_lot: dict[str, Decimal] = defaultdict(Decimal)
    received: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for part, values in parts:
        for arc, value in zip(part.arcs, values, strict=False):
            quantity = min(_rounded(value, part.item), arc.lot.quantity - sent_from_lot[arc.lot.lot_id])
            if quantity > 0:
                shipped.append((part, arc, quantity))
                sent_from_lot[arc.lot.lot_id] += quantity
                received[(part.demands[arc.demand].destination.code, part.item.code)] += quantity
    lines = []
    for part, arc, quantity in shipped:
        demand = part.demands[arc.demand]
        expires = arc.lot.expires_on
        reason = LineReason(
            need=demand.need.quantity,
            stock_left=arc.lot.quantity - sent_from_lot[arc.lot.lot_id],
            expires_on=expires,
            days_to_expiry_at_arrival=(expires - arrival).days if expires else None,
            distance_km=round(arc.km, 2),
        )
        lines.append(
            AllocationLine(
                from_place=arc.source.code,
                lot_id=arc.lot.lot_id,
                to_place=demand.destination.code,
                item_code=arc.lot.item_code,
                quantity=quantity,
                reason=reason,
            )
        )
    lines.sort(key=lambda line: (line.to_place, line.item_code, line.from_place, line.lot_id))
    remaining = [
        Remaining(
            place_code=source.code,
            lot_id=lot.lot_id,
            item_code=lot.item_code,
            quantity=lot.quantity - sent_from_lot[lot.lot_id],
            expires_on=lot.expires_on,
        )
        for part, _values in parts
        for source, lot in part.lots
        if lot.quantity > sent_from_lot[lot.lot_id]
    ]
    remaining.sort(key=lambda r: (r.place_code, r.lot_id))
    demands = sorted(
        (demand for part, _values in parts for demand in part.demands),
        key=lambda d: (d.destination.code, d.need.item_code),
    )
    return AllocationPlan(
        status=SolverStatus.OPTIMAL,
        solve_seconds=seconds,
        lines=tuple(lines),
        coverage=_coverage(demands, received),
        destinations=_destination_coverage(problem, demands, received),
        remaining=tuple(remaining),
        equal_share={code: round(share, 6) for code, share in equal_share.items()},
    )


def _rounded(value: float, item: AllocationItem) -> Decimal:
    """Down to a whole unit, or to a gram or millilitre: never more than the solver allowed."""
    step = Decimal(1) if item.whole_units else Decimal("0.001")
    return (Decimal(repr(value + READ_TOLERANCE)) / step).to_integral_value(ROUND_FLOOR) * step


def _coverage(demands: list[_Demand], received: dict[tuple[str, str], Decimal]) -> tuple[ItemCoverage, ...]:
    coverage = []
    for demand in demands:
        allocated = received[(demand.destination.code, demand.need.item_code)]
        coverage.append(
            ItemCoverage(
                destination_code=demand.destination.code,
                district_code=demand.destination.district_code,
                item_code=demand.need.item_code,
                need=demand.need.quantity,
                allocated=allocated,
                unmet=max(Decimal(0), demand.need.quantity - allocated),
            )
        )
    return tuple(coverage)


def _destination_coverage(
    problem: AllocationProblem, demands: list[_Demand], received: dict[tuple[str, str], Decimal]
) -> tuple[DestinationCoverage, ...]:
    needed: dict[str, float] = defaultdict(float)
    allocated: dict[str, float] = defaultdict(float)
    for demand in demands:
        code = demand.destination.code
        days_per_unit = demand.destination.households / demand.need.daily_use
        needed[code] += float(demand.need.quantity) * days_per_unit
        allocated[code] += float(received[(code, demand.need.item_code)]) * days_per_unit
    return tuple(
        DestinationCoverage(
            destination_code=destination.code,
            district_code=destination.district_code,
            need_household_days=round(needed[destination.code], 3),
            allocated_household_days=round(allocated[destination.code], 3),
            ratio=round(allocated[destination.code] / needed[destination.code], 6) if needed[destination.code] else 1.0,
        )
        for destination in sorted(problem.destinations, key=lambda d: d.code)
    )
