"""The allocation optimiser on rounds small enough to solve by hand: each term of its objective and each of its
rules decides one of these cases, and the case's answer changes when that term is taken away."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from pydantic import ValidationError

from domain.allocation import (
    AllocationItem,
    AllocationPlan,
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
from services.allocation_solver import haversine_km, solve

ROUND = date(2021, 8, 1)
TOMORROW = ROUND + timedelta(days=1)
ITEMS = (
    AllocationItem(code="rice", unit="kg", kg_per_unit=1, perishable=False, whole_units=False),
    AllocationItem(code="vegetables", unit="kg", kg_per_unit=1, perishable=True, whole_units=False),
    AllocationItem(code="canned_fish", unit="can", kg_per_unit=0.2, perishable=False),
)
# Quận 1 and Quận 12, and the city's two warehouses (domain/supply_catalogue.py): Tân Bình's is near Quận 1,
# Bình Chánh's far from both.
QUAN_1 = (10.7769, 106.7009)
QUAN_12 = (10.8671, 106.6413)
KHO_TP_1 = (10.8117, 106.6653)
KHO_TP_2 = (10.7066, 106.6051)


def lot(lot_id: str, quantity: int, item: str = "rice", expires_on: date | None = None) -> SupplyLot:
    return SupplyLot(lot_id=lot_id, item_code=item, quantity=Decimal(quantity), expires_on=expires_on)


def source(code: str, where: tuple[float, float], *lots: SupplyLot) -> Source:
    return Source(code=code, kind=PlaceKind.CITY_WAREHOUSE, latitude=where[0], longitude=where[1], lots=lots)


def need(quantity: int, item: str = "rice", daily_use: float = 10, waiting: float = 1) -> Need:
    return Need(item_code=item, quantity=Decimal(quantity), daily_use=daily_use, waiting_weight=waiting)


def district(code: str, where: tuple[float, float], *needs: Need) -> Destination:
    return Destination(
        code=f"KHO-Q{code}",
        kind=PlaceKind.DISTRICT_WAREHOUSE,
        district_code=code,
        latitude=where[0],
        longitude=where[1],
        households=10,
        needs=needs,
    )


def problem(sources: tuple[Source, ...], destinations: tuple[Destination, ...], **policy: float) -> AllocationProblem:
    return AllocationProblem(
        round_date=ROUND,
        transit_days=1,
        items=ITEMS,
        sources=sources,
        destinations=destinations,
        policy=AllocationPolicy(**policy),
    )


def shipped(plan: AllocationPlan) -> dict[tuple[str, str, str], Decimal]:
    """(from, lot, to) → quantity."""
    return {(line.from_place, line.lot_id, line.to_place): line.quantity for line in plan.lines}


def ratio(plan: AllocationPlan, destination: str) -> float:
    return next(c.ratio for c in plan.destinations if c.destination_code == destination)


def test_with_enough_for_everyone_each_district_is_served_whole_from_its_nearest_warehouse() -> None:
    near_q12 = (QUAN_12[0] - 0.01, QUAN_12[1])
    plan = solve(
        problem(
            (source("KHO-TP-1", near_q12, lot("A", 100)), source("KHO-TP-2", QUAN_1, lot("B", 100))),
            (district("760", QUAN_1, need(60)), district("761", QUAN_12, need(60))),
        )
    )
    assert plan.status is SolverStatus.OPTIMAL
    assert shipped(plan) == {("KHO-TP-2", "B", "KHO-Q760"): 60, ("KHO-TP-1", "A", "KHO-Q761"): 60}
    assert not plan.unmet
    assert [(r.lot_id, r.quantity) for r in plan.remaining] == [("A", 40), ("B", 40)]
    line = plan.lines[1]
    assert (line.to_place, line.reason.need, line.reason.stock_left) == ("KHO-Q761", 60, 40)
    assert line.reason.distance_km == round(haversine_km(*near_q12, *QUAN_12), 2) == 1.11


def test_when_short_every_district_gets_the_same_share_of_its_need() -> None:
    # 100 kg for 400 kg of need: a quarter each, although Quận 1 is nearer and everything could go there.
    plan = solve(
        problem(
            (source("KHO-TP-1", KHO_TP_1, lot("A", 100)),),
            (district("760", QUAN_1, need(100)), district("761", QUAN_12, need(300))),
            fairness_floor=1.0,
        )
    )
    assert plan.equal_share == {"rice": 0.25}
    assert shipped(plan) == {("KHO-TP-1", "A", "KHO-Q760"): 25, ("KHO-TP-1", "A", "KHO-Q761"): 75}
    assert ratio(plan, "KHO-Q760") == ratio(plan, "KHO-Q761") == 0.25
    assert {(u.destination_code, u.unmet) for u in plan.unmet} == {("KHO-Q760", 75), ("KHO-Q761", 225)}


def test_households_that_waited_longer_get_what_is_left_over_the_shorter_haul() -> None:
    # Half each is the equal share; 90 % of it is held for both (45 kg), and the last 10 kg go to Quận 12, farther
    # from the warehouse, whose households have waited three times as long.
    plan = solve(
        problem(
            (source("KHO-TP-1", QUAN_1, lot("A", 100)),),
            (district("760", QUAN_1, need(100)), district("761", QUAN_12, need(100, waiting=3))),
            fairness_floor=0.9,
        )
    )
    assert shipped(plan) == {("KHO-TP-1", "A", "KHO-Q760"): 45, ("KHO-TP-1", "A", "KHO-Q761"): 55}


def test_a_lot_that_expires_tomorrow_goes_only_where_it_is_eaten_in_time_and_the_rest_stays() -> None:
    # Shipments take a day, so tomorrow's lot arrives on its last day: Quận 1 uses 20 kg of it then, Quận 12 50 kg.
    # Today's lot would arrive spoiled. The fresh lot makes up the rest.
    plan = solve(
        problem(
            (
                source(
                    "KHO-TP-1",
                    KHO_TP_1,
                    lot("TODAY", 100, "vegetables", ROUND),
                    lot("TOMORROW", 100, "vegetables", TOMORROW),
                    lot("FRESH", 100, "vegetables", ROUND + timedelta(days=10)),
                ),
            ),
            (
                district("760", QUAN_1, need(150, "vegetables", daily_use=20)),
                district("761", QUAN_12, need(150, "vegetables", daily_use=50)),
            ),
        )
    )
    lines = shipped(plan)
    assert lines[("KHO-TP-1", "TOMORROW", "KHO-Q760")] == 20
    assert lines[("KHO-TP-1", "TOMORROW", "KHO-Q761")] == 50
    assert not any(lot_id == "TODAY" for _, lot_id, _ in lines)
    assert sum(q for (_, lot_id, _), q in lines.items() if lot_id == "FRESH") == 100
    left = {r.lot_id: r.quantity for r in plan.remaining}
    assert left == {"TODAY": 100, "TOMORROW": 30}
    assert {line.reason.days_to_expiry_at_arrival for line in plan.lines if line.lot_id == "TOMORROW"} == {0}


def test_goods_on_hand_that_expire_sooner_are_used_first_and_leave_less_room() -> None:
    # A lot that expires the day after tomorrow can be used on two days, 20 kg at Quận 1's 10 kg a day. Quận 1 holds
    # 30 kg already: if they expire that day too, they fill both days and the lot stays; if they keep longer, the
    # lot is used first.
    def round_with(held_until: date) -> AllocationPlan:
        held = (OnHand(quantity=Decimal(30), expires_on=held_until),)
        vegetables = Need(item_code="vegetables", quantity=Decimal(50), daily_use=10, on_hand=held)
        soon = lot("SOON", 100, "vegetables", TOMORROW + timedelta(days=1))
        return solve(problem((source("KHO-TP-1", KHO_TP_1, soon),), (district("760", QUAN_1, vegetables),)))

    assert round_with(TOMORROW + timedelta(days=1)).lines == ()
    assert [line.quantity for line in round_with(TOMORROW + timedelta(days=9)).lines] == [20]


def test_rounds_with_nothing_to_send_or_nobody_to_send_it_to_ship_nothing_and_say_what_is_left() -> None:
    nobody = solve(problem((source("KHO-TP-1", KHO_TP_1, lot("A", 100)),), ()))
    assert nobody.status is SolverStatus.OPTIMAL and nobody.lines == ()
    assert [(r.lot_id, r.quantity) for r in nobody.remaining] == [("A", 100)]
    nothing = solve(problem((), (district("760", QUAN_1, need(40)),)))
    assert nothing.status is SolverStatus.OPTIMAL and nothing.lines == ()
    assert [(u.item_code, u.unmet) for u in nothing.unmet] == [("rice", 40)]
    assert ratio(nothing, "KHO-Q760") == 0.0
    wrong_item = solve(
        problem((source("KHO-TP-1", KHO_TP_1, lot("A", 100)),), (district("760", QUAN_1, need(5, "canned_fish")),))
    )
    assert wrong_item.lines == () and wrong_item.equal_share == {"canned_fish": 0.0}


def test_a_round_out_of_time_returns_its_status_and_reason_and_no_lines() -> None:
    plan = solve(
        problem(
            (source("KHO-TP-1", KHO_TP_1, lot("A", 100)),),
            (district("760", QUAN_1, need(100)),),
            time_limit_s=1e-9,
        )
    )
    assert plan.status is SolverStatus.TIME_LIMIT
    assert plan.reason == "rice: no time left for this stage of the round"
    assert plan.lines == () and plan.remaining == ()


def test_whole_units_are_never_split() -> None:
    plan = solve(
        problem(
            (source("KHO-TP-1", KHO_TP_1, lot("FISH", 5, "canned_fish")),),
            (district("760", QUAN_1, need(4, "canned_fish")), district("761", QUAN_12, need(4, "canned_fish"))),
            fairness_floor=1.0,
        )
    )
    assert all(line.quantity == line.quantity.to_integral_value() for line in plan.lines)
    assert sum(line.quantity for line in plan.lines) <= 5
    assert sorted(line.quantity for line in plan.lines) == [2, 2]


def test_bad_input_is_refused_before_anything_is_solved() -> None:
    with pytest.raises(ValidationError, match="greater than 0"):
        lot("A", -1)
    with pytest.raises(ValidationError, match="greater than or equal to 0"):
        need(-5)
    with pytest.raises(ValidationError, match="unknown items: caviar"):
        problem((source("KHO-TP-1", KHO_TP_1, lot("A", 100, "caviar")),), ())
    with pytest.raises(ValidationError, match="unknown items: caviar"):
        problem((), (district("760", QUAN_1, need(5, "caviar")),))
    with pytest.raises(ValidationError, match="a lot is in one place"):
        problem((source("KHO-TP-1", KHO_TP_1, lot("A", 1)), source("KHO-TP-2", KHO_TP_2, lot("A", 1))), ())
    with pytest.raises(ValidationError, match="does not send"):
        Source(code="BV-115", kind=PlaceKind.HOSPITAL, latitude=10.7, longitude=106.6, lots=())


def test_the_same_round_in_any_order_gives_the_same_plan() -> None:
    sources = (
        source("KHO-TP-1", KHO_TP_1, lot("A", 70), lot("V", 90, "vegetables", TOMORROW)),
        source("KHO-TP-2", KHO_TP_2, lot("B", 50), lot("F", 33, "canned_fish")),
    )
    destinations = (
        *(
            district(code, (QUAN_1[0] + i / 50, QUAN_1[1] - i / 70), need(30 + 7 * i), need(20, "vegetables", 9 + i))
            for i, code in enumerate(("760", "761", "764", "765", "766"))
        ),
        district("767", QUAN_12, need(12, "canned_fish", 2)),
    )
    first = solve(problem(sources, destinations))
    again = solve(problem(sources, destinations))
    shuffled = solve(problem(sources[::-1], destinations[::-1]))
    assert first.lines  # something to compare
    assert first.model_dump(exclude={"solve_seconds"}) == again.model_dump(exclude={"solve_seconds"})
    assert first.model_dump(exclude={"solve_seconds"}) == shuffled.model_dump(exclude={"solve_seconds"})
