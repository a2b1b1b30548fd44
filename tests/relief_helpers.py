"""Driving a relief request on the time-skipping server as its people would: register, approve, assign, deliver."""

import asyncio

from sqlalchemy import func, select
from temporalio.client import Client

from db.base import transaction
from db.households import HouseholdClaim
from db.requests import ReliefRequest, RequestEvent
from domain.messages import (
    Applicant,
    CourierAssignment,
    DeliveryProof,
    RequestInput,
    UpdateResult,
    VerificationDecision,
)
from domain.policy import Policy
from domain.stages import RequestKind, Stage
from tests.factories import DISTRICT, WARD, Staff, stock_ward
from usecases.relief import workflow_gateway as gateway
from workflows.relief_request import ReliefRequestWorkflow

POLICY = Policy(auto_assign_courier=False)


async def register(client: Client, queue: str, who: Applicant, policy: Policy = POLICY, bags: int = 1):
    """Registers a food-bag request in WARD, whose distribution point first gets `bags` bags made from goods
    received there (0: a ward point without stock), as the supply side stocks a ward."""
    if bags:
        await stock_ward(WARD, bags)
    return await gateway.register(
        client,
        task_queue=queue,
        kind=RequestKind.FOOD_BAG,
        ward_code=WARD,
        district_code=DISTRICT,
        applicant=who,
        policy=policy,
    )


async def stage_in_db(inp: RequestInput) -> str | None:
    async with transaction() as session:
        return await session.scalar(select(ReliefRequest.stage).where(ReliefRequest.id == inp.request_id))


async def wait_for_stage(inp: RequestInput, stage: Stage) -> None:
    """The projection reaches `stage` (bounded: two seconds)."""
    for _ in range(100):
        if await stage_in_db(inp) == stage:
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f"{inp.code} is {await stage_in_db(inp)}, expected {stage}")


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


async def approve(client: Client, code: str, official: Staff, update_id: str) -> UpdateResult:
    """The ward official approves the request's verification."""
    return await gateway.send(
        client,
        code,
        ReliefRequestWorkflow.decide_verification,
        VerificationDecision(actor=official.actor(), approve=True),
        update_id,
    )


async def assign(client: Client, code: str, official: Staff, courier: Staff, update_id: str) -> UpdateResult:
    assignment = CourierAssignment(actor=official.actor(), courier_id=courier.id, courier_ward_code=WARD)
    return await gateway.send(client, code, ReliefRequestWorkflow.assign_courier, assignment, update_id)


async def events_of(inp: RequestInput) -> list[str]:
    async with transaction() as session:
        query = select(RequestEvent.event).where(RequestEvent.request_id == inp.request_id).order_by(RequestEvent.seq)
        return list((await session.scalars(query)).all())


async def open_claims() -> int:
    async with transaction() as session:
        return await session.scalar(select(func.count()).select_from(HouseholdClaim)) or 0


async def deliver(client: Client, inp: RequestInput, official, courier, national_id: str) -> None:
    """Approve, assign and confirm: the request's whole human path."""
    await approve(client, inp.code, official, "verify-1")
    await gateway.send(
        client,
        inp.code,
        ReliefRequestWorkflow.assign_courier,
        CourierAssignment(actor=official.actor(), courier_id=courier.id, courier_ward_code=WARD),
        "assign-1",
    )
    result = await gateway.send(
        client, inp.code, ReliefRequestWorkflow.confirm_delivery, proof(courier, national_id), "confirm-1"
    )
    assert result.stage == Stage.DELIVERED
