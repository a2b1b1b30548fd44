"""Authorisation, decided in one place: which role may call which route, and who may see which request.

`RULES` names every route of the app with the roles it admits; `api.deps.authorize` applies it to every
API route before the handler runs (a route missing here is refused, and tests/test_authorization_matrix.py
fails). Object-level scope comes next: every route that touches one request asks `can_see` (through
`api.lookup.visible_request`); every list builds its WHERE clause from `scope_clause`. Out of scope answers
like a missing code (404), so nobody learns that a request exists outside their scope.
"""

import re
from dataclasses import dataclass
from typing import Any, Protocol
from uuid import UUID

from sqlalchemy import ColumnElement, false, true
from sqlalchemy.orm import QueryableAttribute

from api.principal import Principal
from db.audit import AuditEntry
from db.requests import ReliefRequest
from domain.roles import Role

API_PREFIX = "/api/v1"


@dataclass(frozen=True)
class Rule:
    roles: frozenset[Role] | None  # None: public, no token needed
    object_scope: bool = False  # the route works on one request ({code}) and checks it is in scope

    @property
    def public(self) -> bool:
        return self.roles is None


def _roles(*roles: Role) -> frozenset[Role]:
    return frozenset(roles)


PUBLIC = Rule(None)
ANYONE_SIGNED_IN = frozenset(Role)
OFFICIALS = _roles(Role.WARD_OFFICIAL, Role.DISTRICT_OFFICIAL, Role.CITY_OFFICIAL)
OFFICIALS_AND_SUPERVISORS = OFFICIALS | {Role.SUPERVISOR}
SUPERVISING = _roles(Role.DISTRICT_OFFICIAL, Role.CITY_OFFICIAL, Role.SUPERVISOR)
COURIERS = _roles(Role.COURIER)
CITIZENS = _roles(Role.CITIZEN)

_V = API_PREFIX
RULES: dict[tuple[str, str], Rule] = {
    # The framework's own pages: the API's description is public.
    ("GET", "/openapi.json"): PUBLIC,
    ("GET", "/docs"): PUBLIC,
    ("GET", "/docs/oauth2-redirect"): PUBLIC,
    ("GET", "/redoc"): PUBLIC,
    ("GET", "/health"): PUBLIC,
    # Signing in and registering: public, rate-limited per IP and per phone/username.
    ("POST", f"{_V}/auth/token"): PUBLIC,
    ("POST", f"{_V}/citizen/otp"): PUBLIC,
    ("POST", f"{_V}/citizen/otp/verification"): PUBLIC,
    ("POST", f"{_V}/requests"): PUBLIC,
    ("GET", f"{_V}/districts"): PUBLIC,
    ("GET", f"{_V}/districts/{{code}}/wards"): PUBLIC,
    # One request: whoever has it in scope.
    ("GET", f"{_V}/requests/{{code}}"): Rule(ANYONE_SIGNED_IN, object_scope=True),
    ("GET", f"{_V}/requests/{{code}}/notifications"): Rule(ANYONE_SIGNED_IN, object_scope=True),
    ("GET", f"{_V}/requests/{{code}}/workflow"): Rule(OFFICIALS_AND_SUPERVISORS, object_scope=True),
    ("GET", f"{_V}/requests/{{code}}/delivery/photo"): Rule(OFFICIALS | COURIERS, object_scope=True),
    ("POST", f"{_V}/requests/{{code}}/verification"): Rule(OFFICIALS, object_scope=True),
    ("POST", f"{_V}/requests/{{code}}/assignment"): Rule(OFFICIALS, object_scope=True),
    ("POST", f"{_V}/requests/{{code}}/failed-attempts"): Rule(COURIERS, object_scope=True),
    ("POST", f"{_V}/requests/{{code}}/delivery"): Rule(COURIERS, object_scope=True),
    ("POST", f"{_V}/requests/{{code}}/cancellation"): Rule(OFFICIALS | CITIZENS, object_scope=True),
    # Lists, each filtered to the caller's scope.
    ("GET", f"{_V}/citizen/requests"): Rule(CITIZENS),
    ("GET", f"{_V}/inbox"): Rule(OFFICIALS),
    ("GET", f"{_V}/deliveries"): Rule(COURIERS),
    ("GET", f"{_V}/notifications"): Rule(OFFICIALS),
    ("GET", f"{_V}/supervision/requests"): Rule(SUPERVISING),
    ("GET", f"{_V}/supervision/summary"): Rule(SUPERVISING),
    ("GET", f"{_V}/audit"): Rule(OFFICIALS_AND_SUPERVISORS),
    # Wards' registries and coverage: the ward's own officials, its district's and the city's.
    ("POST", f"{_V}/addresses/parse"): PUBLIC,
    ("POST", f"{_V}/registries/{{ward_code}}/imports"): Rule(OFFICIALS),
    ("GET", f"{_V}/registries/{{ward_code}}/imports/{{import_id}}/report.csv"): Rule(OFFICIALS),
    ("GET", f"{_V}/coverage"): Rule(OFFICIALS_AND_SUPERVISORS),
    ("GET", f"{_V}/coverage/wards/{{ward_code}}/outreach.csv"): Rule(OFFICIALS_AND_SUPERVISORS),
    # The pages (web/): the same rules as the API route each one stands for; the token comes from the page
    # session's cookie, and every POST also checks the form's CSRF token.
    ("GET", "/"): PUBLIC,
    ("GET", "/static/{name}"): PUBLIC,
    ("GET", "/dang-ky"): PUBLIC,
    ("POST", "/dang-ky/dia-chi"): PUBLIC,
    ("GET", "/dang-ky/thong-tin"): PUBLIC,
    ("POST", "/dang-ky"): PUBLIC,
    ("GET", "/tra-cuu"): PUBLIC,
    ("POST", "/tra-cuu"): PUBLIC,
    ("POST", "/tra-cuu/xac-thuc"): PUBLIC,
    ("GET", "/dang-nhap"): PUBLIC,
    ("POST", "/dang-nhap"): PUBLIC,
    ("POST", "/dang-xuat"): PUBLIC,
    ("GET", "/cua-toi"): Rule(CITIZENS),
    ("GET", "/yeu-cau/{code}"): Rule(ANYONE_SIGNED_IN, object_scope=True),
    ("GET", "/yeu-cau/{code}/anh"): Rule(OFFICIALS | COURIERS, object_scope=True),
    ("POST", "/yeu-cau/{code}/xac-minh"): Rule(OFFICIALS, object_scope=True),
    ("POST", "/yeu-cau/{code}/giao-hang"): Rule(COURIERS, object_scope=True),
    ("POST", "/yeu-cau/{code}/khong-thanh-cong"): Rule(COURIERS, object_scope=True),
    ("GET", "/can-bo"): Rule(OFFICIALS),
    ("GET", "/can-bo/phuong/{ward_code}"): Rule(OFFICIALS_AND_SUPERVISORS),
    ("POST", "/can-bo/phuong/{ward_code}/nhap"): Rule(OFFICIALS),
    ("GET", "/can-bo/phuong/{ward_code}/tiep-can.csv"): Rule(OFFICIALS_AND_SUPERVISORS),
    ("GET", "/giao-hang"): Rule(COURIERS),
    ("GET", "/bang-dieu-khien"): Rule(SUPERVISING),
    ("GET", "/bang-dieu-khien/quan/{district_code}"): Rule(SUPERVISING),
    ("GET", "/bang-dieu-khien/phuong/{ward_code}"): Rule(SUPERVISING),
}


def _compile(template: str) -> re.Pattern[str]:
    return re.compile("^" + re.sub(r"\\\{[a-z_]+\\\}", "[^/]+", re.escape(template)) + "$")


_MATCHERS = [(method, _compile(template), rule) for (method, template), rule in RULES.items()]


def rule_for(method: str, path: str) -> Rule | None:
    """The rule of the route serving `path` (matched against the templates: no framework internals)."""
    method = "GET" if method == "HEAD" else method
    return next((rule for m, pattern, rule in _MATCHERS if m == method and pattern.match(path)), None)


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
