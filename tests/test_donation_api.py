"""Donations through the real HTTP API (in-process, on the time-skipping server with a worker, real PostgreSQL):
a donor announces and follows, warehouse staff receive; bad input is a 4xx naming the field in Vietnamese and
English with nothing written; and the donor sees where the goods went, by district and institution, no one named."""

import re
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from temporalio.client import Client

from common.limits import Limit, RateLimits
from common.settings import get_settings
from db.base import transaction
from db.donations import Donation, DonationLine
from db.supply import StockMovement
from domain.roles import Role
from domain.supply import MovementKind
from server import create_app
from services import kits, stock_ledger
from services.supply_seed import ward_point_code
from tests.factories import OTHER_DISTRICT_WARD, WARD, make_staff
from tests.trust_fixtures import in_process, insert_request
from texts import text
from usecases.trust.tokens import issue_staff_token

pytestmark = pytest.mark.timeout(180)

V = "/api/v1"
PLACE = ward_point_code(WARD)
TOMORROW = date.today() + timedelta(days=1)
IN_A_WEEK = date.today() + timedelta(days=7)
VIETNAMESE = re.compile(r"[ạảãàáâậầấẩẫăắằặẳẵđêềếểễệôồốổỗộơờớởỡợưừứửữựíìịỉĩúùụủũóòọỏõéèẹẻẽ]")


@dataclass
class Api:
    http: httpx.AsyncClient
    staff: dict[str, str]  # headers of the staff of PLACE
    other_staff: dict[str, str]  # of another district's ward point


@pytest.fixture
async def api(client: Client, task_queue: str, request: pytest.FixtureRequest) -> AsyncIterator[Api]:
    settings = get_settings().model_copy(update={"task_queue": task_queue, **getattr(request, "param", {})})
    app = create_app(settings)
    app.state.temporal = client

    async def staff_of(ward: str) -> dict[str, str]:
        who = await make_staff(Role.WAREHOUSE_STAFF, ward, place_code=ward_point_code(ward))
        return {"Authorization": f"Bearer {issue_staff_token(settings, who.id, who.role)}"}

    staff, other = await staff_of(WARD), await staff_of(OTHER_DISTRICT_WARD)
    async for http in in_process(app):
        yield Api(http, staff, other)


def donation_form(*lines: dict[str, Any], **changes: Any) -> dict[str, Any]:
    form = {
        "donor": {"kind": "organisation", "origin": "domestic", "name": "Công ty Thực phẩm A", "phone": "0912345678",
                  "contact_name": "Trần Văn B", "email": "b@example.vn"},
        "place_code": PLACE,
        "expected_on": TOMORROW.isoformat(),
        "lines": list(lines) or [{"item_code": "rice", "quantity": 100, "estimated_value_vnd": 1_500_000}],
    }  # fmt: skip
    return form | changes


async def announce(api: Api, form: dict[str, Any]) -> tuple[str, str]:
    answer = await api.http.post(f"{V}/donations", json=form)
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert body["follow_url"] == f"/quyen-gop/{body['code']}?t={body['follow_token']}"
    return body["code"], body["follow_token"]


async def counts() -> tuple[int, int, int]:
    """Donations, received lines and stock movements: what a refused call must leave as it was."""
    async with transaction() as session:
        donations = await session.scalar(select(func.count()).select_from(Donation))
        received = await session.scalar(select(func.count()).where(DonationLine.inspection.is_not(None)))
        moved = await session.scalar(select(func.count()).select_from(StockMovement))
    return int(donations or 0), int(received or 0), int(moved or 0)


def assert_names_field(answer: httpx.Response, field: str, code: str | None) -> str:
    """A 422 whose error names the field with its stable code, in Vietnamese alone (the language asked for by
    default); its message. No code: a validator of another area, whose field only is checked."""
    assert answer.status_code == 422, answer.text
    errors = [e for e in answer.json()["detail"] if ".".join(str(p) for p in e["loc"][1:]) == field]
    assert errors, f"no error for {field}: {answer.text}"
    message = str(errors[0]["msg"])
    if code is not None:
        assert errors[0]["type"] == code, errors
        assert VIETNAMESE.search(message) and "(" not in message and not message.startswith(field), message
    return message


async def test_a_donor_announces_and_follows_and_the_warehouse_receives(api: Api) -> None:
    code, token = await announce(api, donation_form())
    followed = await api.http.get(f"{V}/donor/donations/{code}", headers={"Donation-Token": token})
    assert followed.status_code == 200 and followed.json()["donation"]["stage"] == "announced"
    assert "0912345678" not in followed.text and "Trần Văn B" not in followed.text  # no contact details shown
    for wrong in ({}, {"Donation-Token": token[:-2] + "xx"}):
        assert (await api.http.get(f"{V}/donor/donations/{code}", headers=wrong)).status_code == 404
    due = await api.http.get(f"{V}/donations/due", headers=api.staff)
    assert [d["code"] for d in due.json()] == [code]
    assert (await api.http.get(f"{V}/donations/due", headers=api.other_staff)).json() == []
    receipt = {"lines": [{"line_no": 1, "received_quantity": "98.5", "inspection": "accepted"}]}
    # Staff of another place: the donation does not exist for them.
    assert (await api.http.get(f"{V}/donations/{code}", headers=api.other_staff)).status_code == 404
    refused = await api.http.post(f"{V}/donations/{code}/receipt", json=receipt, headers=api.other_staff)
    assert refused.status_code == 404
    received = await api.http.post(f"{V}/donations/{code}/receipt", json=receipt, headers=api.staff)
    assert received.status_code == 200, received.text
    assert received.json() == {"stage": "stocked", "lots": 1}
    view = (await api.http.get(f"{V}/donor/donations/{code}", headers={"Donation-Token": token})).json()
    assert view["donation"]["lines"][0]["received_quantity"] == "98.500"


async def test_a_donor_cancels_with_the_token_only(api: Api) -> None:
    code, token = await announce(api, donation_form())
    wrong = await api.http.post(f"{V}/donor/donations/{code}/cancellation", json={"token": "x" * 32})
    assert wrong.status_code == 404
    cancelled = await api.http.post(f"{V}/donor/donations/{code}/cancellation", json={"token": token})
    assert cancelled.status_code == 200 and cancelled.json()["stage"] == "cancelled"
    receipt = {"lines": [{"line_no": 1, "received_quantity": 100, "inspection": "accepted"}]}
    late = await api.http.post(f"{V}/donations/{code}/receipt", json=receipt, headers=api.staff)
    assert late.status_code == 409 and late.json()["kind"] == "WrongStage"


BAD_ANNOUNCEMENTS = {
    "zero": ({"item_code": "rice", "quantity": 0}, "lines.0.quantity", "quantity_not_positive"),
    "negative": ({"item_code": "rice", "quantity": -5}, "lines.0.quantity", "quantity_not_positive"),
    "absurd kilograms": ({"item_code": "rice", "quantity": 5_000_000}, "lines.0.quantity", "too_large"),
    "a fraction of a can": ({"item_code": "canned_fish", "quantity": 2.5}, "lines.0.quantity", "not_whole"),
    "unknown item": ({"item_code": "gold_bars", "quantity": 1}, "lines.0.item_code", "unknown_item"),
    "the kit itself": ({"item_code": "food_bag", "quantity": 1}, "lines.0.item_code", "unknown_item"),
    "perishable without expiry": (
        {"item_code": "vegetables", "quantity": 20},
        "lines.0.expires_on",
        "expiry_required",
    ),
    "expires before it arrives": (
        {"item_code": "eggs", "quantity": 300, "expires_on": date.today().isoformat()},
        "lines.0.expires_on",
        "expires_before_arrival",
    ),
    "negative value": (
        {"item_code": "rice", "quantity": 1, "estimated_value_vnd": -1},
        "lines.0.estimated_value_vnd",
        "estimated_value_negative",
    ),
}


@pytest.mark.parametrize("case", BAD_ANNOUNCEMENTS)
async def test_a_bad_announcement_names_its_field_and_writes_nothing(api: Api, case: str) -> None:
    line, field, code = BAD_ANNOUNCEMENTS[case]
    message = assert_names_field(await api.http.post(f"{V}/donations", json=donation_form(line)), field, code)
    if case == "a fraction of a can":  # the catalogue's words, with the item's name and unit
        assert message == text("vi", "err.quantity_not_whole", item="Cá hộp", unit=text("vi", "unit.can"))
    assert await counts() == (0, 0, 0)


async def test_bad_announcement_fields_outside_the_lines(api: Api) -> None:
    for changes, field, code in (
        ({"place_code": "KHO-KHONG-CO"}, "place_code", "unknown_place"),
        # A hospital receives goods from the city, not donors.
        ({"place_code": "BV-CHO-RAY"}, "place_code", "unknown_place"),
        ({"expected_on": (date.today() - timedelta(days=1)).isoformat()}, "expected_on", "in_the_past"),
        ({"donor": {**donation_form()["donor"], "phone": "12345"}}, "donor.phone", "donor_phone_invalid"),
    ):
        assert_names_field(await api.http.post(f"{V}/donations", json=donation_form(**changes)), field, code)
    assert await counts() == (0, 0, 0)


async def test_bad_receipts_name_their_field_and_write_nothing(api: Api) -> None:
    lines = (
        {"item_code": "rice", "quantity": 100},
        {"item_code": "canned_fish", "quantity": 48},
        {"item_code": "eggs", "quantity": 300, "expires_on": IN_A_WEEK.isoformat()},
    )
    code, _ = await announce(api, donation_form(*lines))
    good = [
        {"line_no": 1, "received_quantity": "99.5", "inspection": "accepted"},
        {"line_no": 2, "received_quantity": 48, "inspection": "accepted"},
        {"line_no": 3, "received_quantity": 0, "inspection": "rejected", "rejection_reason": "trứng vỡ"},
    ]
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    cases: list[tuple[list[dict[str, Any]], str, str]] = [
        ([{**good[0], "received_quantity": 0}, *good[1:]], "lines.0.received_quantity", "not_positive"),
        ([{**good[0], "received_quantity": -3}, *good[1:]], "lines.0.received_quantity", "counted_negative"),
        ([{**good[0], "received_quantity": 90_000_000}, *good[1:]], "lines.0.received_quantity", "too_large"),
        ([good[0], {**good[1], "received_quantity": "47.5"}, good[2]], "lines.1.received_quantity", "not_whole"),
        ([*good[:2], {**good[2], "inspection": "accepted", "received_quantity": 280, "expires_on": yesterday}],
         "lines.2.expires_on", "expired"),
        ([*good[:2], {**good[2], "rejection_reason": None}], "lines.2.rejection_reason", "reason_required"),
        ([good[0], good[0], good[1], good[2]], "lines.1.line_no", "line_received_twice"),
        ([*good, {**good[0], "line_no": 9}], "lines.3.line_no", "unknown_line"),
        (good[:2], "lines", "missing_lines"),
    ]  # fmt: skip
    for receipt, field, problem in cases:
        answer = await api.http.post(f"{V}/donations/{code}/receipt", json={"lines": receipt}, headers=api.staff)
        assert_names_field(answer, field, problem)
    assert await counts() == (1, 0, 0)

    # Sent twice with the same key (a retry after a lost answer) it is recorded once; again later, refused.
    key = {"Idempotency-Key": f"receipt-{uuid.uuid4().hex}"}
    first = await api.http.post(f"{V}/donations/{code}/receipt", json={"lines": good}, headers=api.staff | key)
    again = await api.http.post(f"{V}/donations/{code}/receipt", json={"lines": good}, headers=api.staff | key)
    assert first.status_code == again.status_code == 200 and first.json() == again.json() == {
        "stage": "stocked",
        "lots": 2,
    }
    assert await counts() == (1, 3, 2)
    twice = await api.http.post(f"{V}/donations/{code}/receipt", json={"lines": good}, headers=api.staff)
    assert_names_field(twice, "lines.0.line_no", "line_received_twice")
    other_key = {"Idempotency-Key": f"receipt-{uuid.uuid4().hex}"}
    keyed = await api.http.post(f"{V}/donations/{code}/receipt", json={"lines": good}, headers=api.staff | other_key)
    assert keyed.status_code == 409 and keyed.json()["kind"] == "WrongStage"
    assert await counts() == (1, 3, 2)


async def test_the_donor_sees_where_the_goods_went_by_district_and_institution(api: Api) -> None:
    """Bags assembled from the donation and issued to two households of Quận 1; rice given to a hospital."""
    kit = (
        {"item_code": "rice", "quantity": 100},
        {"item_code": "cooking_oil", "quantity": 10},
        {"item_code": "instant_noodles", "quantity": 100},
        {"item_code": "canned_fish", "quantity": 50},
        {"item_code": "vegetables", "quantity": 20, "expires_on": IN_A_WEEK.isoformat()},
    )
    code, token = await announce(api, donation_form(*kit))
    receipt = [{"line_no": n, "received_quantity": line["quantity"], "inspection": "accepted"} for n, line in
               enumerate(kit, start=1)]  # fmt: skip
    assert (await api.http.post(f"{V}/donations/{code}/receipt", json={"lines": receipt}, headers=api.staff)).is_success
    nothing_yet = await api.http.get(f"{V}/donor/donations/{code}", headers={"Donation-Token": token})
    assert nothing_yet.json()["destinations"] == []

    households = [await insert_request(WARD, "760", f"+8491{n:07d}", stage="out_for_delivery") for n in (1, 2, 3)]
    async with transaction() as session:
        await kits.assemble(session, "assembly-1", PLACE, 3, actor_id=None)
        for request in households:
            await stock_ledger.reserve_bag(session, request.code, 1, PLACE)
        for request in households[:2]:  # the third is still on the road
            await stock_ledger.issue_bag(session, request.code, actor_id=None)
        await stock_ledger.take(
            session, "to-hospital", PLACE, "rice", Decimal(30), MovementKind.ISSUED_INSTITUTION, "BV-CHO-RAY"
        )
    followed = await api.http.get(f"{V}/donor/donations/{code}", headers={"Donation-Token": token})
    reached = {(d["kind"], d["code"], d["item_code"]): (Decimal(d["quantity"]), d["households"])
               for d in followed.json()["destinations"]}  # fmt: skip
    assert reached == {
        ("district", "760", "rice"): (Decimal(20), 2),
        ("district", "760", "cooking_oil"): (Decimal(2), 2),
        ("district", "760", "instant_noodles"): (Decimal(20), 2),
        ("district", "760", "canned_fish"): (Decimal(10), 2),
        ("district", "760", "vegetables"): (Decimal(4), 2),
        ("institution", "BV-CHO-RAY", "rice"): (Decimal(30), 0),
    }
    assert {d["name"] for d in followed.json()["destinations"]} == {"Quận 1", "Bệnh viện Chợ Rẫy"}
    for request in households:  # no request, household or person is named
        assert request.code not in followed.text and request.applicant_name not in followed.text


@pytest.mark.parametrize(
    "api", [{"rate_limits": RateLimits(donation_per_phone=Limit(count=2, window=timedelta(days=1)))}], indirect=True
)
async def test_announcements_from_one_phone_are_rate_limited(api: Api) -> None:
    for _ in range(2):
        await announce(api, donation_form())
    third = await api.http.post(f"{V}/donations", json=donation_form())
    assert third.status_code == 429 and "Retry-After" in third.headers
    assert await counts() == (2, 0, 0)
