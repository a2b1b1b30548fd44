"""Whose stock a person may see and move: warehouse staff their own place only, a district official the places of
their district, the city and supervisors every place. Outside that a place answers like one that does not exist."""

from dataclasses import dataclass

from sqlalchemy import ColumnElement, false, true
from sqlalchemy.ext.asyncio import AsyncSession

from db.supply import SupplyPlace
from domain.roles import Role
from domain.supply import PlaceKind
from texts import Text
from usecases.errors import NotFound
from usecases.principal import Principal

# Places that hold stock (institutions consume what they are issued).
STOCK_HOLDING_KINDS = (PlaceKind.CITY_WAREHOUSE, PlaceKind.DISTRICT_WAREHOUSE, PlaceKind.WARD_POINT)


@dataclass(frozen=True)
class Place:
    """A place as read at the start of a use case: still readable after the action commits or rolls back."""

    code: str
    kind: str
    name: str
    unit_code: str
    district_code: str | None


def place_not_found(place_code: str) -> NotFound:
    return NotFound(Text("err.supply_place_not_found", place=place_code))


def place_scope_clause(principal: Principal) -> ColumnElement[bool]:
    """The places a principal may read, as a condition on supply_places."""
    match principal.role:
        case Role.WAREHOUSE_STAFF if principal.place_code:
            return SupplyPlace.code == principal.place_code
        case Role.DISTRICT_OFFICIAL if principal.district_code:
            return SupplyPlace.district_code == principal.district_code
        case Role.CITY_OFFICIAL | Role.SUPERVISOR:
            return true()
        case _:
            return false()


def can_see_place(principal: Principal, place: SupplyPlace | Place) -> bool:
    match principal.role:
        case Role.WAREHOUSE_STAFF:
            return principal.place_code is not None and principal.place_code == place.code
        case Role.DISTRICT_OFFICIAL:
            return principal.district_code is not None and principal.district_code == place.district_code
        case Role.CITY_OFFICIAL | Role.SUPERVISOR:
            return True
        case _:
            return False


async def visible_place(session: AsyncSession, principal: Principal, place_code: str) -> Place:
    found = await session.get(SupplyPlace, place_code)
    if found is None or not found.active or not can_see_place(principal, found):
        raise place_not_found(place_code)
    return Place(found.code, found.kind, found.name, found.unit_code, found.district_code)


async def own_place(session: AsyncSession, principal: Principal, place_code: str) -> Place:
    """Only the staff of a place move its stock: an official reads it, another place's staff does not see it."""
    if principal.role != Role.WAREHOUSE_STAFF or principal.place_code != place_code:
        raise place_not_found(place_code)
    return await visible_place(session, principal, place_code)


def audit_unit(place: Place) -> tuple[str | None, str | None]:
    """(ward, district) of the audit entry: officials of the place's ward and district can read it."""
    ward = place.unit_code if place.kind == PlaceKind.WARD_POINT else None
    return ward, place.district_code
