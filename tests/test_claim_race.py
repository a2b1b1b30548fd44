"""Fifty registrations of one household at once end with exactly one open claim."""

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from temporalio.client import Client

from db.base import get_sessionmaker, transaction
from db.households import Household, HouseholdClaim
from domain.messages import Admission, DeliveryProof, RequestInput
from domain.policy import Policy
from domain.roles import Role
from domain.stages import RefusalReason, RequestKind, Stage
from services.admission import admit, register_request
from services.claims import release_claim
from services.delivery import record_delivery
from tests.factories import DISTRICT, WARD, applicant, make_staff
from usecases.relief import workflow_gateway as gateway


async def test_fifty_concurrent_registrations_leave_one_claim(client: Client, task_queue: str) -> None:
    first = applicant()
    # The same household as the family types it: one ID, several phones and spellings of the address.
    variants = [
        applicant(national_id=first.national_id, phone=first.phone if i % 2 else None, address=first.address)
        for i in range(50)
    ]
    results = await asyncio.gather(
        *(
            gateway.register(
                client,
                task_queue=task_queue,
                kind=RequestKind.FOOD_BAG,
                ward_code=WARD,
                district_code=DISTRICT,
                applicant=who,
                policy=Policy(),
            )
            for who in variants
        )
    )
    admitted = [inp.code for inp, a in results if a.stage != Stage.REFUSED]
    refused = [a for _, a in results if a.stage == Stage.REFUSED]
    assert len(admitted) == 1
    assert len(refused) == 49
    assert all(a.refusal == RefusalReason.ALREADY_IN_PROGRESS and a.open_request_code == admitted[0] for a in refused)
    async with transaction() as session:
        assert await session.scalar(select(func.count()).select_from(HouseholdClaim)) == 1
        assert await session.scalar(select(func.count()).select_from(Household)) == 1


async def test_the_database_refuses_a_second_delivery_inside_the_window(client: Client, task_queue: str) -> None:
    """Whatever a process believes, the ledger's exclusion constraint keeps one bag per window."""
    courier = await make_staff(Role.COURIER, WARD)
    inputs = []
    for _ in range(2):
        inp, admission = await gateway.register(
            client,
            task_queue=task_queue,
            kind=RequestKind.FOOD_BAG,
            ward_code=WARD,
            district_code=DISTRICT,
            applicant=applicant(),
            policy=Policy(),
        )
        inputs.append((inp, admission))
    household_id = inputs[0][1].household_id
    assert household_id is not None
    proof = DeliveryProof(
        actor=courier.actor(),
        photo_path="p.jpg",
        photo_sha256="0" * 64,
        recipient_national_id="079123456789",
        recipient_phone="+84912345678",
    )
    now = datetime.now(UTC)
    async with transaction() as session:
        await record_delivery(
            session,
            request_id=inputs[0][0].request_id,
            household_id=household_id,
            kind=RequestKind.FOOD_BAG,
            proof=proof,
            window=timedelta(days=14),
            at=now,
        )
    with pytest.raises(IntegrityError, match="deliveries_one_per_window"):
        async with transaction() as session:
            await record_delivery(
                session,
                request_id=inputs[1][0].request_id,
                household_id=household_id,
                kind=RequestKind.FOOD_BAG,
                proof=proof,
                window=timedelta(days=14),
                at=now + timedelta(days=13),
            )


async def test_a_registration_racing_a_delivery_waits_for_it_and_is_refused(client: Client, task_queue: str) -> None:
    """A registration must never read the ledger before a delivery commits and the claim after it (it would be
    admitted inside the window): it waits for the household's lock, which the delivery holds."""
    courier = await make_staff(Role.COURIER, WARD)
    who = applicant()
    first, admission = await gateway.register(
        client, task_queue=task_queue, kind=RequestKind.FOOD_BAG, ward_code=WARD, district_code=DISTRICT,
        applicant=who, policy=Policy(),
    )  # fmt: skip
    assert admission.household_id is not None
    proof = DeliveryProof(
        actor=courier.actor(), photo_path="p.jpg", photo_sha256="0" * 64,
        recipient_national_id=who.national_id, recipient_phone=who.phone,
    )  # fmt: skip
    now = datetime.now(UTC)
    second = RequestInput(
        request_id=uuid.uuid4(), code="RACE0002", kind=RequestKind.FOOD_BAG, ward_code=WARD,
        district_code=DISTRICT, applicant=who, policy=Policy(),
    )  # fmt: skip
    async with get_sessionmaker()() as delivering, delivering.begin():
        await record_delivery(delivering, request_id=first.request_id, household_id=admission.household_id,
                              kind=RequestKind.FOOD_BAG, proof=proof, window=timedelta(days=14), at=now)  # fmt: skip
        await release_claim(delivering, first.request_id)

        async def admit_second() -> Admission:
            async with transaction() as session:
                await register_request(session, second, now)
                return await admit(session, second, now + timedelta(seconds=1))

        racing = asyncio.create_task(admit_second())
        await asyncio.sleep(0.5)
        assert not racing.done(), "admission did not wait for the delivery in progress"
    refused = await racing
    assert refused.refusal == RefusalReason.ALREADY_RECEIVED


async def test_a_delivery_stamped_just_after_the_registration_still_refuses_it(client: Client, task_queue: str) -> None:
    """Seen in the peak-day benchmark: a repeat registration whose workflow clock read a moment before the
    first request's delivery time, but whose check ran after that delivery committed, was admitted."""
    courier = await make_staff(Role.COURIER, WARD)
    who = applicant()
    first, admission = await gateway.register(
        client, task_queue=task_queue, kind=RequestKind.FOOD_BAG, ward_code=WARD, district_code=DISTRICT,
        applicant=who, policy=Policy(),
    )  # fmt: skip
    assert admission.household_id is not None
    delivered_at = datetime.now(UTC)
    proof = DeliveryProof(
        actor=courier.actor(), photo_path="p.jpg", photo_sha256="0" * 64,
        recipient_national_id=who.national_id, recipient_phone=who.phone,
    )  # fmt: skip
    async with transaction() as session:
        await record_delivery(session, request_id=first.request_id, household_id=admission.household_id,
                              kind=RequestKind.FOOD_BAG, proof=proof, window=timedelta(days=14),
                              at=delivered_at)  # fmt: skip
        await release_claim(session, first.request_id)
    repeat = RequestInput(
        request_id=uuid.uuid4(), code="CLOCK002", kind=RequestKind.FOOD_BAG, ward_code=WARD,
        district_code=DISTRICT, applicant=who, policy=Policy(),
    )  # fmt: skip
    earlier = delivered_at - timedelta(milliseconds=300)
    async with transaction() as session:
        await register_request(session, repeat, earlier)
        refused = await admit(session, repeat, earlier)
    assert refused.refusal == RefusalReason.ALREADY_RECEIVED
