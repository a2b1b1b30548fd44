"""Probable duplicates go to the ward side by side; its answer merges the households or keeps them
apart for good: no duplication, no omission."""

import pytest
from sqlalchemy import func, select
from temporalio.client import Client

from db.base import transaction
from db.households import Household, HouseholdMember, HouseholdPairVerdict
from domain.messages import Applicant, Cancellation, VerificationDecision
from domain.roles import Role
from domain.stages import RefusalReason, Stage
from tests.factories import WARD, Staff, applicant, citizen, make_staff
from tests.relief_helpers import deliver, register
from usecases.relief import workflow_gateway as gateway
from workflows.relief_request import ReliefRequestWorkflow


def decide(official: Staff, approve: bool, same_household: bool | None = None) -> VerificationDecision:
    return VerificationDecision(actor=official.actor(), approve=approve, same_household=same_household)


async def test_same_household_under_another_id_is_merged_and_refused_within_the_window(
    client: Client, task_queue: str
) -> None:
    official = await make_staff(Role.WARD_OFFICIAL, WARD)
    courier = await make_staff(Role.COURIER, WARD)
    first = applicant(national_id="079185012345")
    first_inp, first_admission = await register(client, task_queue, first)
    await deliver(client, first_inp, official, courier, first.national_id)

    # The same woman with her old 9-digit CMND, her name typed without diacritics and in another order.
    again = Applicant(
        full_name="Lan Nguyen Thi",
        national_id="025123456",
        phone=first.phone.replace("+84", "0"),
        address=first.address,
        household_size=4,
    )
    inp, admission = await register(client, task_queue, again)
    assert admission.stage == Stage.AWAITING_VERIFICATION and admission.refusal is None
    assert admission.probable_duplicate_of == first_admission.household_id

    with pytest.raises(gateway.ActionRefused) as unanswered:
        await gateway.send(
            client, inp.code, ReliefRequestWorkflow.decide_verification, decide(official, approve=True), "v-0"
        )
    assert unanswered.value.kind == "InvalidDecision"
    result = await gateway.send(
        client,
        inp.code,
        ReliefRequestWorkflow.decide_verification,
        decide(official, approve=True, same_household=True),
        "v-1",
    )
    assert result.stage == Stage.REFUSED

    async with transaction() as session:
        households = {m.household_id for m in (await session.scalars(select(HouseholdMember))).all()}
        merged = await session.scalar(select(Household.merged_into).where(Household.id == admission.household_id))
    assert households == {first_admission.household_id} and merged == first_admission.household_id
    # From now on the old CMND is the same household exactly: refused at once, with the dates.
    _, later = await register(client, task_queue, again)
    assert later.refusal == RefusalReason.ALREADY_RECEIVED and later.household_id == first_admission.household_id


async def test_told_apart_households_are_not_asked_about_again(client: Client, task_queue: str) -> None:
    official = await make_staff(Role.WARD_OFFICIAL, WARD)
    mother = applicant(national_id="079160011111")
    _, mother_admission = await register(client, task_queue, mother)
    # Her namesake daughter-in-law rents a room at the same address and shares the phone.
    namesake = applicant(national_id="079190022222", phone=mother.phone, address=mother.address)
    inp, admission = await register(client, task_queue, namesake)
    assert admission.probable_duplicate_of == mother_admission.household_id

    result = await gateway.send(
        client,
        inp.code,
        ReliefRequestWorkflow.decide_verification,
        decide(official, approve=True, same_household=False),
        "v-1",
    )
    assert result.stage == Stage.AWAITING_DISPATCH
    async with transaction() as session:
        assert await session.scalar(select(func.count()).select_from(HouseholdPairVerdict)) == 1
    await gateway.send(
        client, inp.code, ReliefRequestWorkflow.cancel, Cancellation(actor=citizen(admission.household_id)), "c-1"
    )
    # Her next request is her household exactly, and the pair is not flagged again.
    _, next_admission = await register(client, task_queue, namesake)
    assert next_admission.household_id == admission.household_id
    assert next_admission.probable_duplicate_of is None


async def test_a_shared_phone_with_another_name_is_another_household(client: Client, task_queue: str) -> None:
    first = applicant()
    _, first_admission = await register(client, task_queue, first)
    neighbour = Applicant(
        full_name="Trần Văn Bình",
        national_id="079175033333",
        phone=first.phone,
        address="7 Lê Lợi, Bến Nghé",
        household_size=2,
    )
    _, admission = await register(client, task_queue, neighbour)
    assert admission.probable_duplicate_of is None
    assert admission.household_id != first_admission.household_id
    assert admission.stage == Stage.AWAITING_VERIFICATION
