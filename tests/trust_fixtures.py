"""Two real requests in two districts, the people around them and their tokens: what the authorisation
matrix and the audit tests walk over. The API runs in-process (httpx ASGI transport) on the session's
time-skipping Temporal with a worker, against the real database."""

import io
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from fastapi import FastAPI
from PIL import Image
from sqlalchemy import update
from sqlalchemy.dialects.postgresql import Range
from temporalio.client import Client

from common.settings import Settings, get_settings
from db.base import transaction
from db.deliveries import Delivery
from db.requests import ReliefRequest
from domain.cash import HelperKind
from domain.policy import Policy
from domain.roles import Role
from domain.stages import RequestKind
from server import create_app
from services import community_helpers
from services.photos import store_photo
from services.supply_seed import ward_point_code
from tests.factories import DISTRICT, OTHER_DISTRICT, OTHER_DISTRICT_WARD, WARD, Staff, applicant, make_staff
from usecases.relief import workflow_gateway as gateway
from usecases.trust.tokens import issue_citizen_token, issue_helper_token, issue_staff_token

ROLES = ("anonymous", *(r.value for r in Role))


@dataclass(frozen=True)
class Side:
    """One request with its household, ward courier and tokens of the people of its place."""

    code: str
    household_id: uuid.UUID
    courier: Staff
    ward_official: Staff
    district_official: Staff


@dataclass(frozen=True)
class World:
    app: FastAPI
    own: Side
    other: Side
    headers: dict[str, dict[str, str]]  # by role: the principal whose scope holds `own` and not `other`
    settings: Settings
    helper_id: uuid.UUID  # the community helper whose token `headers` holds


def jpeg_bytes(size: tuple[int, int] = (64, 48)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(out, format="JPEG")
    return out.getvalue()


async def _side(client: Client, queue: str, ward: str, district: str, photo_dir: Path) -> Side:
    inp, admission = await gateway.register(
        client,
        task_queue=queue,
        kind=RequestKind.FOOD_BAG,
        ward_code=ward,
        district_code=district,
        applicant=applicant(),
        policy=Policy(auto_assign_courier=False),
    )
    assert admission.household_id is not None
    courier = await make_staff(Role.COURIER, ward)
    ward_official = await make_staff(Role.WARD_OFFICIAL, ward)
    district_official = await make_staff(Role.DISTRICT_OFFICIAL, district)
    stored = store_photo(io.BytesIO(jpeg_bytes()), photo_dir)
    now = datetime.now(UTC)
    async with transaction() as session:
        # The courier's scope and a delivery ledger row with a photo, without walking the whole process.
        await session.execute(
            update(ReliefRequest).where(ReliefRequest.id == inp.request_id).values(courier_id=courier.id)
        )
        session.add(
            Delivery(
                request_id=inp.request_id,
                household_id=admission.household_id,
                kind="food_bag",
                delivered_at=now - timedelta(days=400),
                entitled_period=Range(now - timedelta(days=400), now - timedelta(days=386), bounds="[)"),
                courier_id=courier.id,
                photo_path=stored.relative_path,
                photo_sha256=stored.sha256,
                recipient_national_id_hash="x" * 64,
                recipient_national_id_last4="1234",
                recipient_phone="+84912000111",
                recipient_matches_household=True,
            )
        )
    return Side(inp.code, admission.household_id, courier, ward_official, district_official)


async def build_world(client: Client, queue: str, photo_dir: Path) -> World:
    settings = get_settings().model_copy(update={"task_queue": queue, "photo_dir": photo_dir})
    app = create_app(settings)
    app.state.temporal = client  # the lifespan would connect; in-process we hand it the test's client
    own = await _side(client, queue, WARD, DISTRICT, photo_dir)
    other = await _side(client, queue, OTHER_DISTRICT_WARD, OTHER_DISTRICT, photo_dir)
    city = await make_staff(Role.CITY_OFFICIAL, "79")
    supervisor = await make_staff(Role.SUPERVISOR, "79")
    storekeeper = await make_staff(Role.WAREHOUSE_STAFF, WARD, place_code=ward_point_code(WARD))

    async with transaction() as session:
        helper_id = await community_helpers.signed_in(session, "+84913000111", HelperKind.PERSON, "Nhóm Thiện Nguyện")

    def staff(who: Staff) -> dict[str, str]:
        return {"Authorization": f"Bearer {issue_staff_token(settings, who.id, who.role)}"}

    headers = {
        "anonymous": {},
        Role.CITIZEN.value: {"Authorization": f"Bearer {issue_citizen_token(settings, [own.household_id])}"},
        Role.WARD_OFFICIAL.value: staff(own.ward_official),
        Role.DISTRICT_OFFICIAL.value: staff(own.district_official),
        Role.CITY_OFFICIAL.value: staff(city),
        Role.SUPERVISOR.value: staff(supervisor),
        Role.COURIER.value: staff(own.courier),
        Role.WAREHOUSE_STAFF.value: staff(storekeeper),
        Role.COMMUNITY_HELPER.value: {"Authorization": f"Bearer {issue_helper_token(settings, helper_id)}"},
    }
    return World(app, own, other, headers, settings, helper_id)


async def in_process(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 40000))
    async with httpx.AsyncClient(transport=transport, base_url="http://ansinh.test", timeout=30) as http:
        yield http


async def insert_request(
    ward: str,
    district: str,
    phone: str,
    *,
    household_id: uuid.UUID | None = None,
    stage: str = "awaiting_verification",
    closed_at: datetime | None = None,
) -> ReliefRequest:
    """A projection row (and its household) written directly, for tests that need no workflow."""
    from common.keyed_hash import national_id_hash, phone_hash
    from db.households import Household, HouseholdMember

    now = datetime.now(UTC)
    household_id = household_id or uuid.uuid4()
    async with transaction() as session:
        if await session.get(Household, household_id) is None:
            # The phone the household registered with is on file, as services.household_matching records it.
            session.add(
                Household(
                    id=household_id,
                    ward_code=ward,
                    address="1 Lê Lợi",
                    address_key="1 le loi",
                    size=2,
                    phone_hash=phone_hash(phone),
                )
            )
            await session.flush()
            session.add(
                HouseholdMember(
                    household_id=household_id,
                    full_name="Lê Thị Hoa",
                    national_id_hash=national_id_hash(uuid.uuid4().hex[:12]),
                    national_id_last4="0000",
                )
            )
        row = ReliefRequest(
            id=uuid.uuid4(),
            code=gateway.new_request_code(),
            kind="food_bag",
            ward_code=ward,
            district_code=district,
            household_id=household_id,
            applicant_name="Lê Thị Hoa",
            applicant_national_id_hash="h" * 64,
            applicant_phone_hash=phone_hash(phone),
            applicant_phone=phone,
            address="1 Lê Lợi",
            household_size=2,
            stage=stage,
            registered_at=closed_at or now,
            updated_at=closed_at or now,
            closed_at=closed_at,
        )
        session.add(row)
    return row
