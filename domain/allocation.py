"""One allocation round as data: the problem the centre poses (who needs what, what the warehouses hold, by when
each lot expires) and the answer the optimiser gives (lines with their reasons, coverage, unmet need, what stays).

Places and items carry the supply ledger's codes (`KHO-TP-1`, `KHO-Q760`, `DP-26740`, `rice`); lots carry the
ledger's lot ids. A lot is usable through its expiry date, as the ledger reads it (services/stock_ledger.py).
Everything is frozen: a round's problem is a value that can be stored, replayed and solved again to the same plan.
"""

from datetime import date
from decimal import Decimal
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, model_validator

from domain.supply import PlaceKind

DESTINATION_KINDS = frozenset(
    {
        PlaceKind.DISTRICT_WAREHOUSE,
        PlaceKind.WARD_POINT,
        PlaceKind.HOSPITAL,
        PlaceKind.QUARANTINE_AREA,
        PlaceKind.COMMUNITY_KITCHEN,
    }
)
SOURCE_KINDS = frozenset({PlaceKind.CITY_WAREHOUSE, PlaceKind.DISTRICT_WAREHOUSE})


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class AllocationItem(_Frozen):
    code: str = Field(pattern=r"^[a-z][a-z0-9_]{1,31}$")
    unit: str
    kg_per_unit: float = Field(gt=0)
    perishable: bool
    # Counted in whole units (a can, a box): the plan never splits one.
    whole_units: bool = True


class OnHand(_Frozen):
    """Goods of the item already at the destination when the round's goods arrive."""

    quantity: Decimal = Field(gt=0)
    expires_on: date | None = None


class Need(_Frozen):
    """One item's need at one destination over the coming days."""

    item_code: str
    quantity: Decimal = Field(ge=0)  # units wanted over the coming days, net of stock on hand and in transit
    daily_use: float = Field(gt=0)  # units the destination uses a day
    # Used with what the round sends, first expiry first: what expires sooner than a lot that arrives goes first.
    on_hand: tuple[OnHand, ...] = ()
    # 1 for households that have not waited; more for each day they have, so they are served first.
    waiting_weight: float = Field(default=1.0, ge=1.0)


class Destination(_Frozen):
    code: str = Field(min_length=1, max_length=32)
    kind: PlaceKind
    district_code: str
    latitude: float = Field(ge=-90, le=90)
    longitude: float = Field(ge=-180, le=180)
    # Households (or beds, for an institution) it serves: a unit's worth in household-days is households / daily use.
    households: int = Field(ge=1)
    needs: tuple[Need, ...]

    @model_validator(mode="after")
    def _one_need_per_item(self) -> "Destination":
        if self.kind not in DESTINATION_KINDS:
            raise ValueError(f"a {self.kind.value} is not a destination of an allocation round")
        codes = [n.item_code for n in self.needs]
        if len(set(codes)) != len(codes):
            raise ValueError("a destination lists each item's need once")
        return self


class SupplyLot(_Frozen):
    lot_id: str = Field(min_length=1)
    item_code: str
    quantity: Decimal = Field(gt=0)
    expires_on: date | None = None


class Source(_Frozen):
    """A warehouse and the lots it can send this round (what it keeps for its own district is not listed)."""

    code: str = Field(min_length=1, max_length=32)
    kind: PlaceKind
    latitude: float = Field(ge=-90, le=90)
    longitude: float = Field(ge=-180, le=180)
    lots: tuple[SupplyLot, ...]

    @model_validator(mode="after")
    def _a_warehouse(self) -> "Source":
        if self.kind not in SOURCE_KINDS:
            raise ValueError(f"a {self.kind.value} does not send goods in an allocation round")
        ids = [lot.lot_id for lot in self.lots]
        if len(set(ids)) != len(ids):
            raise ValueError("a source lists each lot once")
        return self


class AllocationPolicy(_Frozen):
    """The round's prices and limits, as data (architecture §5)."""

    transport_cost_per_tonne_km: float = Field(default=5_000.0, ge=0)  # đồng
    # What a household-day without the item costs the city: far above any haul across it, so need comes first.
    shortfall_cost_per_household_day: float = Field(default=200_000.0, gt=0)
    # A unit that would expire before use costs this many times the most its meeting need could be worth.
    spoilage_weight: float = Field(default=10.0, gt=1)
    # Each destination is held to this share of the best coverage all of them could have equally (max-min);
    # what is left goes to the households that waited longest, then by the cheaper route. Below 1, waiting buys
    # more than the equal share; the fortnight bench found 1 better for the worst-served district (docs/allocation.md).
    fairness_floor: float = Field(default=1.0, ge=0, le=1)
    time_limit_s: float = Field(default=20.0, gt=0)


class AllocationProblem(_Frozen):
    round_date: date
    transit_days: int = Field(ge=0, le=30)
    items: tuple[AllocationItem, ...]
    sources: tuple[Source, ...]
    destinations: tuple[Destination, ...]
    policy: AllocationPolicy = AllocationPolicy()

    @model_validator(mode="after")
    def _known_codes(self) -> "AllocationProblem":
        items = {i.code for i in self.items}
        if len(items) != len(self.items):
            raise ValueError("each item is listed once")
        places = [s.code for s in self.sources]
        destinations = [d.code for d in self.destinations]
        if len(set(places)) != len(places) or len(set(destinations)) != len(destinations):
            raise ValueError("each source and each destination is listed once")
        lots = [lot.lot_id for s in self.sources for lot in s.lots]
        if len(set(lots)) != len(lots):
            raise ValueError("a lot is in one place")
        unknown = {lot.item_code for s in self.sources for lot in s.lots} | {
            n.item_code for d in self.destinations for n in d.needs
        }
        if unknown - items:
            raise ValueError(f"unknown items: {', '.join(sorted(unknown - items))}")
        return self


class SolverStatus(StrEnum):
    OPTIMAL = "optimal"
    TIME_LIMIT = "time_limit"
    FAILED = "failed"


class LineReason(_Frozen):
    need: Decimal  # the destination's need of the item this round
    stock_left: Decimal  # what stays of the lot at the source after the round
    expires_on: date | None
    days_to_expiry_at_arrival: int | None  # 0: usable on the day it arrives, its last day
    distance_km: float


class AllocationLine(_Frozen):
    from_place: str
    lot_id: str
    to_place: str
    item_code: str
    quantity: Decimal
    reason: LineReason


class ItemCoverage(_Frozen):
    destination_code: str
    district_code: str
    item_code: str
    need: Decimal
    allocated: Decimal
    unmet: Decimal


class DestinationCoverage(_Frozen):
    """Coverage in household-days, so that a kilogram of rice and a box of milk count by the days they feed."""

    destination_code: str
    district_code: str
    need_household_days: float
    allocated_household_days: float
    ratio: float  # 1 when nothing was needed


class Remaining(_Frozen):
    place_code: str
    lot_id: str
    item_code: str
    quantity: Decimal
    expires_on: date | None


class AllocationPlan(_Frozen):
    """The answer. Unless the status is optimal, there are no lines: a failed round sends nothing."""

    status: SolverStatus
    reason: str | None = None
    solve_seconds: float
    lines: tuple[AllocationLine, ...] = ()
    coverage: tuple[ItemCoverage, ...] = ()
    destinations: tuple[DestinationCoverage, ...] = ()
    remaining: tuple[Remaining, ...] = ()
    # Per item: the coverage every destination could have had equally (the max-min stage's answer).
    equal_share: dict[str, float] = Field(default_factory=dict)

    @property
    def unmet(self) -> tuple[ItemCoverage, ...]:
        return tuple(c for c in self.coverage if c.unmet > 0)
