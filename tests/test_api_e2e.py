"""The HTTP API end to end: a real Temporal dev server, our worker, real PostgreSQL, uvicorn and httpx.

One household's request goes the whole way through people's hands: a citizen registers, an official of
the ward approves it (a double tap is one decision), dispatches it, a courier proves delivery with a
photo, and the household's next registration is refused with the dates it may come back.
"""

import asyncio
import io
import uuid
from collections.abc import AsyncIterator, Awaitable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest
from PIL import Image
from sqlalchemy import select, update
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

import texts
from common.city_time import CITY_TZ
from common.settings import Settings
from db.audit import AuditEntry
from db.base import transaction
from db.households import Household
from db.requests import ReliefRequest
from db.staff import StaffUser
from domain.banks import bank_by_bin
from domain.names import workflow_id
from domain.roles import Role
from tests import live_stack
from tests.factories import DISTRICT, OTHER_DISTRICT, OTHER_WARD_SAME_DISTRICT, WARD, Staff, make_staff, stock_ward
from tests.sms import last_code_sent_to
from texts import CATALOGUE

pytestmark = pytest.mark.timeout(120)

MAX_PHOTO = 200_000
PASSWORD = "matkhau-123"


@dataclass(frozen=True)
class Stack:
    base_url: str
    settings: Settings


@pytest.fixture(scope="module")
async def stack(
    dev_server: WorkflowEnvironment, database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Stack]:
    """Our worker on a queue of its own, and the API served by uvicorn in this event loop."""
    settings = live_stack.stack_settings(
        dev_server, database_url, tmp_path_factory.mktemp("photos"), max_photo_bytes=MAX_PHOTO
    )
    async with live_stack.serving(dev_server, settings) as base_url:
        yield Stack(base_url, settings)


@pytest.fixture
async def http(stack: Stack, db: None) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=f"{stack.base_url}/api/v1", timeout=30) as client:
        yield client


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def sign_in(http: httpx.AsyncClient, who: Staff) -> dict[str, str]:
    answer = await http.post("/auth/token", data={"username": who.username, "password": PASSWORD})
    assert answer.status_code == 200, answer.text
    assert answer.json()["role"] == who.role.value and answer.json()["unit_code"] == who.unit_code
    return bearer(answer.json()["access_token"])


def registration(**overrides: Any) -> dict[str, Any]:
    return {
        "kind": "food_bag",
        "full_name": "Trần Văn Bình",
        "national_id": "079203004005",
        "phone": "+84912345678",
        "address": "45 Lê Lợi, Phường Bến Nghé",
        "ward_code": WARD,
        "household_size": 3,
        **overrides,
    }


def jpeg(colour: tuple[int, int, int] = (200, 120, 40)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(out, format="JPEG")
    return out.getvalue()


def proof_form(national_id: str = "079203004005") -> dict[str, str]:
    return {"recipient_national_id": national_id, "recipient_phone": "0912 345 678", "latitude": "10.776"}


def error_locs(answer: httpx.Response) -> set[str]:
    return {str(e["loc"][-1]) for e in answer.json()["detail"]}


def error_codes(answer: httpx.Response) -> dict[str, str]:
    """{field: the problem's stable code}"""
    return {str(e["loc"][-1]): e["type"] for e in answer.json()["detail"]}


async def wait_for_stage(http: httpx.AsyncClient, code: str, headers: dict[str, str], stage: str) -> dict[str, Any]:
    for _ in range(200):
        view = (await http.get(f"/requests/{code}", headers=headers)).json()
        if view["stage"] == stage:
            return view
        await asyncio.sleep(0.05)
    raise AssertionError(f"request {code} never reached {stage}; last seen {view['stage']}")


async def wait_for_workflow(http: httpx.AsyncClient, code: str, headers: dict[str, str], stage: str) -> None:
    for _ in range(200):
        detail = (await http.get(f"/requests/{code}/workflow", headers=headers)).json()
        if detail["state"]["stage"] == stage:
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"workflow {code} never reached {stage}")


async def supervisors_query(client: Client, query: str) -> set[str]:
    """Workflow IDs a supervisor's Temporal UI query finds (visibility is eventually consistent)."""
    found: set[str] = set()
    for _ in range(100):
        found = {w.id async for w in client.list_workflows(query)}
        if found:
            break
        await asyncio.sleep(0.05)
    return found


async def test_a_request_through_everyone_s_hands(
    http: httpx.AsyncClient, stack: Stack, dev_server: WorkflowEnvironment
) -> None:
    official = await make_staff(Role.WARD_OFFICIAL, WARD)
    stranger = await make_staff(Role.WARD_OFFICIAL, OTHER_WARD_SAME_DISTRICT)
    first_courier = await make_staff(Role.COURIER, WARD)
    second_courier = await make_staff(Role.COURIER, WARD)
    supervisor = await make_staff(Role.SUPERVISOR, "79")
    other_district = await make_staff(Role.DISTRICT_OFFICIAL, OTHER_DISTRICT)
    await stock_ward(WARD, bags=1)  # the bag the courier hands over
    as_official, as_stranger = await sign_in(http, official), await sign_in(http, stranger)
    as_first, as_second = await sign_in(http, first_courier), await sign_in(http, second_courier)

    # A citizen registers and is told, in the same call, that the ward will verify.
    answer = await http.post("/requests", json=registration())
    assert answer.status_code == 201, answer.text
    registered = answer.json()
    code = registered["code"]
    assert registered["stage"] == "awaiting_verification" and registered["refusal"] is None
    assert code in registered["message"]
    # A supervisor finds it in the Temporal UI by stage, district and deadline; the ID holds no personal data.
    assert await supervisors_query(
        dev_server.client,
        f'AnSinhStage = "awaiting_verification" AND AnSinhDistrict = "{DISTRICT}" AND AnSinhWard = "{WARD}" '
        f'AND AnSinhKind = "food_bag" AND AnSinhDeadline > "2000-01-01T00:00:00Z" AND AnSinhOverdue = false',
    ) == {workflow_id(code)}
    assert "079203004005" not in workflow_id(code) and "912345678" not in workflow_id(code)

    # Later, on another phone: a one-time code by SMS to the phone, typed differently; an unknown phone is
    # answered alike and gets nothing, a wrong code is refused, the right one opens the household's session.
    assert (await http.post("/citizen/otp", json={"phone": "0987654321"})).status_code == 202
    assert await last_code_sent_to("+84987654321") is None
    assert (await http.post("/citizen/otp", json={"phone": "0912 345 678"})).status_code == 202
    otp = await last_code_sent_to("+84912345678")
    assert otp is not None
    wrong_code = f"{(int(otp) + 1) % 1_000_000:06d}"
    body = {"phone": "+84912345678", "code": wrong_code}
    assert (await http.post("/citizen/otp/verification", json=body)).status_code == 401
    session = await http.post("/citizen/otp/verification", json={"phone": "0912 345 678", "code": otp})
    assert session.status_code == 200, session.text
    assert (await http.post("/citizen/otp/verification", json={"phone": "0912345678", "code": otp})).status_code == 401
    as_citizen = bearer(session.json()["access_token"])
    view = (await http.get(f"/requests/{code}", headers=as_citizen)).json()
    assert view["stage"] == "awaiting_verification" and view["ward_code"] == WARD and view["district_code"] == DISTRICT
    assert view["applicant_name"] is None and view["applicant_phone_masked"] is None
    assert [e["event"] for e in view["timeline"]] == ["registered", "verification_requested"]
    assert "xác minh" in view["next_step"]
    assert (await http.get(f"/requests/{code}")).status_code == 401

    # Another ward's official cannot see it, nor decide it.
    assert (await http.get(f"/requests/{code}", headers=as_stranger)).status_code == 404
    refused = await http.post(f"/requests/{code}/verification", json={"approve": True}, headers=as_stranger)
    assert refused.status_code in (403, 404)
    assert code not in {r["code"] for r in (await http.get("/inbox", headers=as_stranger)).json()}

    # The ward's official finds it in the inbox and approves; a double tap is one decision.
    inbox = (await http.get("/inbox", headers=as_official)).json()
    assert [r["code"] for r in inbox] == [code]
    staff_view = (await http.get(f"/requests/{code}", headers=as_official)).json()
    assert staff_view["applicant_name"] == "Trần Văn Bình" and staff_view["applicant_phone_masked"] == "0912***678"

    def tap() -> Awaitable[httpx.Response]:
        return http.post(
            f"/requests/{code}/verification",
            json={"approve": True},
            headers={**as_official, "Idempotency-Key": "tap-1"},
        )

    first, second = await asyncio.gather(tap(), tap())
    assert first.status_code == second.status_code == 200, (first.text, second.text)
    # A courier is free: the approval went out for delivery in the same step.
    assert first.json() == second.json() and first.json()["stage"] == "out_for_delivery"
    assert (await tap()).json() == first.json()
    changed_mind = await http.post(
        f"/requests/{code}/verification", json={"approve": False, "reason": "không đủ điều kiện"}, headers=as_official
    )
    assert changed_mind.status_code == 409 and changed_mind.json()["kind"] == "WrongStage"

    # The first courier is picked automatically; the official hands the request to the second one.
    await wait_for_stage(http, code, as_official, "out_for_delivery")
    # The projection is written before the workflow commits the assignment: wait for the workflow too.
    await wait_for_workflow(http, code, as_official, "out_for_delivery")
    assert (await http.get(f"/requests/{code}", headers=as_first)).status_code == 200
    outsider = await make_staff(Role.COURIER, OTHER_WARD_SAME_DISTRICT)
    wrong = await http.post(f"/requests/{code}/assignment", json={"courier_id": str(outsider.id)}, headers=as_official)
    assert wrong.status_code == 422 and error_locs(wrong) == {"courier_id"}
    assigned = await http.post(
        f"/requests/{code}/assignment", json={"courier_id": str(second_courier.id)}, headers=as_official
    )
    assert assigned.status_code == 200 and assigned.json()["stage"] == "out_for_delivery", assigned.text
    assert (await http.get(f"/requests/{code}", headers=as_first)).status_code == 404
    round_ = (await http.get("/deliveries", headers=as_second)).json()
    assert [(r["code"], r["applicant_phone_masked"]) for r in round_] == [(code, "0912***678")]

    # The courier's proof: an oversize photo and a non-image are refused before anything is sent.
    url = f"/requests/{code}/delivery"
    big = {"photo": ("big.jpg", b"\xff" * (MAX_PHOTO + 100_000), "image/jpeg")}
    assert (await http.post(url, files=big, data=proof_form(), headers=as_second)).status_code == 413
    streamed = await chunked_upload(http, url, big, as_second)
    assert streamed.status_code == 413 and streamed.json()["code"] == "too_large", streamed.text
    assert streamed.json()["detail"] == texts.text("vi", "err.photo_over_limit", kib=MAX_PHOTO // 1024)
    text = {"photo": ("note.jpg", b"this is not a photo" * 50, "image/jpeg")}
    not_image = await http.post(url, files=text, data=proof_form(), headers=as_second)
    assert not_image.status_code == 422 and error_locs(not_image) == {"photo"}
    # In the courier's language first, as every message the API gives people.
    assert not_image.json()["detail"][0]["type"] == "invalid_photo", not_image.text
    assert not_image.json()["detail"][0]["msg"] == texts.text("vi", "err.photo_unreadable")
    bad_id = await http.post(
        url, files={"photo": ("p.jpg", jpeg(), "image/jpeg")}, data=proof_form("12ab"), headers=as_second
    )
    assert bad_id.status_code == 422 and error_locs(bad_id) == {"recipient_national_id"}
    photo = {"photo": ("door.jpg", jpeg(), "image/jpeg")}
    assert (await http.post(url, files=photo, data=proof_form(), headers=as_first)).status_code == 404
    delivered = await http.post(url, files=photo, data=proof_form(), headers=as_second)
    assert delivered.status_code == 200, delivered.text
    assert delivered.json()["stage"] == "delivered" and delivered.json()["recipient_matches_household"] is True
    again = await http.post(url, files=photo, data=proof_form(), headers=as_second)
    assert again.status_code == 409 and again.json()["kind"] == "WrongStage", again.text
    # Another photo for a delivered request is refused before it is decoded or kept.
    other_photo = {"photo": ("other.jpg", jpeg(colour=(10, 200, 90)), "image/jpeg")}
    late = await http.post(url, files=other_photo, data=proof_form(), headers=as_second)
    assert late.status_code == 409 and late.json()["kind"] == "WrongStage", late.text
    stored = [p.relative_to(stack.settings.photo_dir) for p in stack.settings.photo_dir.rglob("*.jpg")]
    assert len(stored) == 1 and stored[0].parts[0] == stored[0].stem[:2]

    # The citizen sees it delivered, with every message they were sent.
    view = (await http.get(f"/requests/{code}", headers=as_citizen)).json()
    assert view["stage"] == "delivered" and view["timeline"][-1]["event"] == "delivered"
    messages = (await http.get(f"/requests/{code}/notifications", headers=as_citizen)).json()
    # The automatic and the manual assignment each told the citizen.
    assert [m["event"] for m in messages] == [
        "verification_requested",
        "approved",
        "courier_assigned",
        "courier_assigned",
        "delivered",
    ]
    # The worker's dispatcher hands them to the provider shortly after each step.
    for _ in range(50):
        if all(m["sent_at"] for m in messages):
            break
        await asyncio.sleep(0.1)
        messages = (await http.get(f"/requests/{code}/notifications", headers=as_citizen)).json()
    assert all(m["sent_at"] for m in messages), "notifications stored but never sent"

    # The official's detail view asks the workflow itself; couriers may not.
    detail = await http.get(f"/requests/{code}/workflow", headers=as_official)
    assert detail.status_code == 200 and detail.json()["state"]["stage"] == "delivered"
    assert detail.json()["temporal_ui_url"].endswith(f"/namespaces/default/workflows/relief-request-{code}")
    assert (await http.get(f"/requests/{code}/workflow", headers=as_second)).status_code == 403

    # Supervision counts by district; a district official elsewhere sees nothing of this district.
    as_supervisor, as_elsewhere = await sign_in(http, supervisor), await sign_in(http, other_district)
    summary = (await http.get("/supervision/summary", headers=as_supervisor)).json()
    assert {"district_code": DISTRICT, "stage": "delivered", "count": 1} in summary
    assert (await http.get(f"/supervision/requests?district_code={DISTRICT}", headers=as_elsewhere)).json() == []

    # The same household, a week later or today, is refused with the dates it may come back.
    again = await http.post("/requests", json=registration(phone="0903 111 222", address="45 Le Loi, P. Ben Nghe"))
    assert again.status_code == 201, again.text
    refusal = again.json()
    today = datetime.now(CITY_TZ).date()
    assert refusal["stage"] == "refused" and refusal["refusal"] == "already_received"
    assert refusal["last_delivered_on"] == today.isoformat()
    # The 14-day window ends mid-day, so the first whole free day is the fifteenth.
    eligible = today + timedelta(days=15)
    assert refusal["eligible_again_on"] == eligible.isoformat()
    assert refusal["message"] == (
        f"Hộ gia đình đã nhận túi an sinh ngày {today:%d/%m/%Y}; có thể đăng ký lại từ ngày {eligible:%d/%m/%Y}."
    )

    # Disabling an account takes effect at once, whatever its token says.
    async with transaction() as db_session:
        await db_session.execute(update(StaffUser).where(StaffUser.id == official.id).values(active=False))
    assert (await http.get("/inbox", headers=as_official)).status_code == 401


async def chunked_upload(
    http: httpx.AsyncClient, url: str, files: dict[str, Any], headers: dict[str, str]
) -> httpx.Response:
    """The same multipart body without a Content-Length: the cap must hold while streaming."""
    encoded = http.build_request("POST", url, files=files, data=proof_form())
    body = encoded.read()

    async def chunks() -> AsyncIterator[bytes]:
        for start in range(0, len(body), 16_384):
            yield body[start : start + 16_384]

    content_type = encoded.headers["content-type"]
    return await http.post(url, content=chunks(), headers={**headers, "Content-Type": content_type})


async def test_the_household_or_its_ward_may_cancel(http: httpx.AsyncClient) -> None:
    courier = await make_staff(Role.COURIER, WARD)
    answer = (await http.post("/requests", json=registration())).json()
    code, as_citizen = answer["code"], bearer(answer["citizen_token"])
    as_courier = await sign_in(http, courier)
    assert (await http.post(f"/requests/{code}/cancellation", json={}, headers=as_courier)).status_code == 403
    cancelled = await http.post(f"/requests/{code}/cancellation", json={"reason": "đã đủ"}, headers=as_citizen)
    assert cancelled.status_code == 200 and cancelled.json()["stage"] == "cancelled", cancelled.text
    view = (await http.get(f"/requests/{code}", headers=as_citizen)).json()
    assert view["stage"] == "cancelled" and view["timeline"][-1]["label"] == "Đã hủy"
    twice = await http.post(f"/requests/{code}/cancellation", headers=as_citizen)
    assert twice.status_code == 409 and twice.json()["kind"] == "WrongStage"


async def test_a_retried_registration_with_its_key_is_the_same_request(http: httpx.AsyncClient) -> None:
    """A citizen's app retries after a lost answer: the same Idempotency-Key gives the first answer, whether
    the request is still open or was refused and closed, and registers nothing more."""
    key = {"Idempotency-Key": f"app-{uuid.uuid4()}"}
    first = await http.post("/requests", json=registration(), headers=key)
    again = await http.post("/requests", json=registration(), headers=key)
    assert first.status_code == again.status_code == 201, again.text
    assert again.json()["code"] == first.json()["code"] and again.json()["stage"] == "awaiting_verification"

    other_key = {"Idempotency-Key": f"app-{uuid.uuid4()}"}
    refused = await http.post("/requests", json=registration(), headers=other_key)  # the household is in progress
    assert refused.json()["stage"] == "refused" and refused.json()["refusal"] == "already_in_progress"
    refused_again = await http.post("/requests", json=registration(), headers=other_key)
    assert refused_again.json()["code"] == refused.json()["code"] and refused_again.json()["stage"] == "refused"
    async with transaction() as session:
        codes = (await session.scalars(select(ReliefRequest.code))).all()
    assert sorted(codes) == sorted([first.json()["code"], refused.json()["code"]])


async def test_bad_registrations_name_the_fields(http: httpx.AsyncClient) -> None:
    answer = await http.post("/requests", json=registration(national_id="12345678a", phone="+1 415 555 2671"))
    assert answer.status_code == 422 and error_locs(answer) == {"national_id", "phone"}
    answer = await http.post("/requests", json=registration(ward_code="99999"))
    assert answer.status_code == 422 and error_locs(answer) == {"ward_code"}
    answer = await http.post("/requests", json=registration(kind="emergency"))
    assert answer.status_code == 422 and error_codes(answer) == {"kind": "kind_emergency_elsewhere"}
    answer = await http.post("/requests", json=registration(stage="delivered"))
    assert answer.status_code == 422 and error_locs(answer) == {"stage"}
    assert (await http.get("/inbox?limit=500")).status_code == 401


def cash_registration(**overrides: Any) -> dict[str, Any]:
    need = {
        "amount_vnd": 800_000,
        "situation": "lost_income",
        "payout_method": "bank_account",
        "bank_bin": "970436",
        "account_number": "0071000123456",
        "holder_name": "TRAN VAN BINH",
        "consent_to_publish": True,
    }
    return registration(**{"kind": "cash_support", "national_id": "079203009876", **need, **overrides})


@pytest.mark.parametrize(
    ("field", "value", "named", "code"),
    [
        ("amount_vnd", 0, "amount_vnd", "amount_not_positive"),
        ("amount_vnd", -50_000, "amount_vnd", "amount_not_positive"),
        ("amount_vnd", 1_500_001, "amount_vnd", "above_cap"),
        ("amount_vnd", 150_000.5, "amount_vnd", None),  # the whole-đồng parser's own code (usecases/schemas/money.py)
        ("amount_vnd", "một trăm", "amount_vnd", None),
        ("bank_bin", "970999", "bank_bin", "bank_unknown"),
        ("bank_bin", "97A436", "bank_bin", "string_pattern_mismatch"),
        ("account_number", "12345", "account_number", "account_number_shape"),
        ("account_number", "0071-000-123", "account_number", "string_pattern_mismatch"),
        ("payout_method", "ewallet", "bank_bin", "bin_not_a_wallet"),
        ("holder_name", "", "holder_name", "too_short"),
        ("holder_name", None, "holder_name", "cash_field_required"),
        ("situation", "bored", "situation", "enum"),
        ("consent_to_publish", False, "consent_to_publish", "cash_consent_required"),
        ("consent_to_publish", None, "consent_to_publish", "cash_field_required"),
    ],
)
async def test_bad_cash_needs_name_the_field_and_write_nothing(
    http: httpx.AsyncClient, field: str, value: object, named: str, code: str | None
) -> None:
    bank = bank_by_bin("970436")
    assert bank is not None
    values = {"above_cap": {"cap": "1.500.000"}, "bank_unknown": {"bin": "970999"}}
    for lang in ("vi", "en"):
        answer = await http.post(
            "/requests", json=cash_registration(**{field: value}), headers={"Accept-Language": lang}
        )
        assert answer.status_code == 422, answer.text
        assert error_locs(answer) == {named}, answer.text
        problem = answer.json()["detail"][0]
        assert code is None or problem["type"] == code, problem
        if code is not None and f"err.{code}" in CATALOGUE:  # our own words, not pydantic's kinds
            expected = texts.text(lang, f"err.{code}", bank=bank.short_name, **values.get(code, {}))
            assert problem["msg"] == expected, problem
        assert "(" not in problem["msg"], problem  # one language, not "tiếng Việt (English)"
    async with transaction() as session:
        assert (await session.scalars(select(ReliefRequest.code))).all() == []


async def test_a_cash_need_is_registered_and_a_food_bag_takes_no_cash_fields(http: httpx.AsyncClient) -> None:
    answer = await http.post("/requests", json=cash_registration())
    assert answer.status_code == 201, answer.text
    assert answer.json()["stage"] == "awaiting_verification"
    bag = await http.post("/requests", json=registration(amount_vnd=100_000))
    assert bag.status_code == 422 and error_locs(bag) == {"amount_vnd"}


async def test_published_needs_show_nothing_that_identifies_the_household(
    http: httpx.AsyncClient, stack: Stack
) -> None:
    official = await make_staff(Role.WARD_OFFICIAL, WARD)
    as_official = await sign_in(http, official)
    codes = []
    people = [
        ("079203001111", "+84912000111", "Đỗ Văn Cường", "DO VAN CUONG", "17 Hàm Nghi, Phường Bến Nghé"),
        ("079203002222", "+84912000222", "Lý Thị Mai", "LY THI MAI", "230 Pasteur, Phường Bến Nghé"),
    ]
    for national_id, phone, name, holder, address in people:
        need = cash_registration(
            national_id=national_id, phone=phone, full_name=name, holder_name=holder, address=address
        )
        answer = await http.post("/requests", json=need)
        assert answer.status_code == 201, answer.text
        codes.append(answer.json()["code"])
        decided = await http.post(f"/requests/{codes[-1]}/verification", json={"approve": True}, headers=as_official)
        assert decided.status_code == 200 and decided.json()["stage"] == "awaiting_support", decided.text
    for _ in range(200):
        listed = (await http.get("/cash-needs", params={"district": DISTRICT, "order": "oldest"})).json()
        if len(listed["items"]) == 2:
            break
        await asyncio.sleep(0.05)
    first, second = listed["items"]
    assert first["amount_still_needed_vnd"] == 800_000 and first["household_size"] == 3
    assert first["situation"] == "lost_income" and first["days_waiting"] == 0
    assert first["pledge_url"] == f"/ho-tro-tien-mat/{first['public_ref']}/cam-ket"
    assert (await http.get("/cash-needs", params={"district": OTHER_DISTRICT})).json()["items"] == []
    paged = (await http.get("/cash-needs", params={"limit": 1, "offset": 1})).json()
    assert [n["public_ref"] for n in paged["items"]] == [second["public_ref"]] and not paged["has_more"]
    assert (await http.get(f"/cash-needs/{first['public_ref']}")).json() == first
    assert (await http.get("/cash-needs/NOSUCHREF")).status_code == 404

    async with httpx.AsyncClient(base_url=stack.base_url) as pages:
        page = await pages.get("/ho-tro-tien-mat", params={"quan": DISTRICT})
        detail = await pages.get(f"/ho-tro-tien-mat/{first['public_ref']}")
    assert page.status_code == 200 and "Mất việc, mất thu nhập" in page.text and "800.000 đ" in page.text
    assert f'href="/ho-tro-tien-mat/{first["public_ref"]}/cam-ket"' in detail.text and "Cam kết hỗ trợ" in detail.text
    said = listed["items"].__repr__() + page.text + detail.text
    for national_id, phone, name, holder, address in people:
        for secret in (national_id, phone.removeprefix("+84"), name, holder, address.split(",")[0], "0071000123456"):
            assert secret not in said, secret
    for code in codes:
        assert code not in said, code


async def test_the_ward_reads_the_need_with_the_account_masked_and_each_full_reading_is_audited(
    http: httpx.AsyncClient,
) -> None:
    official = await make_staff(Role.WARD_OFFICIAL, WARD)
    elsewhere = await make_staff(Role.WARD_OFFICIAL, OTHER_WARD_SAME_DISTRICT)
    as_official, as_elsewhere = await sign_in(http, official), await sign_in(http, elsewhere)
    # Three households name one account; the third's holder is not its applicant.
    answers = []
    for i, (name, holder) in enumerate(
        (("Đỗ Văn Cường", "DO VAN CUONG"), ("Lý Thị Mai", "LY THI MAI"), ("Hồ Văn Tâm", "NGUYEN VAN SON"))
    ):
        need = cash_registration(
            national_id=f"07920300{i}999", phone=f"+8491200{i}999", full_name=name, holder_name=holder,
            address=f"{10 + i} Hàm Nghi, Phường Bến Nghé",
        )  # fmt: skip
        answer = await http.post("/requests", json=need)
        assert answer.status_code == 201, answer.text
        answers.append(answer.json())
    first, third = answers[0], answers[2]

    view = (await http.get(f"/requests/{first['code']}/cash-need", headers=as_official)).json()
    assert view["account_masked"] == "•••• 3456" and "0071000123456" not in str(view)
    assert view["bank_name"] == "Vietcombank" and view["holder_matches_applicant"]
    assert view["amount_asked_vnd"] == 800_000 and view["amount_pledged_vnd"] == 0
    assert view["households_on_account"] == 3 and view["shared_account_flagged"]
    mismatch = (await http.get(f"/requests/{third['code']}/cash-need", headers=as_official)).json()
    assert mismatch["holder_matches_applicant"] is False and mismatch["holder_name"] == "NGUYEN VAN SON"

    # The household sees its amounts, not the flag; it cannot read the full number (only officials may).
    as_household = bearer(first["citizen_token"])
    own = (await http.get(f"/requests/{first['code']}/cash-need", headers=as_household)).json()
    assert own["amount_asked_vnd"] == 800_000 and own["households_on_account"] is None
    assert (
        await http.post(f"/requests/{first['code']}/cash-need/account-reading", headers=as_household)
    ).status_code == 403
    # An official of another ward is told nothing exists; the official of the ward reads it, and it is recorded.
    assert (
        await http.post(f"/requests/{first['code']}/cash-need/account-reading", headers=as_elsewhere)
    ).status_code == 404
    read = await http.post(f"/requests/{first['code']}/cash-need/account-reading", headers=as_official)
    assert read.status_code == 200 and read.json()["account_number"] == "0071000123456"
    async with transaction() as session:
        readings = (
            await session.execute(
                select(AuditEntry.actor_id, AuditEntry.at).where(
                    AuditEntry.request_code == first["code"], AuditEntry.action == "read_account_number"
                )
            )
        ).all()
    assert [actor for actor, _ in readings] == [official.id] and readings[0][1] is not None
    # A food bag has no need to read.
    bag = await http.post("/requests", json=registration(national_id="079203007777", phone="+84912007777"))
    assert (await http.get(f"/requests/{bag.json()['code']}/cash-need", headers=as_official)).json() is None


async def test_public_geography_and_paging_limits(http: httpx.AsyncClient) -> None:
    districts = (await http.get("/districts")).json()
    assert DISTRICT in {d["code"] for d in districts}
    wards = (await http.get(f"/districts/{DISTRICT}/wards")).json()
    assert WARD in {w["code"] for w in wards}
    assert (await http.get("/districts/nope/wards")).status_code == 404
    official = await make_staff(Role.WARD_OFFICIAL, WARD)
    headers = await sign_in(http, official)
    assert (await http.get("/inbox?limit=101", headers=headers)).status_code == 422
    assert (await http.get("/inbox?limit=100&offset=0", headers=headers)).json() == []
    wrong = await http.post("/auth/token", data={"username": official.username, "password": "wrong"})
    assert wrong.status_code == 401 and "mật khẩu" in wrong.json()["detail"]


async def _audit_of(code: str) -> list[tuple[str, str]]:
    async with transaction() as session:
        rows = await session.execute(
            select(AuditEntry.action, AuditEntry.actor_id)
            .where(AuditEntry.request_code == code)
            .order_by(AuditEntry.id)
        )
        return [(action, str(actor)) for action, actor in rows.all()]


async def test_two_officials_deciding_at_once_are_two_decisions_and_one_is_refused(http: httpx.AsyncClient) -> None:
    """Temporal answers a repeated update ID with the first update's result without running the validator: an ID
    that named only the request and step merged a second person's opposite decision into the first, 200 to both,
    and audited both as deciding. Each person's action is their own update: one decides, the other is refused."""
    first, second = await make_staff(Role.WARD_OFFICIAL, WARD), await make_staff(Role.WARD_OFFICIAL, WARD)
    as_first, as_second = await sign_in(http, first), await sign_in(http, second)
    for n in range(3):
        code = (await http.post("/requests", json=registration(national_id=f"07920300410{n}"))).json()["code"]
        approve, reject = await asyncio.gather(
            http.post(f"/requests/{code}/verification", json={"approve": True}, headers=as_first),
            http.post(
                f"/requests/{code}/verification", json={"approve": False, "reason": "không đủ"}, headers=as_second
            ),
        )
        answers = sorted([approve.status_code, reject.status_code])
        assert answers == [200, 409], (approve.text, reject.text)
        decided_by, refused = (first, second) if approve.status_code == 200 else (second, first)
        audit = await _audit_of(code)
        assert ("verification", str(decided_by.id)) in audit
        assert ("verification_refused", str(refused.id)) in audit
        assert ("verification", str(refused.id)) not in audit


async def test_another_person_s_idempotency_key_decides_nothing(http: httpx.AsyncClient) -> None:
    """A district official may not decide a request its ward still holds: alone, 403; sending the same key as the
    ward official's approval (or at the same moment) used to get that approval's 200 and an audit entry."""
    ward_official = await make_staff(Role.WARD_OFFICIAL, WARD)
    district_official = await make_staff(Role.DISTRICT_OFFICIAL, DISTRICT)
    as_ward, as_district = await sign_in(http, ward_official), await sign_in(http, district_official)
    code = (await http.post("/requests", json=registration(national_id="079203004200"))).json()["code"]
    key = {"Idempotency-Key": "decision-1"}
    alone = await http.post(f"/requests/{code}/verification", json={"approve": True}, headers=as_district)
    assert alone.status_code == 403 and alone.json()["kind"] == "OutOfScope", alone.text
    ward, district = await asyncio.gather(
        http.post(f"/requests/{code}/verification", json={"approve": True}, headers={**as_ward, **key}),
        http.post(f"/requests/{code}/verification", json={"approve": True}, headers={**as_district, **key}),
    )
    assert ward.status_code == 200, ward.text
    assert district.status_code in (403, 409), district.text
    again = await http.post(f"/requests/{code}/verification", json={"approve": True}, headers={**as_district, **key})
    assert again.status_code in (403, 409), again.text
    audit = await _audit_of(code)
    assert ("verification", str(district_official.id)) not in audit
    assert [a for a in audit if a == ("verification_refused", str(district_official.id))]


async def test_knowing_someone_s_id_number_opens_nothing(http: httpx.AsyncClient) -> None:
    """ID numbers are no secret. Registering with another person's CCCD used to answer with their open request's
    code and a token that read and could cancel it, and tied the caller's phone to their household."""
    victim = await http.post("/requests", json=registration(national_id="079203004300", phone="0912000300"))
    victim_code, as_victim = victim.json()["code"], bearer(victim.json()["citizen_token"])
    attempt = await http.post(
        "/requests",
        json=registration(
            national_id="079203004300", full_name="Người Lạ", phone="0987000301", address="9 Hai Bà Trưng, Bến Nghé"
        ),
    )
    assert attempt.status_code == 201, attempt.text
    answer = attempt.json()
    assert answer["stage"] == "refused" and answer["refusal"] == "already_in_progress"
    assert answer["citizen_token"] is None and "open_request_code" not in answer
    assert victim_code not in attempt.text
    # The caller's phone was not attached to the household: a one-time code to it opens nothing, sends nothing.
    assert (await http.post("/citizen/otp", json={"phone": "0987000301"})).status_code == 202
    assert await last_code_sent_to("+84987000301") is None
    # The household hears of the attempt on its own request, once however often it is tried.
    await http.post("/requests", json=registration(national_id="079203004300", phone="0987000302"))
    notes = (await http.get(f"/requests/{victim_code}/notifications", headers=as_victim)).json()
    alerts = [n for n in notes if n["event"] == "registration_attempt"]
    assert len(alerts) == 1 and "1900" in alerts[0]["message"]
    # A registration's token opens its own request only, not the household's next one.
    assert (await http.post(f"/requests/{victim_code}/cancellation", json={}, headers=as_victim)).status_code == 200
    second = (await http.post("/requests", json=registration(national_id="079203004300", phone="0912000300"))).json()
    assert second["stage"] == "awaiting_verification"
    assert (await http.get(f"/requests/{second['code']}", headers=as_victim)).status_code == 404
    assert (await http.get(f"/requests/{second['code']}", headers=bearer(second["citizen_token"]))).status_code == 200


@pytest.mark.parametrize(
    ("changes", "field", "code", "key", "values"),
    [
        ({"phone": "0912 345"}, "phone", "mobile_phone_invalid", "err.mobile_phone_invalid", {}),
        ({"ward_code": "79999"}, "ward_code", "unknown_ward", "err.unknown_ward", {"ward": "79999"}),
    ],
    ids=["bad phone", "unknown ward"],
)
async def test_a_bad_registration_is_answered_in_the_callers_language_with_one_code(
    http: httpx.AsyncClient, changes: dict[str, str], field: str, code: str, key: str, values: dict[str, str]
) -> None:
    """The same stable code in either language; the words in English when asked, in Vietnamese by default; one
    language per message, and nothing written."""
    form = registration(**changes)
    vi = await http.post("/requests", json=form)
    en = await http.post("/requests", json=form, headers={"Accept-Language": "en-GB,en;q=0.9"})
    for answer, lang in ((vi, "vi"), (en, "en")):
        assert answer.status_code == 422, answer.text
        assert answer.json()["code"] == "invalid_input" and answer.headers["content-language"] == lang
        assert error_codes(answer) == {field: code}, answer.text
        assert answer.json()["detail"][0]["msg"] == texts.text(lang, key, **values)  # type: ignore[arg-type]
    assert vi.json()["detail"][0]["msg"] != en.json()["detail"][0]["msg"]
    async with transaction() as session:
        assert (await session.scalars(select(ReliefRequest.code))).all() == []
        assert (await session.scalars(select(Household.id))).all() == []


async def test_an_oversized_field_is_named_not_echoed(http: httpx.AsyncClient) -> None:
    long_name = "Trần " * 20_000
    answer = await http.post("/requests", json=registration(full_name=long_name))
    assert answer.status_code == 422 and error_locs(answer) == {"full_name"}
    assert len(answer.content) < 2_000, len(answer.content)


async def test_a_registration_key_belongs_to_its_applicant(http: httpx.AsyncClient) -> None:
    """Two people sending the same Idempotency-Key used to get the same request code, and the second's token
    opened the first's request. The key is scoped to the applicant; reused with other content, it is refused."""
    key = {"Idempotency-Key": "shared-key-1"}
    first = await http.post("/requests", json=registration(national_id="079203004400"), headers=key)
    second = await http.post(
        "/requests",
        json=registration(national_id="079203004401", phone="0912000401", address="7 Pasteur, Bến Nghé"),
        headers=key,
    )
    assert first.status_code == second.status_code == 201, second.text
    assert first.json()["code"] != second.json()["code"]
    as_second = bearer(second.json()["citizen_token"])
    assert (await http.get(f"/requests/{first.json()['code']}", headers=as_second)).status_code == 404
    changed = await http.post("/requests", json=registration(national_id="079203004400", household_size=5), headers=key)
    assert changed.status_code == 422, changed.text
    assert changed.json()["detail"][0]["loc"] == ["header", "Idempotency-Key"]
    retried = await http.post("/requests", json=registration(national_id="079203004400"), headers=key)
    assert retried.status_code == 201 and retried.json()["code"] == first.json()["code"]
