"""Object-level scope, decided in one place: who may see which relief request.

Every route that touches one request asks `can_see`; every list builds its WHERE clause from
`scope_clause`. Both apply the same rules. Out of scope answers like a missing code (404), so nobody
learns that a request exists outside their scope.
"""

from typing import Protocol
from uuid import UUID

from sqlalchemy import ColumnElement, false, true

from api.principal import Principal
from db.requests import ReliefRequest
from domain.roles import Role


class RequestScope(Protocol):
    """The columns of a request row that scope depends on."""

    @property
    def ward_code(self) -> str: ...
    @property
    def district_code(self) -> str: ...
    @property
    def courier_id(self) -> UUID | None: ...
    @property
    def household_id(self) -> UUID | None: ...


def can_see(principal: Principal, request: RequestScope) -> bool:
    match principal.role:
        case Role.WARD_OFFICIAL:
            return principal.ward_code is not None and principal.ward_code == request.ward_code
        case Role.DISTRICT_OFFICIAL:
            return principal.district_code is not None and principal.district_code == request.district_code
        case Role.CITY_OFFICIAL | Role.SUPERVISOR:
            return True
        case Role.COURIER:
            return principal.user_id is not None and principal.user_id == request.courier_id
        case Role.CITIZEN:
            return principal.household_id is not None and principal.household_id == request.household_id
        case _:
            return False


def scope_clause(principal: Principal) -> ColumnElement[bool]:
    """The same rules as `can_see`, as a SQL condition on relief_requests."""
    match principal.role:
        case Role.WARD_OFFICIAL if principal.ward_code:
            return ReliefRequest.ward_code == principal.ward_code
        case Role.DISTRICT_OFFICIAL if principal.district_code:
            return ReliefRequest.district_code == principal.district_code
        case Role.CITY_OFFICIAL | Role.SUPERVISOR:
            return true()
        case Role.COURIER if principal.user_id:
            return ReliefRequest.courier_id == principal.user_id
        case Role.CITIZEN if principal.household_id:
            return ReliefRequest.household_id == principal.household_id
        case _:
            return false()
