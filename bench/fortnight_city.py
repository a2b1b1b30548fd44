"""The fortnight bench's city: HCMC's real districts and wards (vietnamadminunits), households in need per ward,
~100 institutions, ~50 items (the product's catalogue plus the bench's own), and 2021's stream of donations.

Everything is drawn from one seeded generator, so a seed names one city and one fortnight. The figures are
plausible, not historical: in need are 5–35 % of a ward's households, unevenly (hotspots under lockdown), while
2021's baseline shared goods by population; donations come in bursts of rice and noodles, and perishables arrive
most days with a few days to live.
"""

import random
from dataclasses import dataclass

from domain.supply import FOOD_BAG
from domain.supply_catalogue import FIXED_PLACES, ITEMS
from services.geography import hcmc_units


@dataclass(frozen=True)
class BenchItem:
    code: str
    unit: str
    kg_per_unit: float
    perishable: bool
    shelf_life: tuple[int, int]  # days, the shortest and longest a donated lot lives
    daily_use: float  # units a household in need uses a day
    supply_ratio: float  # donations over the fortnight as a share of the city's use
    bursty: bool  # arrives in a few large donations (rice, noodles) rather than most days
    whole_units: bool


# The product's catalogue with a household's daily use; the bag itself is assembled downstream, not allocated.
_CATALOGUE_USE: dict[str, tuple[float, float, float, bool]] = {
    # code: (kg per unit, daily use, supply ratio, bursty)
    "rice": (1.0, 1.2, 1.3, True),
    "instant_noodles": (0.08, 2.0, 1.2, True),
    "instant_porridge": (0.05, 0.5, 0.8, False),
    "cooking_oil": (0.92, 0.05, 0.9, False),
    "fish_sauce": (0.75, 0.03, 1.0, False),
    "soy_sauce": (0.5, 0.02, 0.9, False),
    "sugar": (1.0, 0.05, 0.9, False),
    "salt": (1.0, 0.02, 1.1, False),
    "canned_fish": (0.155, 0.4, 0.7, False),
    "canned_meat": (0.17, 0.3, 0.6, False),
    "eggs": (0.06, 2.0, 0.9, False),
    "fresh_meat": (1.0, 0.15, 0.7, False),
    "vegetables": (1.0, 0.6, 0.95, False),
    "fruit": (1.0, 0.3, 0.8, False),
    "uht_milk": (0.18, 0.5, 0.8, False),
    "infant_formula": (0.8, 0.01, 0.6, False),
    "face_masks": (0.25, 0.05, 1.2, False),
    "soap": (0.09, 0.1, 1.0, False),
    "diapers": (0.6, 0.03, 0.7, False),
}
# The bench's own items, to reach a city's ~50 (the product's catalogue stays as it is).
_EXTRA: tuple[tuple[str, str, float, bool, tuple[int, int], float, float, bool], ...] = (
    # code, unit, kg per unit, perishable, shelf life, daily use, supply ratio, bursty
    ("morning_glory", "kg", 1.0, True, (3, 4), 0.3, 0.9, False),
    ("cabbage", "kg", 1.0, True, (4, 6), 0.3, 1.0, False),
    ("pumpkin", "kg", 1.0, True, (10, 20), 0.2, 1.1, False),
    ("sweet_potatoes", "kg", 1.0, True, (10, 14), 0.2, 1.0, False),
    ("onions", "kg", 1.0, True, (14, 21), 0.05, 0.9, False),
    ("garlic", "kg", 1.0, True, (20, 30), 0.02, 0.9, False),
    ("bananas", "kg", 1.0, True, (3, 5), 0.2, 0.9, False),
    ("tofu", "piece", 0.3, True, (2, 3), 0.5, 0.8, False),
    ("fresh_milk", "box", 0.18, True, (5, 7), 0.4, 0.8, False),
    ("yogurt", "cup", 0.1, True, (7, 10), 0.4, 0.7, False),
    ("bread", "piece", 0.1, True, (2, 3), 1.0, 0.8, False),
    ("chicken", "kg", 1.0, True, (2, 3), 0.1, 0.7, False),
    ("fresh_fish", "kg", 1.0, True, (2, 3), 0.1, 0.6, False),
    ("duck_eggs", "piece", 0.07, True, (14, 21), 0.5, 0.8, False),
    ("dried_fish", "kg", 1.0, False, (90, 180), 0.02, 0.8, False),
    ("mung_beans", "kg", 1.0, False, (180, 365), 0.03, 0.9, False),
    ("peanuts", "kg", 1.0, False, (90, 180), 0.03, 0.9, False),
    ("glutinous_rice", "kg", 1.0, False, (180, 365), 0.1, 0.8, True),
    ("rice_vermicelli", "pack", 0.5, False, (180, 365), 0.2, 0.9, False),
    ("instant_pho", "pack", 0.07, False, (150, 180), 0.5, 1.0, True),
    ("canned_pate", "can", 0.17, False, (365, 730), 0.1, 0.6, False),
    ("sardines", "can", 0.155, False, (365, 730), 0.2, 0.7, False),
    ("condensed_milk", "can", 0.38, False, (270, 365), 0.03, 0.8, False),
    ("soy_milk", "box", 0.2, False, (90, 180), 0.3, 0.8, False),
    ("biscuits", "pack", 0.3, False, (120, 240), 0.1, 1.0, False),
    ("bottled_water", "bottle", 0.5, False, (365, 730), 1.0, 1.1, True),
    ("hand_sanitizer", "bottle", 0.5, False, (365, 730), 0.02, 1.2, False),
    ("toothpaste", "tube", 0.2, False, (730, 1095), 0.02, 1.0, False),
    ("shampoo", "bottle", 0.65, False, (730, 1095), 0.01, 1.0, False),
    ("sanitary_pads", "pack", 0.2, False, (730, 1095), 0.02, 0.8, False),
    ("paracetamol", "box", 0.05, False, (365, 730), 0.01, 0.9, False),
)


def bench_items() -> list[BenchItem]:
    items = []
    for spec in ITEMS:
        if spec.code == FOOD_BAG:
            continue
        kg, use, ratio, bursty = _CATALOGUE_USE[spec.code]
        # 2021's greens lived three to five days, not the catalogue's shelf life.
        life = (3, 5) if spec.code == "vegetables" else (max(2, spec.shelf_life_days // 2), spec.shelf_life_days)
        items.append(BenchItem(spec.code, spec.unit, kg, spec.perishable, life, use, ratio, bursty, spec.whole_units))
    for code, unit, kg, perishable, life, use, ratio, bursty in _EXTRA:
        items.append(BenchItem(code, unit, kg, perishable, life, use, ratio, bursty, unit not in ("kg", "L")))
    return items


@dataclass(frozen=True)
class Place:
    code: str
    kind: str  # the ledger's PlaceKind values
    district_code: str
    latitude: float
    longitude: float
    population: int  # people, for 2021's proportional push
    in_need: int  # households in need (beds or residents for an institution)


@dataclass(frozen=True)
class City:
    warehouses: list[Place]  # the city's, where donations are received
    destinations: list[Place]  # a warehouse per district, then the institutions
    items: list[BenchItem]
    wards: int


def city(rng: random.Random, institutions: int = 100, districts: int | None = None, items: int | None = None) -> City:
    units = hcmc_units()
    district_units = [u for u in units if u["level"] == "district"][:districts]
    chosen = {str(u["code"]) for u in district_units}
    wards = [u for u in units if u["level"] == "ward" and str(u["parent_code"]) in chosen]
    population: dict[str, int] = dict.fromkeys(chosen, 0)
    in_need: dict[str, int] = dict.fromkeys(chosen, 0)
    for ward in wards:
        people = int(rng.lognormvariate(10.3, 0.5))  # ~33,000 people, 9 million over 273 wards
        share = rng.uniform(0.05, 0.35) if rng.random() < 0.3 else rng.uniform(0.03, 0.12)
        population[str(ward["parent_code"])] += people
        in_need[str(ward["parent_code"])] += int(people / 3.5 * share)
    destinations = [
        Place(
            f"KHO-Q{u['code']}",
            "district_warehouse",
            str(u["code"]),
            float(u["latitude"]),  # type: ignore[arg-type]
            float(u["longitude"]),  # type: ignore[arg-type]
            population[str(u["code"])],
            in_need[str(u["code"])],
        )
        for u in district_units
    ]
    fixed = [p for p in FIXED_PLACES if p.kind.value != "city_warehouse" and p.district_code in chosen]
    kinds = ("hospital", "quarantine_area", "community_kitchen")
    for n in range(institutions):
        if n < len(fixed):
            p = fixed[n]
            code, kind, district, lat, lon = p.code, p.kind.value, p.district_code, p.latitude, p.longitude
        else:
            home = rng.choice(destinations)
            code, kind, district = f"INST-{n:03d}", kinds[n % 3], home.district_code
            lat, lon = home.latitude + rng.uniform(-0.02, 0.02), home.longitude + rng.uniform(-0.02, 0.02)
        beds = rng.randrange(100, 2500)
        # An institution feeds its people whole: a bed counts as a household in need, and as four people.
        destinations.append(Place(code, kind, district, lat, lon, beds * 4, beds))
    warehouses = [
        Place(p.code, "city_warehouse", p.district_code, p.latitude, p.longitude, 0, 0)
        for p in FIXED_PLACES
        if p.kind.value == "city_warehouse"
    ]
    return City(warehouses, destinations, bench_items()[:items], len(wards))


@dataclass(frozen=True)
class Donation:
    day: int
    warehouse: str
    item: str
    quantity: float
    shelf_life: int  # days from receipt to its expiry date (usable through that day)


def registered_share(day: int, days: int) -> float:
    """Of the households in need, those registered by that day: 60 % on the first, all of them by the last."""
    return min(1.0, 0.6 + 0.4 * day / max(1, days - 1))


def donations(rng: random.Random, town: City, days: int) -> list[Donation]:
    """The fortnight's donations: each item's share of what registered households can use over the fortnight
    (from the second day: the first day's goods are still on the road), in bursts or most days."""
    household_days = sum(p.in_need for p in town.destinations) * sum(registered_share(d, days) for d in range(1, days))
    out = []
    for item in town.items:
        total = household_days * item.daily_use * item.supply_ratio
        arrival_days = sorted(rng.sample(range(days), k=min(days, 3))) if item.bursty else range(days)
        weights = [rng.uniform(0.3, 1.7) for _ in arrival_days]
        for day, weight in zip(arrival_days, weights, strict=True):
            quantity = total * weight / sum(weights)
            for part in range(2):  # a lot at each city warehouse, of a different age
                share = quantity * (0.6 if part == 0 else 0.4)
                if item.whole_units:
                    share = float(int(share))
                if share > 0:
                    out.append(
                        Donation(
                            day, town.warehouses[part % len(town.warehouses)].code, item.code, share, _life(rng, item)
                        )
                    )
    return out


def _life(rng: random.Random, item: BenchItem) -> int:
    return rng.randint(*item.shelf_life)
