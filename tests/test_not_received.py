"""A household may say "Tôi chưa nhận được túi" within the window after the proof; the delivery is then marked for
the ward's review, with the photo and the proof beside the household's word, and the ward's finding (who, when,
what) is recorded once and read by the household on its request."""

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import Range
from temporalio.client import Client

from common.settings import get_settings
from db.audit import AuditEntry
from db.base import transaction
from db.deliveries import Delivery
from db.requests import ReliefRequest
from domain.roles import Role
from server import create_app
from tests.factories import DISTRICT, OTHER_DISTRICT_WARD, WARD, make_staff
from tests.trust_fixtures import in_process, insert_request
from texts import text
from usecases.trust.tokens import SESSION_COOKIE, issue_citizen_token, issue_staff_token
from web.csrf import CSRF_COOKIE, form_token

V = "/api/v1"
NONCE = "not-received-nonce"


@pytest.fixture
async def http(db: None, client: Client) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(get_settings())
    app.state.temporal = client
    async for http_client in in_process(app):
        yield http_client


async def delivered(phone: str, ago: timedelta = timedelta(hours=2)) -> ReliefRequest:
    """A delivered bag `ago`, as the proof of delivery writes it."""
    request = await insert_request(WARD, DISTRICT, phone, stage="delivered")
    courier = await make_staff(Role.COURIER, WARD)
    at = datetime.now(UTC) - ago
    assert request.household_id is not None
    async with transaction() as session:
        session.add(
            Delivery(request_id=request.id, household_id=request.household_id, kind="food_bag", delivered_at=at,
                     entitled_period=Range(at, at + timedelta(days=14), bounds="[)"), courier_id=courier.id,
                     photo_path="ab/cd.jpg", photo_sha256="0" * 64, recipient_national_id_hash="r" * 64,
                     recipient_national_id_last4="1234", recipient_phone=phone, recipient_matches_household=True)
        )  # fmt: skip
    return request


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def page_session(token: str) -> dict[str, str]:
    return {"Cookie": f"{SESSION_COOKIE}={token}; {CSRF_COOKIE}={NONCE}"}


async def test_the_household_says_it_never_came_and_the_ward_records_what_it_found(http: httpx.AsyncClient) -> None:
    settings = get_settings()
    request = await delivered("+84903222111")
    assert request.household_id is not None
    household = issue_citizen_token(settings, [request.household_id])
    official = await make_staff(Role.WARD_OFFICIAL, WARD, full_name="Lê Thị Phường")
    elsewhere = await make_staff(Role.WARD_OFFICIAL, OTHER_DISTRICT_WARD)
    said = await http.post(f"{V}/requests/{request.code}/not-received", json={"note": "chưa thấy ai đến"},
                           headers=bearer(household))  # fmt: skip
    assert said.status_code == 200, said.text
    assert said.json()["not_received_at"] and not said.json()["may_say_not_received"]
    # Said once: a second time is refused and changes nothing; another household is told nothing.
    again = await http.post(f"{V}/requests/{request.code}/not-received", json={},
                            headers={**bearer(household), "Accept-Language": "en"})  # fmt: skip
    assert again.status_code == 409 and again.json()["code"] == "WrongStage"
    assert again.json()["detail"] == text("en", "err.not_received_already_said")  # why, not just "wrong stage"
    other = await insert_request(WARD, DISTRICT, "+84903222999", stage="delivered")
    assert other.household_id is not None
    stranger = bearer(issue_citizen_token(settings, [other.household_id]))
    assert (await http.post(f"{V}/requests/{request.code}/not-received", json={}, headers=stranger)).status_code == 404
    async with transaction() as session:
        marked = await session.scalar(select(Delivery).where(Delivery.request_id == request.id))
        audited = await session.scalar(select(AuditEntry.action).where(AuditEntry.action == "delivery_not_received"))
    assert marked is not None and marked.needs_review and marked.not_received_note == "chưa thấy ai đến"
    assert audited == "delivery_not_received"

    # The ward's officials are told, once, in their notifications.
    ward = issue_staff_token(settings, official.id, official.role)
    told = await http.get(f"{V}/notifications", headers=bearer(ward))
    assert told.status_code == 200, told.text
    words = [n for n in told.json() if n["event"] == "delivery_not_received"]
    assert [(n["request_code"], n["audience"]) for n in words] == [(request.code, "ward")]
    assert "báo chưa nhận được túi" in words[0]["message"]

    # The ward sees the household's word beside the photo, and decides.
    page = await http.get(f"/yeu-cau/{request.code}", headers=page_session(ward))
    assert 'data-testid="household-says"' in page.text and "chưa thấy ai đến" in page.text
    assert f'action="/yeu-cau/{request.code}/xem-lai"' in page.text and 'class="photo"' in page.text
    form = {"csrf_token": form_token(settings, NONCE)}
    missing = await http.post(f"/yeu-cau/{request.code}/xem-lai", data=form, headers=page_session(ward))
    assert missing.status_code == 422
    far = bearer(issue_staff_token(settings, elsewhere.id, elsewhere.role))
    body = {"received": False, "note": "người giao nhầm nhà"}
    assert (await http.post(f"{V}/requests/{request.code}/delivery-review", json=body, headers=far)).status_code == 404
    found = await http.post(f"{V}/requests/{request.code}/delivery-review", json=body, headers=bearer(ward))
    assert found.status_code == 200, found.text
    assert found.json()["review_finding"] == "not_received" and found.json()["reviewer_name"] == "Lê Thị Phường"
    assert not found.json()["needs_review"]
    twice = await http.post(f"{V}/requests/{request.code}/delivery-review", json=body, headers=bearer(ward))
    assert twice.status_code == 409

    # The household reads the answer on its request.
    mine = await http.get(f"/yeu-cau/{request.code}", headers=page_session(household))
    assert "hộ chưa nhận được túi; phường sẽ liên hệ" in mine.text and "/chua-nhan-tui" not in mine.text


async def test_the_window_closes_and_the_page_form_records_the_word(http: httpx.AsyncClient) -> None:
    settings = get_settings()
    late = await delivered("+84903222333", ago=timedelta(hours=settings.not_received_within_hours + 1))
    assert late.household_id is not None
    token = issue_citizen_token(settings, [late.household_id])
    refused = await http.post(f"{V}/requests/{late.code}/not-received", json={}, headers=bearer(token))
    assert refused.status_code == 409 and refused.json()["detail"] == text("vi", "err.not_received_too_late")
    assert settings.city_hotline in refused.json()["detail"]
    assert "/chua-nhan-tui" not in (await http.get(f"/yeu-cau/{late.code}", headers=page_session(token))).text

    recent = await delivered("+84903222444")
    assert recent.household_id is not None
    token = issue_citizen_token(settings, [recent.household_id])
    page = await http.get(f"/yeu-cau/{recent.code}", headers=page_session(token))
    assert f'action="/yeu-cau/{recent.code}/chua-nhan-tui"' in page.text
    form = {"csrf_token": form_token(settings, NONCE), "note": ""}
    said = await http.post(f"/yeu-cau/{recent.code}/chua-nhan-tui", data=form, headers=page_session(token))
    assert said.status_code == 303 and said.headers["location"].endswith("?ok=not_received")
    after = await http.get(said.headers["location"], headers=page_session(token))
    assert "phường đang xem xét" in after.text
    # A request that is not a delivered bag has nothing to say this about.
    waiting = await insert_request(WARD, DISTRICT, "+84903222555")
    assert waiting.household_id is not None
    open_token = bearer(issue_citizen_token(settings, [waiting.household_id]))
    assert (
        await http.post(f"{V}/requests/{waiting.code}/not-received", json={}, headers=open_token)
    ).status_code == 409
