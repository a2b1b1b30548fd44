"""Which role may call which route, decided in one place.

`RULES` names every route of the app (API and pages) with the roles it admits; `api.deps.authorize` applies it
to every route before the handler runs, looking up the route FastAPI matched (a route missing here is refused,
and tests/test_authorization_matrix.py fails). Object-level scope comes next, inside the use cases
(usecases/access.py): out of scope answers like a missing code (404), so nobody learns what exists elsewhere.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI, Request
from fastapi.routing import APIRoute
from starlette.routing import BaseRoute, Mount, Router

from domain.roles import Role

API_PREFIX = "/api/v1"


@dataclass(frozen=True)
class Rule:
    roles: frozenset[Role] | None  # None: public, no token needed
    object_scope: bool = False  # the route works on one request ({code}) or place ({place_code}) and checks its scope

    @property
    def public(self) -> bool:
        return self.roles is None


def _roles(*roles: Role) -> frozenset[Role]:
    return frozenset(roles)


PUBLIC = Rule(None)
# Everyone who can hold a relief request in scope (warehouse staff work with goods, community helpers with
# published needs: neither with households).
ANYONE_SIGNED_IN = frozenset(Role) - {Role.WAREHOUSE_STAFF, Role.COMMUNITY_HELPER}
OFFICIALS = _roles(Role.WARD_OFFICIAL, Role.DISTRICT_OFFICIAL, Role.CITY_OFFICIAL)
OFFICIALS_AND_SUPERVISORS = OFFICIALS | {Role.SUPERVISOR}
SUPERVISING = _roles(Role.DISTRICT_OFFICIAL, Role.CITY_OFFICIAL, Role.SUPERVISOR)
COURIERS = _roles(Role.COURIER)
CITIZENS = _roles(Role.CITIZEN)
WAREHOUSE_STAFF = _roles(Role.WAREHOUSE_STAFF)
# A donation: the staff of its warehouse, the officials of its district, the city and supervisors.
DONATION_READERS = WAREHOUSE_STAFF | OFFICIALS | {Role.SUPERVISOR}
HELPERS = _roles(Role.COMMUNITY_HELPER)
# A counted difference at a place: another of its staff, or an official over it (supervisors only read).
ADJUSTMENT_APPROVERS = _roles(Role.WAREHOUSE_STAFF, Role.DISTRICT_OFFICIAL, Role.CITY_OFFICIAL)
# Allocation rounds are the city's: its officials act, they and supervisors read.
CENTRE = _roles(Role.CITY_OFFICIAL)
ROUND_READERS = CENTRE | {Role.SUPERVISOR}
# A shipment: the staff of its two places, the officials of their districts, the city and supervisors.
SHIPMENT_READERS = WAREHOUSE_STAFF | SUPERVISING
# Help groups are verified by a district official of their coverage, or the city's.
GROUP_REVIEWERS = _roles(Role.DISTRICT_OFFICIAL, Role.CITY_OFFICIAL)
# Private messages: a subject's two sides, and the ward's officials for reported threads of their ward.
PARTIES = CITIZENS | HELPERS
MODERATORS = _roles(Role.WARD_OFFICIAL)

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
    ("GET", f"{_V}/map/places"): PUBLIC,
    # One request: whoever has it in scope.
    ("GET", f"{_V}/requests/{{code}}"): Rule(ANYONE_SIGNED_IN, object_scope=True),
    ("GET", f"{_V}/requests/{{code}}/notifications"): Rule(ANYONE_SIGNED_IN, object_scope=True),
    ("GET", f"{_V}/requests/{{code}}/workflow"): Rule(OFFICIALS_AND_SUPERVISORS, object_scope=True),
    ("GET", f"{_V}/requests/{{code}}/delivery/photo"): Rule(OFFICIALS | COURIERS, object_scope=True),
    ("POST", f"{_V}/requests/{{code}}/verification"): Rule(OFFICIALS, object_scope=True),
    ("POST", f"{_V}/requests/{{code}}/assignment"): Rule(OFFICIALS, object_scope=True),
    ("POST", f"{_V}/requests/{{code}}/failed-attempts"): Rule(COURIERS, object_scope=True),
    ("POST", f"{_V}/requests/{{code}}/delivery"): Rule(COURIERS, object_scope=True),
    ("POST", f"{_V}/requests/{{code}}/not-received"): Rule(CITIZENS, object_scope=True),
    ("POST", "/yeu-cau/{code}/chua-nhan-tui"): Rule(CITIZENS, object_scope=True),
    ("POST", "/yeu-cau/{code}/xem-lai"): Rule(OFFICIALS, object_scope=True),
    ("POST", f"{_V}/requests/{{code}}/delivery-review"): Rule(OFFICIALS, object_scope=True),
    ("POST", f"{_V}/requests/{{code}}/cancellation"): Rule(OFFICIALS | CITIZENS, object_scope=True),
    # A cash request's need: its household and officials read it masked; officials read the account (audited).
    ("GET", f"{_V}/requests/{{code}}/cash-need"): Rule(OFFICIALS_AND_SUPERVISORS | CITIZENS, object_scope=True),
    ("POST", f"{_V}/requests/{{code}}/cash-need/account-reading"): Rule(OFFICIALS, object_scope=True),
    # Lists, each filtered to the caller's scope.
    ("GET", f"{_V}/citizen/requests"): Rule(CITIZENS),
    ("POST", f"{_V}/citizen/sessions/revocation"): Rule(CITIZENS),
    ("GET", f"{_V}/inbox"): Rule(OFFICIALS),
    ("GET", f"{_V}/deliveries"): Rule(COURIERS),
    ("GET", f"{_V}/notifications"): Rule(OFFICIALS | {Role.WAREHOUSE_STAFF}),
    ("GET", f"{_V}/supervision/requests"): Rule(SUPERVISING),
    ("GET", f"{_V}/supervision/summary"): Rule(SUPERVISING),
    ("GET", f"{_V}/audit"): Rule(OFFICIALS_AND_SUPERVISORS),
    # Wards' registries and coverage: the ward's own officials, its district's and the city's.
    ("POST", f"{_V}/addresses/parse"): PUBLIC,
    ("POST", f"{_V}/registries/{{ward_code}}/imports"): Rule(OFFICIALS),
    ("GET", f"{_V}/registries/{{ward_code}}/imports/{{import_id}}/report.csv"): Rule(OFFICIALS),
    ("GET", f"{_V}/coverage"): Rule(OFFICIALS_AND_SUPERVISORS),
    ("GET", f"{_V}/coverage/wards/{{ward_code}}/outreach.csv"): Rule(OFFICIALS_AND_SUPERVISORS),
    # Stock: warehouse staff move their own place's stock; officials over a place and supervisors read it; the
    # public reads the city's totals.
    ("GET", f"{_V}/stock"): Rule(SUPERVISING | WAREHOUSE_STAFF),
    ("GET", f"{_V}/stock/public"): PUBLIC,
    # Published cash needs: anyone, with nothing that identifies a household.
    ("GET", f"{_V}/cash-needs"): PUBLIC,
    ("GET", f"{_V}/cash-needs/{{public_ref}}"): PUBLIC,
    ("GET", "/ho-tro-tien-mat"): PUBLIC,
    ("GET", "/ban-do-khan-cap"): PUBLIC,
    ("GET", "/ho-tro-tien-mat/{public_ref}"): PUBLIC,
    ("POST", "/yeu-cau/{code}/tai-khoan"): Rule(OFFICIALS, object_scope=True),
    ("GET", f"{_V}/stock/places/{{place_code}}"): Rule(SUPERVISING | WAREHOUSE_STAFF, object_scope=True),
    ("POST", f"{_V}/stock/places/{{place_code}}/assemblies"): Rule(WAREHOUSE_STAFF, object_scope=True),
    ("POST", f"{_V}/stock/places/{{place_code}}/counts"): Rule(WAREHOUSE_STAFF, object_scope=True),
    ("POST", f"{_V}/stock/places/{{place_code}}/write-offs"): Rule(WAREHOUSE_STAFF, object_scope=True),
    ("POST", f"{_V}/stock/places/{{place_code}}/transfers"): Rule(WAREHOUSE_STAFF, object_scope=True),
    ("POST", f"{_V}/stock/places/{{place_code}}/issues"): Rule(WAREHOUSE_STAFF, object_scope=True),
    ("GET", "/kho"): Rule(WAREHOUSE_STAFF),
    ("POST", "/kho/dong-tui"): Rule(WAREHOUSE_STAFF),
    ("POST", "/kho/kiem-ke"): Rule(WAREHOUSE_STAFF),
    ("POST", "/kho/huy"): Rule(WAREHOUSE_STAFF),
    ("POST", "/kho/chuyen"): Rule(WAREHOUSE_STAFF),
    ("POST", "/kho/xuat"): Rule(WAREHOUSE_STAFF),
    ("GET", "/ton-kho"): Rule(SUPERVISING),
    ("GET", "/hang-cuu-tro"): PUBLIC,
    # Emergencies: posted with a phone's code, listed publicly with approximate points only; the requester follows
    # theirs by its link (the token is the use case's to check); helpers claim any open one (no place scope until
    # help groups' coverage), officials those in scope; the exact address only to the claimer and the ward.
    ("POST", f"{_V}/emergencies/otp"): PUBLIC,
    ("POST", f"{_V}/emergencies"): PUBLIC,
    ("GET", f"{_V}/emergencies"): PUBLIC,
    ("GET", f"{_V}/emergencies/map"): PUBLIC,
    ("GET", f"{_V}/emergencies/{{emergency_code}}/follow"): PUBLIC,
    ("POST", f"{_V}/emergencies/{{emergency_code}}/confirmation"): PUBLIC,
    ("GET", f"{_V}/emergencies/queue"): Rule(OFFICIALS),
    ("GET", f"{_V}/emergencies/{{emergency_code}}"): Rule(HELPERS | OFFICIALS, object_scope=True),
    ("POST", f"{_V}/emergencies/{{emergency_code}}/claim"): Rule(HELPERS | OFFICIALS),
    ("POST", f"{_V}/emergencies/{{emergency_code}}/fulfilment"): Rule(HELPERS | OFFICIALS),
    ("PUT", f"{_V}/emergencies/{{emergency_code}}/fulfilment/photo"): Rule(HELPERS | OFFICIALS),
    ("GET", f"{_V}/emergencies/{{emergency_code}}/fulfilment/photo"): Rule(HELPERS | OFFICIALS),
    ("GET", f"{_V}/emergencies/{{emergency_code}}/follow/photo"): PUBLIC,
    ("POST", f"{_V}/emergencies/{{emergency_code}}/closure"): Rule(OFFICIALS, object_scope=True),
    ("POST", f"{_V}/emergencies/{{emergency_code}}/hiding"): Rule(OFFICIALS, object_scope=True),
    ("GET", f"{_V}/helper/emergencies"): Rule(HELPERS),
    ("GET", "/khan-cap"): PUBLIC,
    ("GET", "/khan-cap/moi"): PUBLIC,
    ("POST", "/khan-cap/moi"): PUBLIC,
    ("POST", "/khan-cap/gui"): PUBLIC,
    ("GET", "/khan-cap/{emergency_code}"): PUBLIC,
    ("POST", "/khan-cap/{emergency_code}/xac-nhan"): PUBLIC,
    ("GET", "/khan-cap/{emergency_code}/anh"): PUBLIC,  # the poster by the link, or the claimer / ward: the use case
    ("POST", "/khan-cap/{emergency_code}/nhan"): Rule(HELPERS | OFFICIALS),
    ("POST", "/khan-cap/{emergency_code}/da-giup"): Rule(HELPERS | OFFICIALS),
    ("GET", "/nguoi-giup/khan-cap"): Rule(HELPERS),
    ("GET", "/can-bo/khan-cap"): Rule(OFFICIALS),
    ("POST", "/can-bo/khan-cap/{emergency_code}/dong"): Rule(OFFICIALS, object_scope=True),
    ("POST", "/can-bo/khan-cap/{emergency_code}/an"): Rule(OFFICIALS, object_scope=True),
    # Donations: donors announce, follow and cancel without an account (their follow token, checked by the use
    # case); warehouse staff receive at their own place; officials of the donation's district and the city read.
    ("POST", f"{_V}/donations"): PUBLIC,
    ("GET", f"{_V}/donations/due"): Rule(WAREHOUSE_STAFF),
    ("GET", f"{_V}/donations/{{donation_code}}"): Rule(DONATION_READERS, object_scope=True),
    ("POST", f"{_V}/donations/{{donation_code}}/receipt"): Rule(WAREHOUSE_STAFF, object_scope=True),
    ("GET", f"{_V}/donor/donations/{{donation_code}}"): PUBLIC,
    ("POST", f"{_V}/donor/donations/{{donation_code}}/cancellation"): PUBLIC,
    ("GET", "/quyen-gop"): PUBLIC,
    ("POST", "/quyen-gop"): PUBLIC,
    ("GET", "/quyen-gop/{donation_code}"): PUBLIC,
    ("POST", "/quyen-gop/{donation_code}/huy"): PUBLIC,
    ("GET", "/kho/quyen-gop"): Rule(WAREHOUSE_STAFF),
    ("GET", "/kho/quyen-gop/{donation_code}"): Rule(DONATION_READERS, object_scope=True),
    ("POST", "/kho/quyen-gop/{donation_code}/nhan"): Rule(WAREHOUSE_STAFF, object_scope=True),
    # Shipments: warehouse staff dispatch from and receive at their own place (the use case checks which end);
    # officials of either place's district, the city and supervisors read them and see the late ones.
    ("GET", f"{_V}/shipments"): Rule(SHIPMENT_READERS),
    ("GET", f"{_V}/shipments/{{shipment_code}}"): Rule(SHIPMENT_READERS, object_scope=True),
    ("POST", f"{_V}/shipments/{{shipment_code}}/dispatch"): Rule(WAREHOUSE_STAFF, object_scope=True),
    ("POST", f"{_V}/shipments/{{shipment_code}}/receipt"): Rule(WAREHOUSE_STAFF, object_scope=True),
    ("GET", "/kho/chuyen-hang"): Rule(WAREHOUSE_STAFF),
    ("GET", "/kho/chuyen-hang/{shipment_code}"): Rule(SHIPMENT_READERS, object_scope=True),
    ("POST", "/kho/chuyen-hang/{shipment_code}/xuat"): Rule(WAREHOUSE_STAFF, object_scope=True),
    ("POST", "/kho/chuyen-hang/{shipment_code}/nhan"): Rule(WAREHOUSE_STAFF, object_scope=True),
    ("GET", "/chuyen-hang/tre"): Rule(SUPERVISING),
    # Cash pledges: helpers sign in by phone and act on their own pledges; the household answers for its own; the
    # ward, district or city decides those in its place.
    ("POST", f"{_V}/helper/otp"): PUBLIC,
    ("POST", f"{_V}/helper/otp/verification"): PUBLIC,
    ("POST", f"{_V}/cash-needs/{{need_ref}}/pledges"): Rule(HELPERS),
    ("GET", f"{_V}/helper/pledges"): Rule(HELPERS),
    ("GET", f"{_V}/helper/pledges/{{pledge_code}}"): Rule(HELPERS, object_scope=True),
    ("POST", f"{_V}/helper/pledges/{{pledge_code}}/transfer"): Rule(HELPERS, object_scope=True),
    ("POST", f"{_V}/helper/pledges/{{pledge_code}}/release"): Rule(HELPERS, object_scope=True),
    ("POST", f"{_V}/citizen/pledges/{{pledge_code}}/confirmation"): Rule(CITIZENS, object_scope=True),
    ("GET", f"{_V}/cash/pledges/awaiting-ward"): Rule(OFFICIALS),
    ("POST", f"{_V}/cash/pledges/{{pledge_code}}/resolution"): Rule(OFFICIALS, object_scope=True),
    # Places' daily reports: the place's own staff file; another staff member of the place or an official over it
    # approves a counted difference; officials and supervisors read the day's reports in their scope.
    ("GET", f"{_V}/place-reports"): Rule(SUPERVISING),
    ("GET", f"{_V}/place-reports/places/{{place_code}}"): Rule(SUPERVISING | WAREHOUSE_STAFF, object_scope=True),
    ("POST", f"{_V}/place-reports/places/{{place_code}}"): Rule(WAREHOUSE_STAFF, object_scope=True),
    ("GET", f"{_V}/place-reports/adjustments"): Rule(SUPERVISING | WAREHOUSE_STAFF),
    ("POST", f"{_V}/place-reports/adjustments/{{adjustment_id}}/approval"): Rule(
        ADJUSTMENT_APPROVERS, object_scope=True
    ),
    ("GET", "/kho/bao-cao"): Rule(WAREHOUSE_STAFF),
    ("POST", "/kho/bao-cao"): Rule(WAREHOUSE_STAFF),
    ("GET", "/bao-cao-kho"): Rule(SUPERVISING),
    ("POST", "/bao-cao-kho/dieu-chinh/{adjustment_id}/duyet"): Rule(ADJUSTMENT_APPROVERS, object_scope=True),
    ("GET", f"{_V}/allocation-rounds"): Rule(ROUND_READERS),
    ("POST", f"{_V}/allocation-rounds"): Rule(CENTRE),
    ("GET", f"{_V}/allocation-rounds/{{round_date}}"): Rule(ROUND_READERS),
    ("POST", f"{_V}/allocation-rounds/{{round_date}}/approval"): Rule(CENTRE),
    ("POST", f"{_V}/allocation-rounds/{{round_date}}/solve-again"): Rule(CENTRE),
    # Help groups: a helper registers their group and reads its state; the officials of a district in its coverage
    # (and the city) verify, refuse or suspend it; anyone reads the directory of verified groups.
    ("POST", f"{_V}/help-groups"): Rule(HELPERS),
    ("GET", f"{_V}/helper/help-group"): Rule(HELPERS),
    ("GET", f"{_V}/help-groups"): PUBLIC,
    ("GET", f"{_V}/help-groups/{{group_code}}"): PUBLIC,
    ("GET", f"{_V}/official/help-groups"): Rule(GROUP_REVIEWERS | {Role.SUPERVISOR}),
    ("POST", f"{_V}/help-groups/{{group_code}}/verification"): Rule(GROUP_REVIEWERS, object_scope=True),
    ("POST", f"{_V}/help-groups/{{group_code}}/suspension"): Rule(GROUP_REVIEWERS, object_scope=True),
    ("GET", "/nhom-ho-tro"): PUBLIC,
    ("GET", "/nhom-ho-tro/{group_code}"): PUBLIC,
    ("GET", "/nguoi-giup/nhom"): PUBLIC,  # the form, the group's state, or a sign-in link
    ("POST", "/nguoi-giup/nhom"): Rule(HELPERS),
    ("GET", "/can-bo/nhom-ho-tro"): Rule(GROUP_REVIEWERS | {Role.SUPERVISOR}),
    ("POST", "/can-bo/nhom-ho-tro/{group_code}/xac-minh"): Rule(GROUP_REVIEWERS, object_scope=True),
    ("POST", "/can-bo/nhom-ho-tro/{group_code}/dinh-chi"): Rule(GROUP_REVIEWERS, object_scope=True),
    # Private messages: the two sides of a pledge; reported threads to their own ward's officials only.
    ("GET", f"{_V}/pledges/{{pledge_code}}/messages"): Rule(PARTIES, object_scope=True),
    ("POST", f"{_V}/pledges/{{pledge_code}}/messages"): Rule(PARTIES, object_scope=True),
    ("POST", f"{_V}/pledges/{{pledge_code}}/messages/phone-consent"): Rule(PARTIES, object_scope=True),
    ("POST", f"{_V}/pledges/{{pledge_code}}/messages/block"): Rule(PARTIES, object_scope=True),
    ("POST", f"{_V}/pledges/{{pledge_code}}/messages/report"): Rule(PARTIES, object_scope=True),
    ("GET", f"{_V}/moderation/threads"): Rule(MODERATORS),
    ("GET", f"{_V}/moderation/pledges/{{pledge_code}}/messages"): Rule(MODERATORS, object_scope=True),
    ("POST", f"{_V}/moderation/pledges/{{pledge_code}}/messages/decision"): Rule(MODERATORS, object_scope=True),
    # An emergency's: its poster by the follow link (no account) or the helper who claimed it, checked in the use
    # case (anyone else: 404); reported threads to the emergency's ward's officials.
    ("GET", f"{_V}/emergencies/{{emergency_code}}/messages"): PUBLIC,
    ("POST", f"{_V}/emergencies/{{emergency_code}}/messages"): PUBLIC,
    ("POST", f"{_V}/emergencies/{{emergency_code}}/messages/phone-consent"): PUBLIC,
    ("POST", f"{_V}/emergencies/{{emergency_code}}/messages/block"): PUBLIC,
    ("POST", f"{_V}/emergencies/{{emergency_code}}/messages/report"): PUBLIC,
    ("GET", f"{_V}/moderation/emergencies/{{emergency_code}}/messages"): Rule(MODERATORS, object_scope=True),
    ("POST", f"{_V}/moderation/emergencies/{{emergency_code}}/messages/decision"): Rule(MODERATORS, object_scope=True),
    # The pages (web/): the same rules as the API route each one stands for; the token comes from the page
    # session's cookie, and every POST also checks the form's CSRF token.
    ("GET", "/"): PUBLIC,
    ("GET", "/static/{name}"): PUBLIC,
    ("GET", "/static/vendor/{package}/{version}/{name:path}"): PUBLIC,
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
    ("POST", "/yeu-cau/{code}/huy"): Rule(CITIZENS, object_scope=True),
    ("GET", "/nguoi-giup/dang-nhap"): PUBLIC,
    ("POST", "/nguoi-giup/dang-nhap"): PUBLIC,
    ("POST", "/nguoi-giup/xac-thuc"): PUBLIC,
    ("GET", "/ho-tro-tien-mat/{need_ref}/cam-ket"): PUBLIC,  # what remains, and a sign-in link or the form
    ("POST", "/ho-tro-tien-mat/{need_ref}/cam-ket"): Rule(HELPERS),
    ("GET", "/nguoi-giup/cam-ket"): Rule(HELPERS),
    ("GET", "/nguoi-giup/cam-ket/{pledge_code}"): Rule(HELPERS, object_scope=True),
    ("POST", "/nguoi-giup/cam-ket/{pledge_code}/da-chuyen"): Rule(HELPERS, object_scope=True),
    ("POST", "/nguoi-giup/cam-ket/{pledge_code}/huy"): Rule(HELPERS, object_scope=True),
    ("POST", "/cam-ket/{pledge_code}/da-nhan"): Rule(CITIZENS, object_scope=True),
    ("POST", "/cam-ket/{pledge_code}/chua-nhan"): Rule(CITIZENS, object_scope=True),
    ("GET", "/can-bo/ho-tro-tien-mat"): Rule(OFFICIALS),
    ("POST", "/can-bo/ho-tro-tien-mat/{pledge_code}/quyet-dinh"): Rule(OFFICIALS, object_scope=True),
    ("GET", "/cam-ket/{pledge_code}/tin-nhan"): Rule(PARTIES, object_scope=True),
    ("POST", "/cam-ket/{pledge_code}/tin-nhan"): Rule(PARTIES, object_scope=True),
    ("POST", "/cam-ket/{pledge_code}/tin-nhan/so-dien-thoai"): Rule(PARTIES, object_scope=True),
    ("POST", "/cam-ket/{pledge_code}/tin-nhan/chan"): Rule(PARTIES, object_scope=True),
    ("POST", "/cam-ket/{pledge_code}/tin-nhan/bao-cao"): Rule(PARTIES, object_scope=True),
    ("GET", "/can-bo/tin-nhan"): Rule(MODERATORS),
    ("GET", "/can-bo/tin-nhan/{pledge_code}"): Rule(MODERATORS, object_scope=True),
    ("POST", "/can-bo/tin-nhan/{pledge_code}/quyet-dinh"): Rule(MODERATORS, object_scope=True),
    ("GET", "/khan-cap/{emergency_code}/tin-nhan"): PUBLIC,
    ("POST", "/khan-cap/{emergency_code}/tin-nhan"): PUBLIC,
    ("POST", "/khan-cap/{emergency_code}/tin-nhan/so-dien-thoai"): PUBLIC,
    ("POST", "/khan-cap/{emergency_code}/tin-nhan/chan"): PUBLIC,
    ("POST", "/khan-cap/{emergency_code}/tin-nhan/bao-cao"): PUBLIC,
    ("GET", "/can-bo/tin-nhan/khan-cap/{emergency_code}"): Rule(MODERATORS, object_scope=True),
    ("POST", "/can-bo/tin-nhan/khan-cap/{emergency_code}/quyet-dinh"): Rule(MODERATORS, object_scope=True),
    ("GET", "/can-bo"): Rule(OFFICIALS),
    ("GET", "/can-bo/phuong/{ward_code}"): Rule(OFFICIALS_AND_SUPERVISORS),
    ("POST", "/can-bo/phuong/{ward_code}/nhap"): Rule(OFFICIALS),
    ("GET", "/can-bo/phuong/{ward_code}/tiep-can.csv"): Rule(OFFICIALS_AND_SUPERVISORS),
    ("GET", "/giao-hang"): Rule(COURIERS),
    ("GET", "/trung-tam/phan-bo"): Rule(ROUND_READERS),
    ("POST", "/trung-tam/phan-bo"): Rule(CENTRE),
    ("GET", "/trung-tam/phan-bo/{round_date}"): Rule(ROUND_READERS),
    ("POST", "/trung-tam/phan-bo/{round_date}/duyet"): Rule(CENTRE),
    ("POST", "/trung-tam/phan-bo/{round_date}/giai-lai"): Rule(CENTRE),
    ("GET", "/bang-dieu-khien"): Rule(SUPERVISING),
    ("GET", "/bang-dieu-khien/quan/{district_code}"): Rule(SUPERVISING),
    ("GET", "/bang-dieu-khien/phuong/{ward_code}"): Rule(SUPERVISING),
}


def _routes(routes: list[Any], prefix: str = "") -> Iterator[tuple[str, str, BaseRoute]]:
    """(method, full path template, route) of every route, through included routers (FastAPI keeps an included
    router whole and hands the matched route itself to the request, without its prefix)."""
    for route in routes:
        if hasattr(route, "original_router"):
            yield from _routes(route.original_router.routes, prefix + route.include_context.prefix)
        elif isinstance(route, Mount | Router) or (hasattr(route, "routes") and not isinstance(route, APIRoute)):
            yield from _routes(route.routes, prefix + getattr(route, "prefix", ""))
        else:
            for method in sorted(set(getattr(route, "methods", None) or {"GET"}) - {"HEAD"}):
                yield method, prefix + getattr(route, "path", ""), route


def route_paths(app: FastAPI) -> set[tuple[str, str]]:
    """(method, path template) of every route the app serves."""
    return {(method, path) for method, path, _ in _routes(list(app.routes))}


def bind_rules(app: FastAPI) -> None:
    """Gives every route of the app its rule, found once at start-up, so a request finds its rule from the route
    FastAPI matched (no path matching of our own). Refuses to start with a route that has no rule, or a rule
    for a route that does not exist: fail closed, and no stale rule."""
    bound: dict[tuple[int, str], Rule] = {}
    served = set()
    for method, path, route in _routes(list(app.routes)):
        served.add((method, path))
        rule = RULES.get((method, path))
        if rule is None:
            raise RuntimeError(f"route {method} {path} has no authorisation rule in api.authorization.RULES")
        bound[(id(route), method)] = rule
    stale = set(RULES) - served
    if stale:
        raise RuntimeError(f"authorisation rules for routes that do not exist: {sorted(stale)}")
    app.state.route_rules = bound


def rule_for(request: Request) -> Rule | None:
    """The rule bound to the route that served this request (None: no route, or not bound)."""
    route = request.scope.get("route")
    method = "GET" if request.method == "HEAD" else request.method
    rules: dict[tuple[int, str], Rule] = getattr(request.app.state, "route_rules", {})
    return rules.get((id(route), method)) if route is not None else None
