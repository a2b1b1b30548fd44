"""Every route of the app × every role × a request in and out of the caller's scope.

The expectations below are written independently of api.authorization.RULES: a route added to the app
without a rule there, or without a line here, fails `test_every_route_has_a_rule_and_an_expectation`.
"Allowed" means the authorisation layer let the call through (the handler may still answer 409, 422 or a
workflow's own OutOfScope refusal, which carries a "kind"); "denied" is 401 without a token, 403 for a
role the route does not admit, 404 for a request outside the caller's scope.
"""

import asyncio
import io
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select, update
from temporalio.client import Client

from api.authorization import RULES, route_paths
from db.allocation_rounds import AllocationRound
from db.audit import AuditEntry
from db.base import transaction
from db.cash import CashNeed
from db.place_reports import PlaceReportAdjustment
from db.requests import ReliefRequest
from db.shipments import Shipment
from domain.cash import HelperKind, NeedState, PayoutMethod, SituationCategory
from domain.emergency import EMERGENCY_POLICY, EmergencyCategory, EmergencyUrgency
from domain.place_reports import CountLine
from domain.private_messages import Side, SubjectKind
from domain.roles import Role
from domain.shipment_flow import OpenInput, ShipmentPolicy
from domain.shipments import ShipmentLine, ShipmentOrder
from services import (
    cash_ledger,
    community_helpers,
    emergencies,
    message_parties,
    message_threads,
    place_reports,
    shipments,
)
from services.cash_ledger import NewNeed
from services.emergencies import NewEmergency
from services.photos import store_photo
from services.place_reports import Filing
from services.registry_import import import_registry
from services.supply_seed import district_warehouse_code, ward_point_code
from tests.donation_helpers import announce
from tests.factories import DISTRICT, OTHER_DISTRICT, OTHER_DISTRICT_WARD, WARD, make_staff
from tests.help_group_fixtures import a_group
from tests.trust_fixtures import ROLES, World, build_world, in_process, jpeg_bytes
from usecases.trust.tokens import issue_staff_token
from web.csrf import CSRF_COOKIE, form_token

pytestmark = pytest.mark.timeout(240)

V = "/api/v1"
# Warehouse staff work with goods, community helpers with published needs: no relief request is ever in their scope.
EVERYONE = frozenset(ROLES) - {"anonymous", "warehouse_staff", "community_helper"}
OFFICIALS = frozenset({"ward_official", "district_official", "city_official"})
CITY_WIDE = frozenset({"city_official", "supervisor"})
SUPERVISING = frozenset({"district_official"}) | CITY_WIDE
WAREHOUSE = frozenset({"warehouse_staff"})
PUBLIC = "public"
WAREHOUSE = frozenset({"warehouse_staff"})
DONATION_READERS = WAREHOUSE | OFFICIALS | {"supervisor"}
HELPERS = frozenset({"community_helper"})
APPROVERS = WAREHOUSE | {"district_official", "city_official"}
CENTRE = frozenset({"city_official"})
SHIPMENT_READERS = WAREHOUSE | SUPERVISING
GROUP_REVIEWERS = frozenset({"district_official", "city_official"})
PARTIES = frozenset({"citizen"}) | HELPERS  # a pledge's two sides, for its private messages
MODERATORS = frozenset({"ward_official"})  # reported threads of their own ward

# route -> (roles admitted, whether the route works on one request and must hide others')
EXPECTED: dict[tuple[str, str], tuple[frozenset[str] | str, bool]] = {
    ("GET", "/openapi.json"): (PUBLIC, False),
    ("GET", "/docs"): (PUBLIC, False),
    ("GET", "/docs/oauth2-redirect"): (PUBLIC, False),
    ("GET", "/redoc"): (PUBLIC, False),
    ("GET", "/health"): (PUBLIC, False),
    ("POST", f"{V}/auth/token"): (PUBLIC, False),
    ("POST", f"{V}/citizen/otp"): (PUBLIC, False),
    ("POST", f"{V}/citizen/otp/verification"): (PUBLIC, False),
    ("POST", f"{V}/requests"): (PUBLIC, False),
    ("GET", f"{V}/cash-needs"): (PUBLIC, False),
    ("GET", f"{V}/cash-needs/{{public_ref}}"): (PUBLIC, False),
    ("GET", "/ho-tro-tien-mat"): (PUBLIC, False),
    ("GET", "/ban-do-khan-cap"): (PUBLIC, False),
    ("GET", "/ho-tro-tien-mat/{public_ref}"): (PUBLIC, False),
    ("POST", "/yeu-cau/{code}/tai-khoan"): (OFFICIALS, True),
    ("GET", f"{V}/districts"): (PUBLIC, False),
    ("GET", f"{V}/districts/{{code}}/wards"): (PUBLIC, False),
    ("GET", f"{V}/map/places"): (PUBLIC, False),
    ("GET", f"{V}/requests/{{code}}"): (EVERYONE, True),
    ("GET", f"{V}/requests/{{code}}/notifications"): (EVERYONE, True),
    ("GET", f"{V}/requests/{{code}}/workflow"): (OFFICIALS | {"supervisor"}, True),
    ("GET", f"{V}/requests/{{code}}/delivery/photo"): (OFFICIALS | {"courier"}, True),
    ("POST", f"{V}/requests/{{code}}/verification"): (OFFICIALS, True),
    ("POST", f"{V}/requests/{{code}}/assignment"): (OFFICIALS, True),
    ("POST", f"{V}/requests/{{code}}/failed-attempts"): (frozenset({"courier"}), True),
    ("POST", f"{V}/requests/{{code}}/delivery"): (frozenset({"courier"}), True),
    ("POST", f"{V}/requests/{{code}}/not-received"): (frozenset({"citizen"}), True),
    ("POST", "/yeu-cau/{code}/chua-nhan-tui"): (frozenset({"citizen"}), True),
    ("POST", "/yeu-cau/{code}/xem-lai"): (OFFICIALS, True),
    ("POST", f"{V}/requests/{{code}}/delivery-review"): (OFFICIALS, True),
    ("POST", f"{V}/requests/{{code}}/cancellation"): (OFFICIALS | {"citizen"}, True),
    ("GET", f"{V}/requests/{{code}}/cash-need"): (OFFICIALS | {"supervisor", "citizen"}, True),
    ("POST", f"{V}/requests/{{code}}/cash-need/account-reading"): (OFFICIALS, True),
    ("GET", f"{V}/citizen/requests"): (frozenset({"citizen"}), False),
    ("GET", f"{V}/inbox"): (OFFICIALS, False),
    ("GET", f"{V}/deliveries"): (frozenset({"courier"}), False),
    ("GET", f"{V}/notifications"): (OFFICIALS | {"warehouse_staff"}, False),
    ("GET", f"{V}/supervision/requests"): (SUPERVISING, False),
    ("GET", f"{V}/supervision/summary"): (SUPERVISING, False),
    ("GET", f"{V}/audit"): (OFFICIALS | {"supervisor"}, False),
    ("POST", f"{V}/addresses/parse"): (PUBLIC, False),
    ("POST", f"{V}/registries/{{ward_code}}/imports"): (OFFICIALS, False),
    ("GET", f"{V}/registries/{{ward_code}}/imports/{{import_id}}/report.csv"): (OFFICIALS, False),
    ("GET", f"{V}/coverage"): (OFFICIALS | {"supervisor"}, False),
    ("GET", f"{V}/coverage/wards/{{ward_code}}/outreach.csv"): (OFFICIALS | {"supervisor"}, False),
    # Stock: warehouse staff move their own place's stock; officials over a place and supervisors read it.
    ("GET", f"{V}/stock"): (SUPERVISING | {"warehouse_staff"}, False),
    ("GET", f"{V}/stock/public"): (PUBLIC, False),
    ("GET", f"{V}/stock/places/{{place_code}}"): (SUPERVISING | {"warehouse_staff"}, True),
    ("POST", f"{V}/stock/places/{{place_code}}/assemblies"): (WAREHOUSE, True),
    ("POST", f"{V}/stock/places/{{place_code}}/counts"): (WAREHOUSE, True),
    ("POST", f"{V}/stock/places/{{place_code}}/write-offs"): (WAREHOUSE, True),
    ("POST", f"{V}/stock/places/{{place_code}}/transfers"): (WAREHOUSE, True),
    ("POST", f"{V}/stock/places/{{place_code}}/issues"): (WAREHOUSE, True),
    ("GET", "/kho"): (WAREHOUSE, False),
    ("POST", "/kho/dong-tui"): (WAREHOUSE, False),
    ("POST", "/kho/kiem-ke"): (WAREHOUSE, False),
    ("POST", "/kho/huy"): (WAREHOUSE, False),
    ("POST", "/kho/chuyen"): (WAREHOUSE, False),
    ("POST", "/kho/xuat"): (WAREHOUSE, False),
    ("GET", "/ton-kho"): (SUPERVISING, False),
    ("GET", "/hang-cuu-tro"): (PUBLIC, False),
    # Donations: donors without an account (their token is the use case's to check), the warehouse's own staff,
    # the officials of the donation's district, the city and supervisors.
    ("POST", f"{V}/donations"): (PUBLIC, False),
    ("GET", f"{V}/donations/due"): (WAREHOUSE, False),
    ("GET", f"{V}/donations/{{donation_code}}"): (DONATION_READERS, True),
    ("POST", f"{V}/donations/{{donation_code}}/receipt"): (WAREHOUSE, True),
    ("GET", f"{V}/donor/donations/{{donation_code}}"): (PUBLIC, False),
    ("POST", f"{V}/donor/donations/{{donation_code}}/cancellation"): (PUBLIC, False),
    ("GET", "/quyen-gop"): (PUBLIC, False),
    ("POST", "/quyen-gop"): (PUBLIC, False),
    ("GET", "/quyen-gop/{donation_code}"): (PUBLIC, False),
    ("POST", "/quyen-gop/{donation_code}/huy"): (PUBLIC, False),
    ("GET", "/kho/quyen-gop"): (WAREHOUSE, False),
    ("GET", "/kho/quyen-gop/{donation_code}"): (DONATION_READERS, True),
    ("POST", "/kho/quyen-gop/{donation_code}/nhan"): (WAREHOUSE, True),
    # Shipments: the staff of either end (the use case tells which end acts), officials over either place.
    ("GET", f"{V}/shipments"): (SHIPMENT_READERS, False),
    ("GET", f"{V}/shipments/{{shipment_code}}"): (SHIPMENT_READERS, True),
    ("POST", f"{V}/shipments/{{shipment_code}}/dispatch"): (WAREHOUSE, True),
    ("POST", f"{V}/shipments/{{shipment_code}}/receipt"): (WAREHOUSE, True),
    ("GET", "/kho/chuyen-hang"): (WAREHOUSE, False),
    ("GET", "/kho/chuyen-hang/{shipment_code}"): (SHIPMENT_READERS, True),
    ("POST", "/kho/chuyen-hang/{shipment_code}/xuat"): (WAREHOUSE, True),
    ("POST", "/kho/chuyen-hang/{shipment_code}/nhan"): (WAREHOUSE, True),
    ("GET", "/chuyen-hang/tre"): (SUPERVISING, False),
    # Cash pledges: the helper's own pledges, the household's own, the ward's place.
    ("POST", f"{V}/helper/otp"): (PUBLIC, False),
    ("POST", f"{V}/helper/otp/verification"): (PUBLIC, False),
    ("POST", f"{V}/cash-needs/{{need_ref}}/pledges"): (HELPERS, False),
    ("GET", f"{V}/helper/pledges"): (HELPERS, False),
    ("GET", f"{V}/helper/pledges/{{pledge_code}}"): (HELPERS, True),
    ("POST", f"{V}/helper/pledges/{{pledge_code}}/transfer"): (HELPERS, True),
    ("POST", f"{V}/helper/pledges/{{pledge_code}}/release"): (HELPERS, True),
    ("POST", f"{V}/citizen/pledges/{{pledge_code}}/confirmation"): (frozenset({"citizen"}), True),
    ("GET", f"{V}/cash/pledges/awaiting-ward"): (OFFICIALS, False),
    ("POST", f"{V}/cash/pledges/{{pledge_code}}/resolution"): (OFFICIALS, True),
    # Places' daily reports: the place's staff file, a second person approves a difference, officials read.
    ("GET", f"{V}/place-reports"): (SUPERVISING, False),
    ("GET", f"{V}/place-reports/places/{{place_code}}"): (SUPERVISING | WAREHOUSE, True),
    ("POST", f"{V}/place-reports/places/{{place_code}}"): (WAREHOUSE, True),
    ("GET", f"{V}/place-reports/adjustments"): (SUPERVISING | WAREHOUSE, False),
    ("POST", f"{V}/place-reports/adjustments/{{adjustment_id}}/approval"): (APPROVERS, True),
    ("GET", "/kho/bao-cao"): (WAREHOUSE, False),
    ("POST", "/kho/bao-cao"): (WAREHOUSE, False),
    ("GET", "/bao-cao-kho"): (SUPERVISING, False),
    ("POST", "/bao-cao-kho/dieu-chinh/{adjustment_id}/duyet"): (APPROVERS, True),
    # Allocation rounds: the centre's officials act, they and supervisors read.
    ("GET", f"{V}/allocation-rounds"): (CITY_WIDE, False),
    ("POST", f"{V}/allocation-rounds"): (CENTRE, False),
    ("GET", f"{V}/allocation-rounds/{{round_date}}"): (CITY_WIDE, False),
    ("POST", f"{V}/allocation-rounds/{{round_date}}/approval"): (CENTRE, False),
    ("POST", f"{V}/allocation-rounds/{{round_date}}/solve-again"): (CENTRE, False),
    ("GET", "/trung-tam/phan-bo"): (CITY_WIDE, False),
    ("POST", "/trung-tam/phan-bo"): (CENTRE, False),
    ("GET", "/trung-tam/phan-bo/{round_date}"): (CITY_WIDE, False),
    ("POST", "/trung-tam/phan-bo/{round_date}/duyet"): (CENTRE, False),
    ("POST", "/trung-tam/phan-bo/{round_date}/giai-lai"): (CENTRE, False),
    # Emergencies: public posting (with a phone's code), list and follow link; helpers claim anywhere, officials in
    # scope; the exact address to the claimer and the ward; the ward closes and hides.
    ("POST", f"{V}/emergencies/otp"): (PUBLIC, False),
    ("POST", f"{V}/emergencies"): (PUBLIC, False),
    ("GET", f"{V}/emergencies"): (PUBLIC, False),
    ("GET", f"{V}/emergencies/map"): (PUBLIC, False),
    ("GET", f"{V}/emergencies/{{emergency_code}}/follow"): (PUBLIC, False),
    ("POST", f"{V}/emergencies/{{emergency_code}}/confirmation"): (PUBLIC, False),
    ("GET", f"{V}/emergencies/queue"): (OFFICIALS, False),
    ("GET", f"{V}/emergencies/{{emergency_code}}"): (HELPERS | OFFICIALS, True),
    ("POST", f"{V}/emergencies/{{emergency_code}}/claim"): (HELPERS | OFFICIALS, False),
    ("POST", f"{V}/emergencies/{{emergency_code}}/fulfilment"): (HELPERS | OFFICIALS, False),
    ("PUT", f"{V}/emergencies/{{emergency_code}}/fulfilment/photo"): (HELPERS | OFFICIALS, False),
    ("GET", f"{V}/emergencies/{{emergency_code}}/fulfilment/photo"): (HELPERS | OFFICIALS, False),
    ("GET", f"{V}/emergencies/{{emergency_code}}/follow/photo"): (PUBLIC, False),
    ("POST", f"{V}/emergencies/{{emergency_code}}/closure"): (OFFICIALS, True),
    ("POST", f"{V}/emergencies/{{emergency_code}}/hiding"): (OFFICIALS, True),
    ("GET", f"{V}/helper/emergencies"): (HELPERS, False),
    ("GET", "/khan-cap"): (PUBLIC, False),
    ("GET", "/khan-cap/moi"): (PUBLIC, False),
    ("POST", "/khan-cap/moi"): (PUBLIC, False),
    ("POST", "/khan-cap/gui"): (PUBLIC, False),
    ("GET", "/khan-cap/{emergency_code}"): (PUBLIC, False),
    ("POST", "/khan-cap/{emergency_code}/xac-nhan"): (PUBLIC, False),
    ("GET", "/khan-cap/{emergency_code}/anh"): (PUBLIC, False),
    ("POST", "/khan-cap/{emergency_code}/nhan"): (HELPERS | OFFICIALS, False),
    ("POST", "/khan-cap/{emergency_code}/da-giup"): (HELPERS | OFFICIALS, False),
    ("GET", "/nguoi-giup/khan-cap"): (HELPERS, False),
    ("GET", "/can-bo/khan-cap"): (OFFICIALS, False),
    ("POST", "/can-bo/khan-cap/{emergency_code}/dong"): (OFFICIALS, True),
    ("POST", "/can-bo/khan-cap/{emergency_code}/an"): (OFFICIALS, True),
    # Help groups: the helper's own group; the officials of a district in its coverage, and the city.
    ("POST", f"{V}/help-groups"): (HELPERS, False),
    ("GET", f"{V}/helper/help-group"): (HELPERS, False),
    ("GET", f"{V}/help-groups"): (PUBLIC, False),
    ("GET", f"{V}/help-groups/{{group_code}}"): (PUBLIC, False),
    ("GET", f"{V}/official/help-groups"): (GROUP_REVIEWERS | {"supervisor"}, False),
    ("POST", f"{V}/help-groups/{{group_code}}/verification"): (GROUP_REVIEWERS, True),
    ("POST", f"{V}/help-groups/{{group_code}}/suspension"): (GROUP_REVIEWERS, True),
    ("GET", "/nhom-ho-tro"): (PUBLIC, False),
    ("GET", "/nhom-ho-tro/{group_code}"): (PUBLIC, False),
    ("GET", "/nguoi-giup/nhom"): (PUBLIC, False),
    ("POST", "/nguoi-giup/nhom"): (HELPERS, False),
    ("GET", "/can-bo/nhom-ho-tro"): (GROUP_REVIEWERS | {"supervisor"}, False),
    ("POST", "/can-bo/nhom-ho-tro/{group_code}/xac-minh"): (GROUP_REVIEWERS, True),
    ("POST", "/can-bo/nhom-ho-tro/{group_code}/dinh-chi"): (GROUP_REVIEWERS, True),
    ("GET", f"{V}/pledges/{{pledge_code}}/messages"): (PARTIES, True),
    ("POST", f"{V}/pledges/{{pledge_code}}/messages"): (PARTIES, True),
    ("POST", f"{V}/pledges/{{pledge_code}}/messages/phone-consent"): (PARTIES, True),
    ("POST", f"{V}/pledges/{{pledge_code}}/messages/report"): (PARTIES, True),
    ("POST", f"{V}/pledges/{{pledge_code}}/messages/block"): (PARTIES, True),
    ("GET", f"{V}/moderation/threads"): (MODERATORS, False),
    ("GET", f"{V}/moderation/pledges/{{pledge_code}}/messages"): (MODERATORS, True),
    ("POST", f"{V}/moderation/pledges/{{pledge_code}}/messages/decision"): (MODERATORS, True),
    ("GET", f"{V}/emergencies/{{emergency_code}}/messages"): (PUBLIC, False),
    ("POST", f"{V}/emergencies/{{emergency_code}}/messages"): (PUBLIC, False),
    ("POST", f"{V}/emergencies/{{emergency_code}}/messages/phone-consent"): (PUBLIC, False),
    ("POST", f"{V}/emergencies/{{emergency_code}}/messages/report"): (PUBLIC, False),
    ("POST", f"{V}/emergencies/{{emergency_code}}/messages/block"): (PUBLIC, False),
    ("GET", f"{V}/moderation/emergencies/{{emergency_code}}/messages"): (MODERATORS, True),
    ("POST", f"{V}/moderation/emergencies/{{emergency_code}}/messages/decision"): (MODERATORS, True),
    # The pages (web/): the same expectations as the API routes they stand for.
    ("GET", "/"): (PUBLIC, False),
    ("GET", "/static/{name}"): (PUBLIC, False),
    ("GET", "/static/vendor/{package}/{version}/{name:path}"): (PUBLIC, False),
    ("GET", "/dang-ky"): (PUBLIC, False),
    ("POST", "/dang-ky/dia-chi"): (PUBLIC, False),
    ("GET", "/dang-ky/thong-tin"): (PUBLIC, False),
    ("POST", "/dang-ky"): (PUBLIC, False),
    ("GET", "/tra-cuu"): (PUBLIC, False),
    ("POST", "/tra-cuu"): (PUBLIC, False),
    ("POST", "/tra-cuu/xac-thuc"): (PUBLIC, False),
    ("GET", "/dang-nhap"): (PUBLIC, False),
    ("POST", "/dang-nhap"): (PUBLIC, False),
    ("POST", "/dang-xuat"): (PUBLIC, False),
    ("GET", "/cua-toi"): (frozenset({"citizen"}), False),
    ("GET", "/yeu-cau/{code}"): (EVERYONE, True),
    ("GET", "/yeu-cau/{code}/anh"): (OFFICIALS | {"courier"}, True),
    ("POST", "/yeu-cau/{code}/xac-minh"): (OFFICIALS, True),
    ("POST", "/yeu-cau/{code}/giao-hang"): (frozenset({"courier"}), True),
    ("POST", "/yeu-cau/{code}/khong-thanh-cong"): (frozenset({"courier"}), True),
    ("POST", "/yeu-cau/{code}/huy"): (frozenset({"citizen"}), True),
    ("GET", "/nguoi-giup/dang-nhap"): (PUBLIC, False),
    ("POST", "/nguoi-giup/dang-nhap"): (PUBLIC, False),
    ("POST", "/nguoi-giup/xac-thuc"): (PUBLIC, False),
    ("GET", "/ho-tro-tien-mat/{need_ref}/cam-ket"): (PUBLIC, False),
    ("POST", "/ho-tro-tien-mat/{need_ref}/cam-ket"): (HELPERS, False),
    ("GET", "/nguoi-giup/cam-ket"): (HELPERS, False),
    ("GET", "/nguoi-giup/cam-ket/{pledge_code}"): (HELPERS, True),
    ("POST", "/nguoi-giup/cam-ket/{pledge_code}/da-chuyen"): (HELPERS, True),
    ("POST", "/nguoi-giup/cam-ket/{pledge_code}/huy"): (HELPERS, True),
    ("POST", "/cam-ket/{pledge_code}/da-nhan"): (frozenset({"citizen"}), True),
    ("POST", "/cam-ket/{pledge_code}/chua-nhan"): (frozenset({"citizen"}), True),
    ("GET", "/can-bo/ho-tro-tien-mat"): (OFFICIALS, False),
    ("POST", "/can-bo/ho-tro-tien-mat/{pledge_code}/quyet-dinh"): (OFFICIALS, True),
    ("GET", "/cam-ket/{pledge_code}/tin-nhan"): (PARTIES, True),
    ("POST", "/cam-ket/{pledge_code}/tin-nhan"): (PARTIES, True),
    ("POST", "/cam-ket/{pledge_code}/tin-nhan/so-dien-thoai"): (PARTIES, True),
    ("POST", "/cam-ket/{pledge_code}/tin-nhan/bao-cao"): (PARTIES, True),
    ("POST", "/cam-ket/{pledge_code}/tin-nhan/chan"): (PARTIES, True),
    ("GET", "/can-bo/tin-nhan"): (MODERATORS, False),
    ("GET", "/can-bo/tin-nhan/{pledge_code}"): (MODERATORS, True),
    ("POST", "/can-bo/tin-nhan/{pledge_code}/quyet-dinh"): (MODERATORS, True),
    # An emergency's thread: its poster by the follow link, or the claiming helper, checked by the use case (404).
    ("GET", "/khan-cap/{emergency_code}/tin-nhan"): (PUBLIC, False),
    ("POST", "/khan-cap/{emergency_code}/tin-nhan"): (PUBLIC, False),
    ("POST", "/khan-cap/{emergency_code}/tin-nhan/so-dien-thoai"): (PUBLIC, False),
    ("POST", "/khan-cap/{emergency_code}/tin-nhan/chan"): (PUBLIC, False),
    ("POST", "/khan-cap/{emergency_code}/tin-nhan/bao-cao"): (PUBLIC, False),
    ("GET", "/can-bo/tin-nhan/khan-cap/{emergency_code}"): (MODERATORS, True),
    ("POST", "/can-bo/tin-nhan/khan-cap/{emergency_code}/quyet-dinh"): (MODERATORS, True),
    ("GET", "/can-bo"): (OFFICIALS, False),
    ("GET", "/can-bo/phuong/{ward_code}"): (OFFICIALS | {"supervisor"}, False),
    ("POST", "/can-bo/phuong/{ward_code}/nhap"): (OFFICIALS, False),
    ("GET", "/can-bo/phuong/{ward_code}/tiep-can.csv"): (OFFICIALS | {"supervisor"}, False),
    ("GET", "/giao-hang"): (frozenset({"courier"}), False),
    ("GET", "/bang-dieu-khien"): (frozenset({"district_official"}) | CITY_WIDE, False),
    ("GET", "/bang-dieu-khien/quan/{district_code}"): (frozenset({"district_official"}) | CITY_WIDE, False),
    ("GET", "/bang-dieu-khien/phuong/{ward_code}"): (frozenset({"district_official"}) | CITY_WIDE, False),
    # Last: it ends the citizen's session, which the rows above use.
    ("POST", f"{V}/citizen/sessions/revocation"): (frozenset({"citizen"}), False),
}


def test_every_route_has_a_rule_and_an_expectation() -> None:
    from server import create_app

    app = create_app()
    routes = route_paths(app)
    assert routes == set(RULES), f"routes without a rule: {routes - set(RULES)}; stale rules: {set(RULES) - routes}"
    assert routes == set(EXPECTED)
    in_schema = {(m.upper(), p) for p, ops in app.openapi()["paths"].items() for m in ops}
    assert in_schema <= routes
    for key, (roles, scoped) in EXPECTED.items():
        rule = RULES[key]
        assert (rule.roles is None) == (roles == PUBLIC), key
        if rule.roles is not None:
            assert {r.value for r in rule.roles} == roles, key
        assert rule.object_scope == scoped, key


@pytest.fixture
async def world(client: Client, task_queue: str, tmp_path: Path) -> World:
    return await build_world(client, task_queue, tmp_path / "photos")


@pytest.fixture
async def http(world: World) -> AsyncIterator[httpx.AsyncClient]:
    async for client in in_process(world.app):
        yield client


def _page_call_args(world: World, method: str, path: str) -> dict[str, Any]:
    """A valid call of a page: its form with the CSRF token of a page session."""
    if method != "POST":
        return {"params": {"ward": WARD}} if path == "/dang-ky/thong-tin" else {}
    nonce = "matrix-nonce"
    form: dict[str, str] = {"csrf_token": form_token(world.settings, nonce)}
    files = None
    if path.endswith("/xac-minh"):
        form["decision"] = "approve"
    elif path.endswith("/khong-thanh-cong"):
        form["reason"] = "không có ai ở nhà"
    elif path.endswith("/giao-hang"):
        form |= {"recipient_national_id": "079203004005", "recipient_phone": "0912345678"}
        files = {"photo": ("p.jpg", jpeg_bytes(), "image/jpeg")}
    elif path.endswith("/nhap"):
        files = {"file": ("list.csv", "Họ tên;CCCD;Địa chỉ;Số người\n".encode(), "text/csv")}
    elif path == "/dang-ky/dia-chi":
        form["address"] = "12 Nguyễn Huệ, Bến Nghé, Quận 1"
    elif path == "/dang-ky":
        form |= {"full_name": "A", "national_id": "079203004005", "phone": "0912345678", "address": "1 Lê Lợi",
                 "ward_code": "99999", "household_size": "1"}  # fmt: skip
    elif path == "/dang-nhap":  # another account than the API's sign-in above: its own rate limit
        form |= {"username": world.own.courier.username, "password": "matkhau-123"}
    elif path.startswith("/nguoi-giup/dang-nhap") or path == "/nguoi-giup/xac-thuc":
        form |= {"phone": "0912345678", "otp": "000000", "display_name": "An"}
    elif path.endswith("/cam-ket") and path.startswith("/ho-tro-tien-mat/"):
        form["amount_vnd"] = "10000"
    elif path.endswith("/dinh-chi"):
        form["reason"] = "vi phạm quy định"
    elif path.endswith("/quyet-dinh"):
        form |= {"arrived": "yes", "outcome": "cleared"}
    elif path.startswith("/khan-cap/") or path.startswith("/can-bo/khan-cap/"):
        form |= {"category": "medicine", "urgency": "now", "description": "Cần thuốc hạ sốt cho bà",
                 "ward_code": "99999", "address": "1 Lê Lợi", "phone": "0912345678", "otp": "000000",
                 "token": "not-the-requesters-token", "reason": "tin giả"}  # fmt: skip
    elif path.endswith("/tin-nhan"):
        form["body"] = "chào anh chị"
    elif path.endswith("/so-dien-thoai"):
        form["share"] = "yes"
    elif path.endswith("/bao-cao"):
        form["reason"] = "nói chuyện riêng"
    elif path.endswith("/xem-lai"):
        form["received"] = "yes"
    elif path.startswith("/tra-cuu"):
        form |= {"phone": "0912345678", "otp": "000000"}
    elif path.startswith("/kho/chuyen-hang/"):
        form |= {"driver_name": "Lê Văn Tài", "driver_phone": "0912345678", "vehicle_plate": "51C-123.45",
                 "line-1-received": "1"}  # fmt: skip
    elif path.startswith("/kho/"):
        form |= {"form_key": "matrix", "bags": "1", "lot_id": str(uuid.uuid4()), "counted": "1", "quantity": "1",
                 "item_code": "rice", "to_place_code": "KHO-TP-1", "institution_code": "BV-115",
                 "cause": "spoiled", "reason": "ướt mưa"}  # fmt: skip
    elif path == "/quyen-gop":
        form |= {"kind": "person", "name": "A", "phone": "0912345678", "place_code": "KHO-Q760",
                 "expected_on": (date.today() + timedelta(days=1)).isoformat(), "line-1-item": "rice",
                 "line-1-quantity": "10"}  # fmt: skip
    elif path.endswith("/huy"):
        form |= {"token": "not-the-donors-token"}
    elif path.endswith("/nhan"):
        form |= {"line-1-quantity": "10", "line-1-inspection": "accepted"}
    return {"data": form, "files": files, "headers": {"Cookie": f"{CSRF_COOKIE}={nonce}"}}


def _call_args(world: World, method: str, path: str, code: str) -> dict[str, Any]:
    """A valid call of the route, so that only authorisation can stop it."""
    if not path.startswith(V):
        return _page_call_args(world, method, path)
    if f"{V}/emergencies" in path and method == "POST":
        return _emergency_call_args(path)
    if path == f"{V}/emergencies/map":
        return {"params": {"bbox": "10.7,106.6,10.9,106.8", "zoom": 12}}
    if f"{V}/stock/places/" in path and method == "POST":
        lot = str(uuid.uuid4())
        body = {"assemblies": {"bags": 1}, "counts": {"lot_id": lot, "counted": 1},
                "write-offs": {"lot_id": lot, "quantity": 1, "cause": "spoiled", "reason": "ướt mưa"},
                "transfers": {"item_code": "rice", "quantity": 1, "to_place_code": "KHO-TP-1"},
                "issues": {"item_code": "rice", "quantity": 1, "institution_code": "BV-115"}}  # fmt: skip
        return {"json": body[path.rsplit("/", 1)[1]], "headers": {"Idempotency-Key": "matrix"}}
    if path == f"{V}/donations" and method == "POST":
        return {"json": {"donor": {"kind": "person", "name": "A", "phone": "0912345678"}, "place_code": "KHO-Q760",
                         "expected_on": (date.today() + timedelta(days=1)).isoformat(),
                         "lines": [{"item_code": "rice", "quantity": 10}]}}  # fmt: skip
    if f"{V}/place-reports/places/" in path and method == "POST":
        return {"json": {"proposals": [{"item_code": "rice", "quantity": 1, "reason": "hai khu cách ly mới"}]}}
    if path.endswith("/pledges") and method == "POST":
        return {"json": {"amount_vnd": 10_000}}
    if path.endswith("/suspension"):
        return {"json": {"reason": "vi phạm quy định"}}
    if path == f"{V}/help-groups" and method == "POST":
        return {"json": {"name": "Nhóm Áo Xanh"}}
    if path.endswith("/messages") and method == "POST":
        return {"json": {"body": "chào anh chị"}}
    if path.endswith("/fulfilment/photo") and method == "PUT":
        return {"files": {"photo": ("p.jpg", jpeg_bytes(), "image/jpeg")}}
    if path.endswith("/phone-consent"):
        return {"json": {"share": True}}
    if path.endswith("/messages/report"):
        return {"json": {"reason": "nói chuyện riêng"}}
    if path.endswith("/messages/decision"):
        return {"json": {"outcome": "cleared"}}
    if path.endswith("/confirmation") or path.endswith("/resolution"):
        return {"json": {"arrived": True}}
    if path.endswith("/helper/otp"):
        return {"json": {"phone": "0912345678"}}
    if path.endswith("/helper/otp/verification"):
        return {"json": {"phone": "0912345678", "code": "000000", "display_name": "An"}}
    if path.startswith(f"{V}/shipments/") and path.endswith("/dispatch"):
        return {"json": {"driver_name": "Lê Văn Tài", "driver_phone": "0912345678", "vehicle_plate": "51C-123.45"}}
    if path.startswith(f"{V}/shipments/") and path.endswith("/receipt"):
        return {"json": {"lines": [{"line_no": 1, "received_quantity": 1}]}}
    if path.endswith("/receipt"):
        return {"json": {"lines": [{"line_no": 1, "received_quantity": 10, "inspection": "accepted"}]}}
    if path.startswith(f"{V}/donor/donations/") and path.endswith("/cancellation"):
        return {"json": {"token": "not-the-donors-token"}}
    if path.endswith("/assignment"):
        return {"json": {"courier_id": str(world.own.courier.id)}}
    if path.endswith("/verification") and "otp" not in path:
        return {"json": {"approve": True}}
    if path.endswith("/not-received"):
        return {"json": {"note": "chưa thấy ai đến"}}
    if path.endswith("/delivery-review"):
        return {"json": {"received": True}}
    if path.endswith("/failed-attempts"):
        return {"json": {"reason": "không có ai ở nhà"}}
    if path.endswith("/cancellation"):
        return {"json": {"reason": "đã đủ"}}
    if path.endswith("/delivery"):
        form = {"recipient_national_id": "079203004005", "recipient_phone": "0912345678"}
        return {"data": form, "files": {"photo": ("p.jpg", jpeg_bytes(), "image/jpeg")}}
    if path.endswith("/imports"):
        return {"files": {"file": ("list.csv", "Họ tên;CCCD;Địa chỉ;Số người\n".encode(), "text/csv")}}
    if path.endswith("/addresses/parse"):
        return {"json": {"text": "12 Nguyễn Huệ, Bến Nghé, Quận 1"}}
    if path.endswith("/auth/token"):
        return {"data": {"username": world.own.ward_official.username, "password": "matkhau-123"}}
    if path.endswith("/citizen/otp"):
        return {"json": {"phone": "0912345678"}}
    if path.endswith("/otp/verification"):
        return {"json": {"phone": "0912345678", "code": "000000"}}
    if path == f"{V}/requests" and method == "POST":
        return {"json": {"full_name": "A", "national_id": "079203004005", "phone": "0912345678",
                         "address": "1 Lê Lợi", "ward_code": "99999", "household_size": 1}}  # fmt: skip
    return {}


def _emergency_call_args(path: str) -> dict[str, Any]:
    if path.endswith("/emergencies/otp"):
        return {"json": {"phone": "0912345678"}}
    if path.endswith("/emergencies"):  # a ward outside the city: refused before the code is even checked
        body = {"phone": "0912345678", "code": "000000", "category": "medicine", "urgency": "now",
                "description": "Cần thuốc hạ sốt cho bà", "ward_code": "99999", "address": "1 Lê Lợi"}  # fmt: skip
        return {"json": body}
    if path.endswith("/confirmation"):
        return {"json": {"token": "not-the-requesters-token"}}
    if path.endswith("/closure") or path.endswith("/hiding"):
        return {"json": {"reason": "tin giả"}}
    return {"json": {}}


def _refusal_kind(answer: httpx.Response) -> str | None:
    """The kind of a workflow validator's refusal: in the API's JSON, or in a page's X-Refusal-Kind header."""
    if answer.headers.get("content-type", "").startswith("application/json"):
        kind = answer.json().get("kind") if isinstance(answer.json(), dict) else None
        return str(kind) if kind else None
    return answer.headers.get("x-refusal-kind")


def _passed_authorisation(answer: httpx.Response) -> bool:
    if answer.status_code in (401, 404):
        return False
    if answer.status_code == 403:
        # The workflow's own validator may refuse (it checks scope again): that answer names its kind.
        return _refusal_kind(answer) is not None
    return answer.status_code < 500


async def test_every_route_every_role_own_and_other_scope(world: World, http: httpx.AsyncClient) -> None:
    async with transaction() as session:  # an import of the own ward, for the report route
        imported = await import_registry(
            session, ward_code=WARD, filename="list.csv", content="Họ tên;CCCD;Địa chỉ;Số người\n".encode(),
            imported_by=None, at=datetime.now(UTC),
        )  # fmt: skip
    # A donation due at the own ward's distribution point (the warehouse staff's place), and one in the other district.
    donation = {
        side: (
            await announce(
                world.app.state.temporal,
                world.settings.task_queue,
                ward_point_code(ward),
                [("rice", Decimal(10), None)],
            )
        ).code
        for side, ward in (("own", WARD), ("other", OTHER_DISTRICT_WARD))
    }
    # A shipment picked at the own ward's point (the warehouse staff's place) for its district's warehouse, and one
    # between two places of the other district (no workflow: an action on either is refused with a kind).
    shipment = {
        "own": await a_shipment(ward_point_code(WARD), district_warehouse_code(DISTRICT)),
        "other": await a_shipment(ward_point_code(OTHER_DISTRICT_WARD), district_warehouse_code(OTHER_DISTRICT)),
    }
    # A pledge to each side's need: the own one by the helper of the tokens, the other by someone else.
    pledge, need_ref = {}, {}
    for name, ward in (("own", WARD), ("other", OTHER_DISTRICT_WARD)):
        need_ref[name], pledge[name] = await a_pledge(
            getattr(world, name).code, ward, world.helper_id if name == "own" else None
        )
        await a_reported_thread(pledge[name], SubjectKind.PLEDGE)
    # A counted difference waiting at each side's ward point, counted by someone other than the tokens' staff.
    adjustment = {side: await an_adjustment(ward) for side, ward in (("own", WARD), ("other", OTHER_DISTRICT_WARD))}
    # An allocation round on a day of its own (no workflow: an action on it is refused with a kind).
    round_date = date(2000, 1, 3)
    async with transaction() as session:
        session.add(
            AllocationRound(
                round_date=round_date,
                stage="proposed",
                solves=1,
                need=[],
                escalated=False,
                updated_at=datetime.now(UTC),
            )
        )
    # An emergency in each side's ward, claimed: the own one by the helper of the tokens, the other by someone else.
    emergency = {
        name: await an_emergency(ward, world.helper_id if name == "own" else None, world.settings.photo_dir)
        for name, ward in (("own", WARD), ("other", OTHER_DISTRICT_WARD))
    }
    for code in emergency.values():
        await a_reported_thread(code, SubjectKind.EMERGENCY)
    # A pending help group on each side: the own one is the helper of the tokens' group, covering the own ward.
    group = {"own": await a_group(WARD, helper_id=world.helper_id), "other": await a_group(OTHER_DISTRICT_WARD)}
    failures = []
    for (method, template), (roles, scoped) in EXPECTED.items():
        for role in ROLES:
            for scope in ("own", "other") if scoped else ("-",):
                side = world.other if scope == "other" else world.own
                code = DISTRICT if "/districts/" in template else side.code
                path = template.replace("{code}", code).replace("{ward_code}", WARD)
                path = path.replace("{import_id}", str(imported.import_id))
                path = path.replace("{district_code}", DISTRICT).replace("{name}", "app.css")
                path = path.replace("{place_code}", ward_point_code(OTHER_DISTRICT_WARD if scope == "other" else WARD))
                path = path.replace("{donation_code}", donation["other" if scope == "other" else "own"])
                path = path.replace("{pledge_code}", pledge["other" if scope == "other" else "own"])
                path = path.replace("{need_ref}", need_ref["own"]).replace("{round_date}", round_date.isoformat())
                path = path.replace("{adjustment_id}", adjustment["other" if scope == "other" else "own"])
                path = path.replace("{shipment_code}", shipment["other" if scope == "other" else "own"])
                path = path.replace("{emergency_code}", emergency["other" if scope == "other" else "own"])
                path = path.replace("{group_code}", group["other" if scope == "other" else "own"])
                args = _call_args(world, method, path, code)
                headers = {**world.headers[role], **args.pop("headers", {})}
                answer = await http.request(method, path, headers=headers, **args)
                want: str | int
                if roles == PUBLIC:
                    ok = answer.status_code not in (401, 403) and answer.status_code < 500
                    # Public sign-in answers 401 to a wrong code: that is the route working, not refusing.
                    ok = ok or (template.endswith("/otp/verification") and answer.status_code == 401)
                    want = "public"
                elif role not in roles:
                    want = 401 if role == "anonymous" else 403
                    ok = answer.status_code == want and _refusal_kind(answer) is None
                elif scope == "other" and role not in CITY_WIDE:
                    want = 404
                    ok = answer.status_code == 404
                else:
                    want = "allowed"
                    ok = _passed_authorisation(answer)
                if ok and not scoped and roles != PUBLIC and role in roles and role not in CITY_WIDE:
                    # A list must not reveal the request outside the caller's scope.
                    ok = world.other.code not in answer.text and donation["other"] not in answer.text
                    ok = ok and pledge["other"] not in answer.text and shipment["other"] not in answer.text
                    ok = ok and emergency["other"] not in answer.text
                    want = f"allowed, without {world.other.code} or {donation['other']}"
                if not ok:
                    failures.append(f"{method} {template} as {role} ({scope}): want {want}, got "
                                    f"{answer.status_code} {answer.text[:200]}")  # fmt: skip
    assert not failures, "\n".join(failures)


async def an_adjustment(ward: str) -> str:
    """A report filed at the ward's point with a count that differs from its ledger: its pending adjustment."""
    place = ward_point_code(ward)
    counter = await make_staff(Role.WAREHOUSE_STAFF, ward, place_code=place)
    district, now = (DISTRICT if ward == WARD else OTHER_DISTRICT), datetime.now(UTC)
    counts = [CountLine(item_code="rice", counted=Decimal(3))]
    async with transaction() as session:
        filed = await place_reports.file_report(
            session, Filing(place, district, date.today(), counter.id, now, now, counts, [])
        )
        [row] = await place_reports.adjustments(session, PlaceReportAdjustment.report_id == filed.report_id)
    return str(row.adjustment.id)


async def a_shipment(from_place: str, to_place: str) -> str:
    """A shipment's rows, picked (its workflow is not needed: an action on it is refused with a kind)."""
    code = f"CH-20261205-{uuid.uuid4().hex[:8].upper()}"
    order = ShipmentOrder(
        code=code, from_place=from_place, to_place=to_place, lines=(ShipmentLine(item_code="rice", quantity=1),)
    )
    async with transaction() as session:
        await shipments.open_shipment(session, OpenInput(order=order, at=datetime.now(UTC)), ShipmentPolicy())
        await session.execute(update(Shipment).where(Shipment.code == code).values(stage="picked"))
    return code


async def a_pledge(request_code: str, ward: str, helper_id: uuid.UUID | None) -> tuple[str, str]:
    """A published need on the request, and a pledge to it (its workflow is not needed: an action on it is refused
    with a kind, past authorisation). Returns (the need's reference, the pledge's code)."""
    async with transaction() as session:
        request = (await session.execute(select(ReliefRequest).where(ReliefRequest.code == request_code))).scalar_one()
        await cash_ledger.open_need(
            session,
            NewNeed(
                request_id=request.id, household_id=request.household_id, ward_code=ward,
                district_code=request.district_code, amount_asked=500_000, situation=SituationCategory.ILLNESS,
                payout_method=PayoutMethod.BANK_ACCOUNT, bank_bin="970436", account_number="0071000123456",
                account_hash="a" * 64, holder_name="A", holder_matches_applicant=True, consent_to_publish=True,
            ),
        )  # fmt: skip
        await cash_ledger.set_need_state(session, request.id, NeedState.PUBLISHED, datetime.now(UTC))
        if helper_id is None:
            helper_id = await community_helpers.signed_in(session, "+84913999888", HelperKind.GROUP, "B")
        code = f"PM{request_code}"[:16]
        await cash_ledger.pledge(session, code, request.id, helper_id, 100_000)
        ref = await session.scalar(select(CashNeed.public_ref).where(CashNeed.request_id == request.id))
    return str(ref), code


async def an_emergency(ward: str, helper_id: uuid.UUID | None, photo_dir: Path) -> str:
    """An emergency in the ward claimed by the helper (another one when None), without its workflow: an action on it
    is refused with a kind, past authorisation. Returns its code."""
    code, now = f"E{uuid.uuid4().hex[:9].upper()}", datetime.now(UTC)
    async with transaction() as session:
        if helper_id is None:
            helper_id = await community_helpers.signed_in(session, "+84913999887", HelperKind.PERSON, "C")
        place = await emergencies.ward_in_city(session, ward, "79")
        assert place is not None
        new = NewEmergency(
            code=code, category=EmergencyCategory.MEDICINE, urgency=EmergencyUrgency.NOW,
            description="Cần thuốc hạ sốt cho bà", ward_code=ward, district_code=place[0], address="1 Lê Lợi",
            point=None, phone_e164="+84912000111",
        )  # fmt: skip
        row = await emergencies.post(session, new, (place[1], place[2]), now, EMERGENCY_POLICY)
        row.state, row.claimed_by_helper, row.claimed_at = "claimed", helper_id, now
        # What the claimer showed was brought, for the photo's readers.
        stored = store_photo(io.BytesIO(jpeg_bytes()), photo_dir)
        row.fulfilment_photo_path, row.fulfilment_photo_sha256 = stored.relative_path, stored.sha256
    return code


async def a_reported_thread(code: str, kind: SubjectKind) -> None:
    """The pledge's or the emergency's private message thread, reported by its helper: on its ward's moderation list."""
    async with transaction() as session:
        parties = await message_parties.parties(session, kind, code)
        assert parties is not None
        thread = await message_threads.open_thread(session, parties)
        await message_threads.report(session, thread, Side.HELPER, "nói chuyện riêng", datetime.now(UTC), 1)


async def test_a_route_without_a_rule_is_refused(world: World, http: httpx.AsyncClient) -> None:
    @world.app.get("/api/v1/forgotten")
    async def forgotten() -> dict[str, str]:
        return {"secret": "yes"}

    answer = await http.get("/api/v1/forgotten", headers=world.headers["city_official"])
    assert answer.status_code == 403 and answer.json()["code"] == "no_rule", answer.text


async def test_two_officials_deciding_at_once_on_the_page_are_two_decisions(
    world: World, http: httpx.AsyncClient
) -> None:
    """The pages' decision form is the API's use case: one official's approval and another's refusal sent at the
    same moment are two updates; one decides, the other gets the request's page saying why not (409)."""
    second = await make_staff(Role.WARD_OFFICIAL, WARD)
    as_first = world.headers["ward_official"]
    as_second = {"Authorization": f"Bearer {issue_staff_token(world.settings, second.id, second.role)}"}
    nonce = "decisions-nonce"
    cookie = {"Cookie": f"{CSRF_COOKIE}={nonce}"}
    form = {"csrf_token": form_token(world.settings, nonce)}
    url = f"/yeu-cau/{world.own.code}/xac-minh"
    approve, reject = await asyncio.gather(
        http.post(url, data={**form, "decision": "approve"}, headers={**as_first, **cookie}),
        http.post(url, data={**form, "decision": "reject", "reason": "không đủ"}, headers={**as_second, **cookie}),
    )
    assert sorted([approve.status_code, reject.status_code]) == [303, 409], (approve.text[:300], reject.text[:300])
    async with transaction() as session:
        actions = (
            await session.execute(
                select(AuditEntry.action, AuditEntry.actor_id).where(AuditEntry.request_code == world.own.code)
            )
        ).all()
    decided = {str(actor) for action, actor in actions if action == "verification"}
    refused = {str(actor) for action, actor in actions if action == "verification_refused"}
    assert len(decided) == 1 and len(refused) == 1 and decided != refused
