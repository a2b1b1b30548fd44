"""The relief-request workflow on Temporal's time-skipping server against a real PostgreSQL."""

from sqlalchemy import func, select
from temporalio.client import Client

from api import workflow_gateway as gateway
from db.base import transaction
from db.deliveries import Delivery
from db.households import HouseholdClaim
from db.notifications import Notification
from db.requests import ReliefRequest, RequestEvent
from domain import names
from domain.messages import (
    Applicant,
    CourierAssignment,
    DeliveryProof,
    RequestInput,
    VerificationDecision,
)
from domain.policy import Policy
from domain.roles import Role
from domain.stages import RequestKind, Stage
from tests.factories import (
    DISTRICT,
    WARD,
    applicant,
    make_staff,
)
from workflows.relief_request import ReliefRequestWorkflow

POLICY = Policy(auto_assign_courier=False)


async def register(client: Client, queue: str, who: Applicant, policy: Policy = POLICY):
    return await gateway.register(
        client,
        task_queue=queue,
        kind=RequestKind.FOOD_BAG,
        ward_code=WARD,
        district_code=DISTRICT,
        applicant=who,
        policy=policy,
    )


async def stage_in_db(inp: RequestInput) -> str:
    async with transaction() as session:
        return await session.scalar(select(ReliefRequest.stage).where(ReliefRequest.id == inp.request_id))


def proof(courier, national_id: str, phone: str = "+84912345678") -> DeliveryProof:
    return DeliveryProof(
        actor=courier.actor(),
        photo_path="photos/ab/abc.jpg",
        photo_sha256="ab" * 32,
        recipient_national_id=national_id,
        recipient_phone=phone,
        latitude=10.78,
        longitude=106.70,
    )


async def deliver(client: Client, inp: RequestInput, official, courier, national_id: str) -> None:
    """Approve, assign and confirm: the request's whole human path."""
    await gateway.send(
        client, inp.code, "decide_verification", VerificationDecision(actor=official.actor(), approve=True), "verify-1"
    )
    await gateway.send(
        client,
        inp.code,
        "assign_courier",
        CourierAssignment(actor=official.actor(), courier_id=courier.id, courier_ward_code=WARD),
        "assign-1",
    )
    result = await gateway.send(client, inp.code, "confirm_delivery", proof(courier, national_id), "confirm-1")
    assert result.stage == Stage.DELIVERED


async def test_happy_path_projects_every_stage(client: Client, task_queue: str) -> None:
    official = await make_staff(Role.WARD_OFFICIAL, WARD)
    courier = await make_staff(Role.COURIER, WARD)
    who = applicant()
    inp, admission = await register(client, task_queue, who)
    assert admission.stage == Stage.AWAITING_VERIFICATION
    assert await stage_in_db(inp) == Stage.AWAITING_VERIFICATION

    decided = await gateway.send(
        client, inp.code, "decide_verification", VerificationDecision(actor=official.actor(), approve=True), "verify-1"
    )
    assert decided.stage == Stage.AWAITING_DISPATCH
    assigned = await gateway.send(
        client,
        inp.code,
        "assign_courier",
        CourierAssignment(actor=official.actor(), courier_id=courier.id, courier_ward_code=WARD),
        "assign-1",
    )
    assert assigned.stage == Stage.OUT_FOR_DELIVERY
    confirmed = await gateway.send(client, inp.code, "confirm_delivery", proof(courier, who.national_id), "c-1")
    assert confirmed.stage == Stage.DELIVERED
    assert confirmed.recipient_matches_household is True

    handle = client.get_workflow_handle_for(ReliefRequestWorkflow.run, names.workflow_id(inp.code))
    assert (await handle.result()).stage == Stage.DELIVERED
    async with transaction() as session:
        events = (
            await session.scalars(
                select(RequestEvent.event).where(RequestEvent.request_id == inp.request_id).order_by(RequestEvent.seq)
            )
        ).all()
        assert events == ["registered", "verification_requested", "approved", "courier_assigned", "delivered"]
        assert await session.scalar(select(func.count()).select_from(HouseholdClaim)) == 0
        delivery = (await session.scalars(select(Delivery))).one()
        assert delivery.recipient_matches_household and delivery.household_id == admission.household_id
        citizen_messages = (
            await session.scalars(
                select(Notification.event).where(Notification.audience == "citizen").order_by(Notification.seq)
            )
        ).all()
        assert citizen_messages == ["verification_requested", "approved", "courier_assigned", "delivered"]
