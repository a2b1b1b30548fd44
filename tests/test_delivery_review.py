"""Proof of delivery that proves something, end to end (Temporal dev server, our worker, PostgreSQL, uvicorn, httpx):
a recipient who is not a member of the household is refused until the courier says who received the bag, the
delivery then waits for the ward's review (on the request's page and the dashboard's counts), and a household's
ID number used to receive another household's bag shows on both. And the courier reaches the recipient: the full
phone number only to the assigned courier, only while delivering, audited."""

import asyncio
import io
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any

import httpx
import pytest
from PIL import Image
from sqlalchemy import select
from temporalio.testing import WorkflowEnvironment

from common.settings import get_settings
from db.audit import AuditEntry
from db.base import get_sessionmaker, transaction
from db.deliveries import Delivery
from db.requests import ReliefRequest
from domain.messages import Actor, DeliveryProof
from domain.roles import Role
from services.photo_processing import PhotoProcessor
from tests.factories import DISTRICT, WARD, Staff, cccd, make_staff, stock_ward
from texts import text
from usecases.context import Context
from usecases.errors import NotFound
from usecases.principal import Principal, staff_principal
from usecases.relief import delivery_reads, supervision
from usecases.relief.registration_gate import RegistrationGate

pytestmark = pytest.mark.timeout(120)


@pytest.fixture
async def http(base_url: str, db: None) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=f"{base_url}/api/v1", timeout=30) as client:
        yield client


@asynccontextmanager
async def use_cases(env: WorkflowEnvironment) -> AsyncIterator[Context]:
    async with get_sessionmaker()() as session:
        yield Context(session, get_settings(), env.client, PhotoProcessor(), RegistrationGate(timedelta(0)), None)


def as_principal(staff: Staff) -> Principal:
    return staff_principal(staff.id, staff.role, staff.unit_code, DISTRICT if staff.unit_code == WARD else None)


async def sign_in(http: httpx.AsyncClient, who: Staff) -> dict[str, str]:
    answer = await http.post("/auth/token", data={"username": who.username, "password": "matkhau-123"})
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


def jpeg() -> dict[str, Any]:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 120, 40)).save(out, format="JPEG")
    return {"photo": ("door.jpg", out.getvalue(), "image/jpeg")}


async def register(http: httpx.AsyncClient, national_id: str, phone: str, address: str) -> str:
    body = {"kind": "food_bag", "full_name": "Trần Văn Bình", "national_id": national_id, "phone": phone,
            "address": address, "ward_code": WARD, "household_size": 3}  # fmt: skip
    answer = await http.post("/requests", json=body)
    assert answer.status_code == 201, answer.text
    return str(answer.json()["code"])


async def approved(http: httpx.AsyncClient, code: str, as_official: dict[str, str]) -> None:
    answer = await http.post(f"/requests/{code}/verification", json={"approve": True}, headers=as_official)
    assert answer.status_code == 200, answer.text
    for _ in range(200):  # the workflow commits the courier's assignment after the projection
        detail = (await http.get(f"/requests/{code}/workflow", headers=as_official)).json()
        if detail["state"]["stage"] == "out_for_delivery":
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"{code} never went out for delivery")


async def delivery(code: str) -> Delivery:
    async with transaction() as session:
        found = await session.scalar(
            select(Delivery)
            .join(ReliefRequest, ReliefRequest.id == Delivery.request_id)
            .where(ReliefRequest.code == code)
        )
        assert found is not None
        return found


async def phone_reads(code: str) -> int:
    async with transaction() as session:
        rows = await session.scalars(
            select(AuditEntry.id).where(AuditEntry.action == "read_recipient_phone", AuditEntry.request_code == code)
        )
        return len(list(rows))


async def test_a_recipient_outside_the_household_is_stated_reviewed_and_traced_to_their_own_household(
    http: httpx.AsyncClient, dev_server: WorkflowEnvironment
) -> None:
    official, courier = await make_staff(Role.WARD_OFFICIAL, WARD), await make_staff(Role.COURIER, WARD)
    city = await make_staff(Role.CITY_OFFICIAL, "79")
    await stock_ward(WARD, bags=2)
    as_official, as_courier = await sign_in(http, official), await sign_in(http, courier)
    id_a, id_b = cccd(), cccd()
    code_a = await register(http, id_a, "+84912345678", "45 Lê Lợi, Phường Bến Nghé")
    code_b = await register(http, id_b, "+84903111222", "12 Hai Bà Trưng, Phường Bến Nghé")
    await approved(http, code_a, as_official)
    await approved(http, code_b, as_official)

    # Household B's ID number and another phone, with nobody said: refused, naming the field, nothing kept.
    proof = {"recipient_national_id": id_b, "recipient_phone": "0987 654 321"}
    unsaid = await http.post(f"/requests/{code_a}/delivery", files=jpeg(), data=proof, headers=as_courier)
    assert unsaid.status_code == 422, unsaid.text
    [problem] = unsaid.json()["detail"]
    assert problem["loc"][-1] == "recipient_relationship" and problem["type"] == "recipient_not_member"
    assert problem["msg"] == text("vi", "err.recipient_not_member")
    blank = await http.post(
        f"/requests/{code_a}/delivery", files=jpeg(), data={**proof, "recipient_relationship": " "}, headers=as_courier
    )
    assert blank.status_code == 422 and blank.json()["detail"][0]["loc"][-1] == "recipient_relationship"
    view = (await http.get(f"/requests/{code_a}", headers=as_official)).json()
    assert view["stage"] == "out_for_delivery"

    # Said: recorded, marked for the ward's review, with what the courier said.
    said = await http.post(
        f"/requests/{code_a}/delivery",
        files=jpeg(),
        data={**proof, "recipient_relationship": "hàng xóm; nhận giúp vì chủ hộ đi làm"},
        headers=as_courier,
    )
    assert said.status_code == 200, said.text
    assert said.json()["stage"] == "delivered" and said.json()["recipient_matches_household"] is False
    recorded = await delivery(code_a)
    assert recorded.needs_review and recorded.recipient_relationship == "hàng xóm; nhận giúp vì chủ hộ đi làm"

    # A member of B receives B's own bag: nothing to say, nothing kept, not marked.
    own = await http.post(
        f"/requests/{code_b}/delivery",
        files=jpeg(),
        data={"recipient_national_id": id_b, "recipient_phone": "0903111222", "recipient_relationship": "con"},
        headers=as_courier,
    )
    assert own.status_code == 200, own.text
    recorded_b = await delivery(code_b)
    assert not recorded_b.needs_review and recorded_b.recipient_relationship is None

    async with use_cases(dev_server) as ctx:
        ward = as_principal(official)
        review_a = await delivery_reads.delivery_review(ctx, ward, code_a)
        review_b = await delivery_reads.delivery_review(ctx, ward, code_b)
        # The courier reads no review; the official reads both sides of the borrowed ID number.
        assert await delivery_reads.delivery_review(ctx, as_principal(courier), code_a) is None
        board = await supervision.city(ctx, as_principal(city))
        district = await supervision.district(ctx, as_principal(city), DISTRICT)
    assert review_a is not None and review_a.needs_review
    assert review_a.recipient_relationship == "hàng xóm; nhận giúp vì chủ hộ đi làm"
    assert review_a.recipient_belongs_to == [code_b] and review_a.received_for_others == []
    assert review_a.recipient_not_member and review_a.recipient_national_id_last4 == id_b[-4:]
    assert review_b is not None and review_b.needs_review and review_b.received_for_others == [code_a]
    assert review_b.recipient_belongs_to == [] and not review_b.recipient_not_member
    # The dashboard counts the one delivery waiting for review, in its district and then its ward.
    assert {a.code: a.review for a in board.areas if a.review} == {DISTRICT: 1}
    assert {a.code: a.review for a in district.areas if a.review} == {WARD: 1}


async def test_the_full_number_goes_only_to_the_assigned_courier_while_delivering(
    http: httpx.AsyncClient, dev_server: WorkflowEnvironment
) -> None:
    official, courier = await make_staff(Role.WARD_OFFICIAL, WARD), await make_staff(Role.COURIER, WARD)
    await stock_ward(WARD, bags=1)
    as_official, as_courier = await sign_in(http, official), await sign_in(http, courier)
    national_id = cccd()
    code = await register(http, national_id, "+84912345678", "45 Lê Lợi, Phường Bến Nghé")
    await approved(http, code, as_official)
    other_courier = await make_staff(Role.COURIER, WARD)  # after the dispatch, so never the one picked

    async with use_cases(dev_server) as ctx:
        mine = await delivery_reads.recipient_contact(ctx, as_principal(courier), code)
        officials = await delivery_reads.recipient_contact(ctx, as_principal(official), code)
        with pytest.raises(NotFound):
            await delivery_reads.recipient_contact(ctx, as_principal(other_courier), code)
        await ctx.session.commit()
    assert mine.phone == "+84912345678" and mine.phone_masked == "0912***678"
    assert mine.address == "45 Lê Lợi, Phường Bến Nghé"
    assert mine.map_url.startswith("https://www.openstreetmap.org/search?query=45+L%C3%AA+L%E1%BB%A3i")
    assert officials.phone is None and officials.phone_masked == "0912***678"
    assert await phone_reads(code) == 1  # the courier's reading, and no one else's

    proof = {"recipient_national_id": national_id, "recipient_phone": "0912345678"}
    assert (
        await http.post(f"/requests/{code}/delivery", files=jpeg(), data=proof, headers=as_courier)
    ).status_code == 200
    async with use_cases(dev_server) as ctx:
        after = await delivery_reads.recipient_contact(ctx, as_principal(courier), code)
        await ctx.session.commit()
    assert after.phone is None and after.phone_masked == "0912***678"
    assert await phone_reads(code) == 1


def test_a_proof_without_a_relationship_is_the_message_it_was() -> None:
    """Signed and stored exactly as before the field existed: old histories and signatures stay valid."""
    proof = DeliveryProof(
        actor=Actor(role=Role.COURIER), photo_path="p", photo_sha256="s", recipient_national_id="079203004005",
        recipient_phone="+84912345678",
    )  # fmt: skip
    assert "recipient_relationship" not in proof.model_dump(mode="json")
    said = proof.model_copy(update={"recipient_relationship": "con"})
    assert said.model_dump(mode="json")["recipient_relationship"] == "con"
    assert DeliveryProof.model_validate(proof.model_dump(mode="json")) == proof
