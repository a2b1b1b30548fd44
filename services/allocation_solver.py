"""The allocation round's optimiser: which lots go from which warehouse to which destination (docs/allocation.md).

Pure computation over an AllocationProblem, no database. Two linear programs, solved by HiGHS:

1. **Equal share** (max-min fairness): for each item, the largest share φ of its need that every destination can
   be given at once, counting only what can be used before it expires.
2. **The plan**: every destination is held to `fairness_floor` × φ of each need; within that, minimise the unmet
   need in household-days weighted by how long households have waited, plus the haul (tonne-km), plus a penalty
   heavier than any need on each unit that would expire before its destination could use it.

A unit that reaches a destination on day `a` is used in expiry order at the destination's daily use, after what is
already on hand; of the units expiring by day `t`, at most `daily_use × (t − a + 1) − on_hand` can be used, and
anything above that spoils. Columns and rows are built in code order, so the same problem gives the same plan.
Whole units are rounded down, line by line: what rounding leaves stays in the warehouse.
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
    demand: int  # index into _IndexedRound.demands
    km: float
    haul_per_unit: float  # in household-days' cost, as the objective counts everything


class _IndexedRound:
    """The problem indexed for the two programs: demands, and an arc from every lot to every demand of its item."""

    def __init__(self, problem: AllocationProblem) -> None:
        self.problem = problem
        self.items = {item.code: item for item in problem.items}
        self.arrival = date.fromordinal(problem.round_date.toordinal() + problem.transit_days)
        policy = problem.policy
        self.demands: list[_Demand] = []
        for destination in sorted(problem.destinations, key=lambda d: d.code):
            for need in sorted(destination.needs, key=lambda n: n.item_code):
                if need.quantity > 0:
                    worth = need.waiting_weight * destination.households / need.daily_use
                    self.demands.append(_Demand(destination, need, worth))
        by_item: dict[str, list[int]] = defaultdict(list)
        for index, demand in enumerate(self.demands):
            by_item[demand.need.item_code].append(index)
        haul_per_tonne_km = policy.transport_cost_per_tonne_km / policy.shortfall_cost_per_household_day / 1000
        self.arcs: list[_Arc] = []
        self.lots: list[tuple[Source, SupplyLot]] = []
        for source in sorted(problem.sources, key=lambda s: s.code):
            for lot in sorted(source.lots, key=lambda lot: lot.lot_id):
                self.lots.append((source, lot))
                kg = self.items[lot.item_code].kg_per_unit
                for index in by_item.get(lot.item_code, []):
                    there = self.demands[index].destination
                    if there.code == source.code:
                        continue
                    km = haversine_km(source.latitude, source.longitude, there.latitude, there.longitude)
                    self.arcs.append(_Arc(source, lot, index, km, haul_per_tonne_km * kg * km))
        self.arcs_of_demand: list[list[int]] = [[] for _ in self.demands]
        self.arcs_of_lot: dict[str, list[int]] = defaultdict(list)
        for a, arc in enumerate(self.arcs):
            self.arcs_of_demand[arc.demand].append(a)
            self.arcs_of_lot[arc.lot.lot_id].append(a)
        worst: dict[str, float] = defaultdict(float)
        for demand in self.demands:
            code = demand.need.item_code
            worst[code] = max(worst[code], demand.shortfall_per_unit)
        self.spoilage_per_unit = {code: policy.spoilage_weight * value for code, value in worst.items()}

    def usable_by(self, demand: int) -> list[tuple[list[int], float]]:
        """For each expiry date among the demand's arcs: the arcs whose lots expire by then, and how much of them
        the destination can use by then (FEFO at its daily use, after its stock on hand)."""
        need = self.demands[demand].need
        arcs = self.arcs_of_demand[demand]
        dates = sorted({e for a in arcs if (e := self.arcs[a].lot.expires_on) is not None})
        limits = []
        for last in dates:
            days = (last - self.arrival).days + 1
            usable = max(0.0, need.daily_use * days - float(need.on_hand))
            expiring = [a for a in arcs if (e := self.arcs[a].lot.expires_on) is not None and e <= last]
            limits.append((expiring, usable))
        return limits


def solve(problem: AllocationProblem) -> AllocationPlan:
    started = time.perf_counter()
    deadline = started + problem.policy.time_limit_s
    indexed = _IndexedRound(problem)
    shares = _equal_shares(indexed, deadline - time.perf_counter())
    if shares.status is not SolverStatus.OPTIMAL:
        return AllocationPlan(status=shares.status, reason=shares.reason, solve_seconds=time.perf_counter() - started)
    equal_share = _shares_by_item(indexed, shares)
    plan = _plan(indexed, equal_share, deadline - time.perf_counter())
    if plan.status is not SolverStatus.OPTIMAL:
        return AllocationPlan(status=plan.status, reason=plan.reason, solve_seconds=time.perf_counter() - started)
    return _answer(indexed, plan, equal_share, time.perf_counter() - started)


def _shared_rows(program: LinearProgram, indexed: _IndexedRound) -> None:
    """What every program obeys: a lot sends at most what it holds, a destination gets at most its need."""
    for arcs in indexed.arcs_of_lot.values():
        program.add_row([(a, 1.0) for a in arcs], upper=float(indexed.arcs[arcs[0]].lot.quantity))
    for demand, arcs in enumerate(indexed.arcs_of_demand):
        if arcs:
            program.add_row([(a, 1.0) for a in arcs], upper=float(indexed.demands[demand].need.quantity))


def _equal_shares(indexed: _IndexedRound, time_limit_s: float) -> Solution:
    """Maximises each item's share φ that every destination needing it receives, in goods it can use in time."""
    program = LinearProgram()
    for _arc in indexed.arcs:
        program.add_column(0.0)
    share_column = {code: program.add_column(-1.0, 0.0, 1.0) for code in sorted(indexed.spoilage_per_unit)}
    _shared_rows(program, indexed)
    for demand, arcs in enumerate(indexed.arcs_of_demand):
        for expiring, usable in indexed.usable_by(demand):
            program.add_row([(a, 1.0) for a in expiring], upper=usable)
        need = indexed.demands[demand].need
        terms = [(a, 1.0) for a in arcs] + [(share_column[need.item_code], -float(need.quantity))]
        program.add_row(terms, lower=0.0)
    return program.solve(time_limit_s)


def _shares_by_item(indexed: _IndexedRound, shares: Solution) -> dict[str, float]:
    first = len(indexed.arcs)
    return {code: shares.values[first + i] for i, code in enumerate(sorted(indexed.spoilage_per_unit))}


def _plan(indexed: _IndexedRound, equal_share: dict[str, float], time_limit_s: float) -> Solution:
    program = LinearProgram()
    for arc in indexed.arcs:
        program.add_column(arc.haul_per_unit - indexed.demands[arc.demand].shortfall_per_unit)
    _shared_rows(program, indexed)
    floor_share = indexed.problem.policy.fairness_floor
    for demand, arcs in enumerate(indexed.arcs_of_demand):
        need = indexed.demands[demand].need
        limits = indexed.usable_by(demand)
        # What would spoil at the destination: above every expiry date's usable amount, and penalised.
        less_spoiled = [(program.add_column(indexed.spoilage_per_unit[need.item_code]), -1.0)] if limits else []
        for expiring, usable in limits:
            program.add_row([(a, 1.0) for a in expiring] + less_spoiled, upper=usable)
        floor = floor_share * equal_share[need.item_code] * float(need.quantity)
        floor -= FLOOR_TOLERANCE * max(1.0, float(need.quantity))
        if arcs and floor > 0:
            program.add_row([(a, 1.0) for a in arcs] + less_spoiled, lower=floor)
    return program.solve(time_limit_s)


def _answer(indexed: _IndexedRound, plan: Solution, equal_share: dict[str, float], seconds: float) -> AllocationPlan:
    shipped: dict[int, Decimal] = {}
    sent_from_lot: dict[str, Decimal] = defaultdict(Decimal)
    received: dict[int, Decimal] = defaultdict(Decimal)
    for a, arc in enumerate(indexed.arcs):
        rounded = _rounded(plan.values[a], indexed.items[arc.lot.item_code])
        quantity = min(rounded, arc.lot.quantity - sent_from_lot[arc.lot.lot_id])
        if quantity > 0:
            shipped[a] = quantity
            sent_from_lot[arc.lot.lot_id] += quantity
            received[arc.demand] += quantity
    lines = []
    for a, quantity in shipped.items():
        arc = indexed.arcs[a]
        demand = indexed.demands[arc.demand]
        expires = arc.lot.expires_on
        reason = LineReason(
            need=demand.need.quantity,
            stock_left=arc.lot.quantity - sent_from_lot[arc.lot.lot_id],
            expires_on=expires,
            days_to_expiry_at_arrival=(expires - indexed.arrival).days if expires else None,
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
    remaining = tuple(
        Remaining(
            place_code=source.code,
            lot_id=lot.lot_id,
            item_code=lot.item_code,
            quantity=lot.quantity - sent_from_lot[lot.lot_id],
            expires_on=lot.expires_on,
        )
        for source, lot in indexed.lots
        if lot.quantity > sent_from_lot[lot.lot_id]
    )
    return AllocationPlan(
        status=SolverStatus.OPTIMAL,
        solve_seconds=seconds,
        lines=tuple(lines),
        coverage=_coverage(indexed, received),
        destinations=_destination_coverage(indexed, received),
        remaining=remaining,
        equal_share={code: round(share, 6) for code, share in equal_share.items()},
    )


def _rounded(value: float, item: AllocationItem) -> Decimal:
    """Down to a whole unit, or to a gram or millilitre: never more than the solver allowed."""
    step = Decimal(1) if item.whole_units else Decimal("0.001")
    return (Decimal(repr(value + READ_TOLERANCE)) / step).to_integral_value(ROUND_FLOOR) * step


def _coverage(indexed: _IndexedRound, received: dict[int, Decimal]) -> tuple[ItemCoverage, ...]:
    return tuple(
        ItemCoverage(
            destination_code=demand.destination.code,
            district_code=demand.destination.district_code,
            item_code=demand.need.item_code,
            need=demand.need.quantity,
            allocated=received[index],
            unmet=max(Decimal(0), demand.need.quantity - received[index]),
        )
        for index, demand in enumerate(indexed.demands)
    )


def _destination_coverage(indexed: _IndexedRound, received: dict[int, Decimal]) -> tuple[DestinationCoverage, ...]:
    needed: dict[str, float] = defaultdict(float)
    allocated: dict[str, float] = defaultdict(float)
    for index, demand in enumerate(indexed.demands):
        days_per_unit = demand.destination.households / demand.need.daily_use
        needed[demand.destination.code] += float(demand.need.quantity) * days_per_unit
        allocated[demand.destination.code] += float(received[index]) * days_per_unit
    return tuple(
        DestinationCoverage(
            destination_code=destination.code,
            district_code=destination.district_code,
            need_household_days=round(needed[destination.code], 3),
            allocated_household_days=round(allocated[destination.code], 3),
            ratio=round(allocated[destination.code] / needed[destination.code], 6) if needed[destination.code] else 1.0,
        )
        for destination in sorted(indexed.problem.destinations, key=lambda d: d.code)
    )
