"""A fortnight of the city's relief goods, twice: with a daily allocation round by the optimiser
(services/allocation_solver.py), and with 2021's way (every arrival pushed out the same day in proportion to
district population, used first in, first out). In memory, no stack: `python -m bench.fortnight --days 14 --seed 1`.

Each day: yesterday's shipments arrive; the day's donations are received at the city's warehouses; the round
ships (a shipment takes a day); destinations use goods (the optimiser's side first expiry first out, as the ledger
picks; 2021's first in, first out); whatever is past its expiry date at the end of the day, wherever it is, spoils.
The figures, the machine and the command go to bench/results/ as JSON and a PNG; bench/README.md explains them.
"""

import argparse
import platform
import random
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from bench.fortnight_city import City, Donation, Place, city, donations, registered_share
from domain.allocation import (
    AllocationItem,
    AllocationPolicy,
    AllocationProblem,
    Destination,
    Need,
    OnHand,
    SolverStatus,
    Source,
    SupplyLot,
)
from domain.supply import PlaceKind
from services.allocation_solver import solve

FIRST_DAY = date(2021, 8, 1)
TRANSIT_DAYS = 1


@dataclass
class Lot:
    id: str
    item: str
    quantity: float
    expires: int  # the last day it can be used, counted from the fortnight's first day
    received: int  # the day the donation was received at the city's warehouse
    arrived: int = 0  # the day it reached where it is, for first in, first out


@dataclass
class Ledger:
    """One run's goods and what became of them."""

    warehouses: dict[str, list[Lot]] = field(default_factory=lambda: defaultdict(list))
    in_transit: list[tuple[str, Lot]] = field(default_factory=list)
    on_hand: dict[tuple[str, str], list[Lot]] = field(default_factory=lambda: defaultdict(list))
    spoiled_kg: list[float] = field(default_factory=list)  # per day
    spoiled_where: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    spoiled_items: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    needed_days: dict[str, float] = field(default_factory=lambda: defaultdict(float))  # household-days per place
    met_days: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    coverage_by_day: list[float] = field(default_factory=list)
    ages: list[tuple[int, float]] = field(default_factory=list)  # (days from receipt to use, kg)
    shortfall_days: dict[tuple[str, str], float] = field(default_factory=lambda: defaultdict(float))
    round_seconds: list[float] = field(default_factory=list)
    round_failures: list[str] = field(default_factory=list)


Allocate = Callable[[Ledger, int], None]


class Fortnight:
    def __init__(self, town: City, arrivals: list[Donation], days: int, horizon: int, policy: AllocationPolicy) -> None:
        self.town = town
        self.policy = policy
        self.days = days
        self.horizon = horizon
        self.items = {item.code: item for item in town.items}
        self.arrivals: dict[int, list[Donation]] = defaultdict(list)
        for donation in arrivals:
            self.arrivals[donation.day].append(donation)

    def registered(self, place: Place, day: int) -> float:
        return place.in_need * registered_share(day, self.days)

    def run(self, allocate: Allocate, first_expiry_first: bool) -> Ledger:
        ledger = Ledger()
        for day in range(self.days):
            self._arrive(ledger, day)
            self._receive(ledger, day)
            allocate(ledger, day)
            self._use(ledger, day, first_expiry_first)
            self._spoil(ledger, day)
        return ledger

    def _arrive(self, ledger: Ledger, day: int) -> None:
        for place, lot in ledger.in_transit:
            lot.arrived = day
            ledger.on_hand[(place, lot.item)].append(lot)
        ledger.in_transit = []

    def _receive(self, ledger: Ledger, day: int) -> None:
        for n, donation in enumerate(self.arrivals[day]):
            lot = Lot(f"D{day:02d}-{n:04d}", donation.item, donation.quantity, day + donation.shelf_life - 1, day, day)
            ledger.warehouses[donation.warehouse].append(lot)

    def _use(self, ledger: Ledger, day: int, first_expiry_first: bool) -> None:
        city_needed = city_met = 0.0
        for place in self.town.destinations:
            households = self.registered(place, day)
            basket = 0.0
            for item in self.town.items:
                want = households * item.daily_use
                lots = [lot for lot in ledger.on_hand[(place.code, item.code)] if lot.expires >= day]
                lots.sort(key=(lambda lot: (lot.expires, lot.id)) if first_expiry_first else (lambda lot: lot.arrived))
                left = want
                for lot in lots:
                    take = min(left, lot.quantity)
                    if take > 0:
                        lot.quantity -= take
                        left -= take
                        ledger.ages.append((day - lot.received, take * item.kg_per_unit))
                ledger.on_hand[(place.code, item.code)] = [lot for lot in lots if lot.quantity > 1e-9]
                basket += (want - left) / want if want else 1.0
                if want:
                    ledger.shortfall_days[(place.code, item.code)] += left / want
            share = basket / len(self.town.items)
            ledger.needed_days[place.code] += households
            ledger.met_days[place.code] += households * share
            city_needed += households
            city_met += households * share
        ledger.coverage_by_day.append(city_met / city_needed if city_needed else 1.0)

    def _spoil(self, ledger: Ledger, day: int) -> None:
        spoiled = 0.0
        every = [("warehouse", lots) for lots in ledger.warehouses.values()]
        every += [("destination", lots) for lots in ledger.on_hand.values()]
        every.append(("in transit", [lot for _place, lot in ledger.in_transit]))
        for where, lots in every:
            for lot in lots:
                if lot.expires <= day and lot.quantity > 0:
                    kg = lot.quantity * self.items[lot.item].kg_per_unit
                    spoiled += kg
                    ledger.spoiled_where[where] += kg
                    ledger.spoiled_items[lot.item] += kg
                    lot.quantity = 0
            lots[:] = [lot for lot in lots if lot.quantity > 0]
        ledger.in_transit = [(place, lot) for place, lot in ledger.in_transit if lot.quantity > 0]
        ledger.spoiled_kg.append(spoiled)

    # 2021: every arrival out the same day, shared by population.
    def push_by_population(self, ledger: Ledger, day: int) -> None:
        population = sum(p.population for p in self.town.destinations)
        for lots in ledger.warehouses.values():
            for lot in lots:
                for place in self.town.destinations:
                    share = lot.quantity * place.population / population
                    ledger.in_transit.append((place.code, Lot(lot.id, lot.item, share, lot.expires, lot.received)))
            lots.clear()

    # The optimiser: the day's round over everything the city's warehouses hold.
    def allocation_round(self, ledger: Ledger, day: int) -> None:
        problem = self.problem(ledger, day)
        plan = solve(problem)
        ledger.round_seconds.append(plan.solve_seconds)
        if plan.status is not SolverStatus.OPTIMAL:
            ledger.round_failures.append(f"day {day}: {plan.status.value} {plan.reason}")
            return
        lots = {lot.id: lot for lots in ledger.warehouses.values() for lot in lots}
        for line in plan.lines:
            lot = lots[line.lot_id]
            lot.quantity -= float(line.quantity)
            ledger.in_transit.append(
                (line.to_place, Lot(lot.id, lot.item, float(line.quantity), lot.expires, lot.received))
            )
        for place_lots in ledger.warehouses.values():
            place_lots[:] = [lot for lot in place_lots if lot.quantity > 1e-9]

    def problem(self, ledger: Ledger, day: int) -> AllocationProblem:
        today = FIRST_DAY + timedelta(days=day)
        sources = tuple(
            Source(
                code=w.code,
                kind=PlaceKind.CITY_WAREHOUSE,
                latitude=w.latitude,
                longitude=w.longitude,
                lots=tuple(
                    SupplyLot(
                        lot_id=lot.id,
                        item_code=lot.item,
                        quantity=_decimal(lot.quantity),
                        expires_on=FIRST_DAY + timedelta(days=lot.expires),
                    )
                    for lot in ledger.warehouses[w.code]
                    if lot.expires >= day + TRANSIT_DAYS and _decimal(lot.quantity) > 0
                ),
            )
            for w in self.town.warehouses
        )
        destinations = tuple(self._destination(ledger, place, day) for place in self.town.destinations)
        items = tuple(
            AllocationItem(
                code=i.code, unit=i.unit, kg_per_unit=i.kg_per_unit, perishable=i.perishable, whole_units=i.whole_units
            )
            for i in self.town.items
        )
        return AllocationProblem(
            round_date=today,
            transit_days=TRANSIT_DAYS,
            items=items,
            sources=sources,
            destinations=destinations,
            policy=self.policy,
        )

    def _destination(self, ledger: Ledger, place: Place, day: int) -> Destination:
        use_today = self.registered(place, day)
        use_after = self.registered(place, day + TRANSIT_DAYS)
        needs = []
        for item in self.town.items:
            daily = use_after * item.daily_use
            if daily <= 0:
                continue
            held = self._left_tomorrow(ledger.on_hand[(place.code, item.code)], day, use_today * item.daily_use)
            waited = min(7.0, ledger.shortfall_days[(place.code, item.code)])
            needs.append(
                Need(
                    item_code=item.code,
                    quantity=_decimal(max(0.0, daily * self.horizon - sum(q for q, _ in held))),
                    daily_use=daily,
                    on_hand=tuple(
                        OnHand(quantity=_decimal(q), expires_on=FIRST_DAY + timedelta(days=expires))
                        for q, expires in held
                        if _decimal(q) > 0
                    ),
                    waiting_weight=1.0 + waited,
                )
            )
        return Destination(
            code=place.code,
            kind=PlaceKind(place.kind),
            district_code=place.district_code,
            latitude=place.latitude,
            longitude=place.longitude,
            households=max(1, round(use_after)),
            needs=tuple(needs),
        )

    @staticmethod
    def _left_tomorrow(lots: list[Lot], day: int, use_today: float) -> list[tuple[float, int]]:
        """(quantity, expiry day) of what will be left when the round's goods arrive: today's use takes first
        expiry first, and what expires today is gone tomorrow."""
        left = []
        for lot in sorted((lot for lot in lots if lot.expires >= day), key=lambda lot: lot.expires):
            take = min(use_today, lot.quantity)
            use_today -= take
            if lot.expires > day and lot.quantity - take > 0:
                left.append((lot.quantity - take, lot.expires))
        return left


def _decimal(value: float) -> Decimal:
    return Decimal(f"{max(0.0, value):.3f}")


def summary(run: Fortnight, ledger: Ledger) -> dict[str, Any]:
    districts = [p for p in run.town.destinations if p.kind == "district_warehouse"]
    institutions = [p for p in run.town.destinations if p.kind != "district_warehouse"]

    def ratio(place: Place) -> float:
        return ledger.met_days[place.code] / ledger.needed_days[place.code] if ledger.needed_days[place.code] else 1.0

    needed = sum(ledger.needed_days.values())
    met = sum(ledger.met_days.values())
    return {
        "spoiled_kg": round(sum(ledger.spoiled_kg), 1),
        "spoiled_kg_by_day": [round(kg, 1) for kg in ledger.spoiled_kg],
        "spoiled_kg_where": {where: round(kg, 1) for where, kg in sorted(ledger.spoiled_where.items())},
        "spoiled_kg_most": dict(sorted(ledger.spoiled_items.items(), key=lambda kv: -kv[1])[:5]),
        "unmet_household_days": round(needed - met),
        "needed_household_days": round(needed),
        "city_coverage": round(met / needed, 4) if needed else 1.0,
        "worst_district_coverage": round(min(map(ratio, districts)), 4) if districts else None,
        "worst_institution_coverage": round(min(map(ratio, institutions)), 4) if institutions else None,
        "district_coverage": {p.code: round(ratio(p), 4) for p in districts},
        "coverage_by_day": [round(c, 4) for c in ledger.coverage_by_day],
        "median_days_receipt_to_household": _weighted_median(ledger.ages),
        "round_seconds": [round(s, 3) for s in ledger.round_seconds],
        "round_failures": ledger.round_failures,
    }


def _weighted_median(samples: list[tuple[int, float]]) -> float | None:
    total = sum(weight for _, weight in samples)
    if not total:
        return None
    running = 0.0
    for value, weight in sorted(samples):
        running += weight
        if running >= total / 2:
            return float(value)
    return float(samples[-1][0])


def simulate(
    days: int = 14,
    seed: int = 1,
    institutions: int = 100,
    districts: int | None = None,
    items: int | None = None,
    horizon: int = 3,
    policy: AllocationPolicy | None = None,
) -> dict[str, Any]:
    rng = random.Random(seed)
    town = city(rng, institutions=institutions, districts=districts, items=items)
    arrivals = donations(rng, town, days)
    policy = policy or AllocationPolicy()
    run = Fortnight(town, arrivals, days, horizon, policy)
    optimiser = run.run(run.allocation_round, first_expiry_first=True)
    baseline = run.run(run.push_by_population, first_expiry_first=False)
    seconds = optimiser.round_seconds
    return {
        "days": days,
        "seed": seed,
        "horizon_days": horizon,
        "policy": policy.model_dump(),
        "size": {
            "districts": sum(1 for p in town.destinations if p.kind == "district_warehouse"),
            "wards": town.wards,
            "institutions": sum(1 for p in town.destinations if p.kind != "district_warehouse"),
            "items": len(town.items),
            "city_warehouses": len(town.warehouses),
            "households_in_need": sum(p.in_need for p in town.destinations if p.kind == "district_warehouse"),
            "donated_kg": round(sum(d.quantity * run.items[d.item].kg_per_unit for d in arrivals)),
        },
        "optimiser": summary(run, optimiser),
        "baseline_2021": summary(run, baseline),
        "round_seconds_median": round(statistics.median(seconds), 3) if seconds else None,
        "round_seconds_max": round(max(seconds), 3) if seconds else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--days", type=int, default=14)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--institutions", type=int, default=100)
    parser.add_argument("--horizon", type=int, default=3, help="days of need each round covers")
    parser.add_argument("--fairness-floor", type=float, default=AllocationPolicy().fairness_floor)
    parser.add_argument("--output", type=Path, default=Path(__file__).parent / "results")
    args = parser.parse_args()
    from bench.fortnight_report import print_table, write_chart, write_json

    started = time.perf_counter()
    policy = AllocationPolicy(fairness_floor=args.fairness_floor)
    result = simulate(
        days=args.days, seed=args.seed, institutions=args.institutions, horizon=args.horizon, policy=policy
    )
    result["machine"] = {"cpus": _cpus(), "python": platform.python_version(), "platform": platform.platform()}
    result["command"] = " ".join(["python -m bench.fortnight", *sys.argv[1:]])
    result["wall_seconds"] = round(time.perf_counter() - started, 1)
    name = f"fortnight-{time.strftime('%Y%m%dT%H%M%SZ', time.gmtime())}"
    print_table(result)
    print(f"\n{write_json(result, args.output, name)}\n{write_chart(result, args.output, name)}")


def _cpus() -> int:
    import os

    return len(os.sched_getaffinity(0))


if __name__ == "__main__":
    main()
