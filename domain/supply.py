"""The supply side's vocabulary: kinds of place, the ledger's movements, and the sign each movement carries."""

from enum import StrEnum


class PlaceKind(StrEnum):
    CITY_WAREHOUSE = "city_warehouse"
    DISTRICT_WAREHOUSE = "district_warehouse"
    WARD_POINT = "ward_point"
    HOSPITAL = "hospital"
    QUARANTINE_AREA = "quarantine_area"
    COMMUNITY_KITCHEN = "community_kitchen"


INSTITUTION_KINDS = frozenset({PlaceKind.HOSPITAL, PlaceKind.QUARANTINE_AREA, PlaceKind.COMMUNITY_KITCHEN})
# Bags are assembled where couriers collect them, or one level up.
ASSEMBLY_KINDS = frozenset({PlaceKind.DISTRICT_WAREHOUSE, PlaceKind.WARD_POINT})


class MovementKind(StrEnum):
    RECEIVED = "received"
    TRANSFERRED_OUT = "transferred_out"
    TRANSFERRED_IN = "transferred_in"
    ASSEMBLED_OUT = "assembled_out"  # a component taken into bags
    ASSEMBLED_IN = "assembled_in"  # the bags made of them
    ISSUED_HOUSEHOLD = "issued_household"
    ISSUED_INSTITUTION = "issued_institution"
    ADJUSTED_UP = "adjusted_up"
    ADJUSTED_DOWN = "adjusted_down"
    WRITTEN_OFF = "written_off"

    @property
    def sign(self) -> int:
        return 1 if self in INBOUND else -1

    @property
    def refused_past_expiry(self) -> bool:
        """Goods past their expiry date only leave the ledger by a count or a write-off; goods that expired on the
        road still arrive (a shipment's receipt), to be written off where they are (migration 0019)."""
        return self not in (
            MovementKind.ADJUSTED_DOWN,
            MovementKind.ADJUSTED_UP,
            MovementKind.WRITTEN_OFF,
            MovementKind.TRANSFERRED_IN,
        )


INBOUND = frozenset(
    {MovementKind.RECEIVED, MovementKind.TRANSFERRED_IN, MovementKind.ASSEMBLED_IN, MovementKind.ADJUSTED_UP}
)


class ReservationState(StrEnum):
    HELD = "held"
    ISSUED = "issued"
    RELEASED = "released"


FOOD_BAG = "food_bag"
"""The catalogue code of the assembled food bag: an item whose lots are made of other lots."""
