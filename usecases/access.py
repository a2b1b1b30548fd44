"""Who may see and act on what: object scope, decided in one place for every door.

Route-level rules (which role may call which route) are the API's (api/authorization.py). Here: which request,
ward and audit entry a principal may see. Every use case that touches one request loads it through
`visible_request`; every list builds its WHERE clause from `scope_clause`. Out of scope answers like a missing code,
so nobody learns that a request exists outside their scope.
"""

from typing import Any, Protocol
from uuid import UUID

from sqlalchemy import ColumnElement, and_, false, true
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import QueryableAttribute

from db.audit import AuditEntry
from db.requests import ReliefRequest, RequestEvent
from domain.roles import Role
from services.geography import ward_with_district
from services.request_reads import RequestRecord, find_by_code, find_with_timeline
from texts import Text
from usecases.errors import NotFound
from usecases.principal import Principal


class RequestScope(Protocol):
    """The columns of a request row that scope depends on."""

    @property
    def code(self) -> str: ...
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
        case Role.CITIZEN if principal.request_code:  # a registration's token: that request only
            return request.code == principal.request_code and request.household_id in principal.household_ids
        case Role.CITIZEN:
            return request.household_id is not None and request.household_id in principal.household_ids
        case _:
            return False


def can_see_delivery_photo(principal: Principal, request: RequestScope, delivered_by: UUID) -> bool:
    """Officials in scope, and the courier who took it; nobody else (not even a later courier)."""
    if principal.role == Role.COURIER:
        return principal.user_id == delivered_by
    return principal.is_official and can_see(principal, request)


def _unit_clause(
    principal: Principal, ward: QueryableAttribute[Any], district: QueryableAttribute[Any]
) -> ColumnElement[bool] | None:
    """The officials' rule over rows that carry a ward and a district: their ward, their district, or all
    for the city and supervisors. None for the other roles."""
    match principal.role:
        case Role.WARD_OFFICIAL if principal.ward_code:
            return ward == principal.ward_code
        case Role.DISTRICT_OFFICIAL if principal.district_code:
            return district == principal.district_code
        case Role.CITY_OFFICIAL | Role.SUPERVISOR:
            return true()
        case _:
            return None


def scope_clause(principal: Principal) -> ColumnElement[bool]:
    """The same rules as `can_see`, as a SQL condition on relief_requests."""
    unit = _unit_clause(principal, ReliefRequest.ward_code, ReliefRequest.district_code)
    if unit is not None:
        return unit
    match principal.role:
        case Role.COURIER if principal.user_id:
            return ReliefRequest.courier_id == principal.user_id
        case Role.CITIZEN if principal.request_code:
            return and_(
                ReliefRequest.code == principal.request_code,
                ReliefRequest.household_id.in_(sorted(principal.household_ids)),
            )
        case Role.CITIZEN if principal.household_ids:
            return ReliefRequest.household_id.in_(sorted(principal.household_ids))
        case _:
            return false()


def audit_scope_clause(principal: Principal) -> ColumnElement[bool]:
    """Which audit entries an official may read: those about their ward's or district's requests; the city
    and supervisors read all, including sign-ins and entries about no request."""
    unit = _unit_clause(principal, AuditEntry.ward_code, AuditEntry.district_code)
    return unit if unit is not None else false()


def may_act_for_ward(principal: Principal, ward_code: str, district_code: str) -> bool:
    """Ward lists and coverage: the ward's officials, its district's, the city's and supervisors."""
    match principal.role:
        case Role.WARD_OFFICIAL:
            return principal.ward_code == ward_code
        case Role.DISTRICT_OFFICIAL:
            return principal.district_code == district_code
        case Role.CITY_OFFICIAL | Role.SUPERVISOR:
            return True
        case _:
            return False


def request_not_found(code: str) -> NotFound:
    # The same answer for a missing code and one outside the caller's scope.
    return NotFound(Text("err.request_not_found", code=code))


async def visible_request(session: AsyncSession, principal: Principal, code: str) -> RequestRecord:
    record = await find_by_code(session, code)
    if record is None or not can_see(principal, record.request):
        raise request_not_found(code)
    return record


async def visible_request_with_timeline(
    session: AsyncSession, principal: Principal, code: str
) -> tuple[RequestRecord, list[RequestEvent]]:
    """visible_request and the request's timeline, read in one query (the status read)."""
    found = await find_with_timeline(session, code)
    if found is None or not can_see(principal, found[0].request):
        raise request_not_found(code)
    return found


async def ward_in_scope(session: AsyncSession, principal: Principal, ward_code: str) -> tuple[str, str]:
    """(ward, district), or NotFound for a ward that does not exist or is outside the caller's scope."""
    units = await ward_with_district(session, ward_code)
    if units is None or not may_act_for_ward(principal, *units):
        raise NotFound(Text("err.ward_not_in_scope"))
    return units
