"""Who can act in the system, and the administrative levels their scope is drawn from."""

from enum import StrEnum


class Role(StrEnum):
    CITIZEN = "citizen"
    WARD_OFFICIAL = "ward_official"
    DISTRICT_OFFICIAL = "district_official"
    CITY_OFFICIAL = "city_official"
    COURIER = "courier"
    SUPERVISOR = "supervisor"
    WAREHOUSE_STAFF = "warehouse_staff"  # receives, counts, assembles and issues goods at one supply place
    COMMUNITY_HELPER = "community_helper"  # a person or help group signed in by phone who pledges cash support


class UnitLevel(StrEnum):
    CITY = "city"
    DISTRICT = "district"
    WARD = "ward"


OFFICIAL_ROLES = frozenset({Role.WARD_OFFICIAL, Role.DISTRICT_OFFICIAL, Role.CITY_OFFICIAL})
