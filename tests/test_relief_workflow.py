"""The relief-request workflow on Temporal's time-skipping server against a real PostgreSQL."""

import uuid
from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from temporalio.api.enums.v1 import EventType
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from db.base import transaction
from db.deliveries import Delivery
from db.households import HouseholdClaim
from db.notifications import Notification
from db.requests import ReliefRequest, RequestEvent
from domain import names
from domain.messages import (
    Cancellation,
    CourierAssignment,
    FailedAttempt,
    RequestInput,
    RequestResult,
    VerificationDecision,
)
from domain.policy import Policy
from domain.refusals import RefusalKind
from domain.roles import Role
from domain.stages import EscalationLevel, RefusalReason, RequestKind, Stage
from tests.factories import (
    DISTRICT,
    OTHER_WARD_SAME_DISTRICT,
    WARD,
    applicant,
    citizen,
    make_staff,
)
from tests.relief_helpers import POLICY, approve, assign, deliver, proof, register, stage_in_db, wait_for_stage
from tests.temporal_helpers import finished, raw_search_attributes
from usecases.relief import workflow_gateway as gateway
from workflows.relief_request import ReliefRequestWorkflow


async def test_happy_path_projects_every_stage(client: Client, task_queue: str) -> None:
    official = await make_staff(Role.WARD_OFFICIAL, WARD)
    courier = await make_staff(Role.COURIER, WARD)
    who = applicant()
    inp, admission = await register(client, task_queue, who)
    assert admission.stage == Stage.AWAITING_VERIFICATION
    assert await stage_in_db(inp) == Stage.AWAITING_VERIFICATION

    decided = await approve(client, inp.code, official, "verify-1")
    assert decided.stage == Stage.AWAITING_DISPATCH
    assigned = await gateway.send(
        client,
        inp.code,
        ReliefRequestWorkflow.assign_courier,
        CourierAssignment(actor=official.actor(), courier_id=courier.id, courier_ward_code=WARD),
        "assign-1",
    )
    assert assigned.stage == Stage.OUT_FOR_DELIVERY
    confirmed = await gateway.send(
        client, inp.code, ReliefRequestWorkflow.confirm_delivery, proof(courier, who.national_id), "c-1"
    )
    assert confirmed.stage == Stage.DELIVERED
    assert confirmed.recipient_matches_household is True

    assert (await finished(client, inp.code)).stage == Stage.DELIVERED
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


async def test_refused_as_already_received_on_day_13_and_accepted_on_day_15(
    client: Client, task_queue: str, temporal_env: WorkflowEnvironment
) -> None:
    official = await make_staff(Role.WARD_OFFICIAL, WARD)
    courier = await make_staff(Role.COURIER, WARD)
    who = applicant()
    first, _ = await register(client, task_queue, who)
    await deliver(client, first, official, courier, who.national_id)

    await temporal_env.sleep(timedelta(days=13))
    # The same person from another phone, with the address typed differently: the ID decides.
    again = applicant(national_id=who.national_id, address=who.address.upper())
    refused_inp, refused = await register(client, task_queue, again)
    assert refused.stage == Stage.REFUSED
    assert refused.refusal == RefusalReason.ALREADY_RECEIVED
    assert refused.last_delivered_on is not None and refused.eligible_again_on is not None
    assert (refused.eligible_again_on - refused.last_delivered_on).days in (14, 15)
    assert await stage_in_db(refused_inp) == Stage.REFUSED

    await temporal_env.sleep(timedelta(days=2))
    _, accepted = await register(client, task_queue, who)
    # The household was verified by the ward on its first request, so it goes straight to dispatch.
    assert accepted.stage == Stage.AWAITING_DISPATCH
    assert accepted.household_verified
    async with transaction() as session:
        message = await session.scalar(
            select(Notification.message).where(Notification.request_id == refused_inp.request_id)
        )
    assert message and refused.eligible_again_on.strftime("%d/%m/%Y") in message


async def test_refused_as_already_in_progress_with_the_open_code(client: Client, task_queue: str) -> None:
    who = applicant()
    first, _ = await register(client, task_queue, who)
    _, again = await register(client, task_queue, applicant(national_id=who.national_id))
    assert again.stage == Stage.REFUSED
    assert again.refusal == RefusalReason.ALREADY_IN_PROGRESS
    assert again.open_request_code == first.code


async def test_reminder_escalation_and_expiry_release_the_claim(
    client: Client, task_queue: str, temporal_env: WorkflowEnvironment
) -> None:
    district_official = await make_staff(Role.DISTRICT_OFFICIAL, DISTRICT)
    inp, _ = await register(client, task_queue, applicant())
    handle = client.get_workflow_handle(names.workflow_id(inp.code), result_type=RequestResult)

    # Before escalation, the district may not decide.
    with pytest.raises(gateway.ActionRefused) as refused:
        await gateway.send(
            client,
            inp.code,
            ReliefRequestWorkflow.decide_verification,
            VerificationDecision(actor=district_official.actor(), approve=True),
            "d-early",
        )
    assert refused.value.kind == RefusalKind.OUT_OF_SCOPE

    await temporal_env.sleep(POLICY.verification_escalation_after + timedelta(minutes=1))
    state = await handle.query(ReliefRequestWorkflow.state)
    assert state.escalation == EscalationLevel.DISTRICT and state.overdue
    async with transaction() as session:
        events = (
            await session.scalars(
                select(RequestEvent.event).where(RequestEvent.request_id == inp.request_id).order_by(RequestEvent.seq)
            )
        ).all()
        row = await session.get(ReliefRequest, inp.request_id)
        assert row is not None and row.escalation == "district"
    assert events[-2:] == ["verification_reminder", "escalated"]
    attributes = await raw_search_attributes(client, inp.code)
    assert attributes[names.SA_OVERDUE.name] == b"true"
    assert attributes[names.SA_ESCALATION.name] == b'"district"'

    await temporal_env.sleep(POLICY.verification_expiry_after)
    assert (await finished(client, inp.code)).stage == Stage.EXPIRED
    async with transaction() as session:
        assert await session.scalar(select(func.count()).select_from(HouseholdClaim)) == 0
        expired_message = await session.scalar(
            select(Notification.message).where(
                Notification.request_id == inp.request_id, Notification.event == "expired"
            )
        )
    assert expired_message and "hết hạn" in expired_message


async def test_escalated_task_can_be_decided_by_the_district(
    client: Client, task_queue: str, temporal_env: WorkflowEnvironment
) -> None:
    district_official = await make_staff(Role.DISTRICT_OFFICIAL, DISTRICT)
    inp, _ = await register(client, task_queue, applicant())
    await temporal_env.sleep(POLICY.verification_escalation_after + timedelta(minutes=1))
    decided = await gateway.send(
        client,
        inp.code,
        ReliefRequestWorkflow.decide_verification,
        VerificationDecision(actor=district_official.actor(), approve=True),
        "d-1",
    )
    assert decided.stage == Stage.AWAITING_DISPATCH
    assert decided.escalation == EscalationLevel.WARD


async def test_wrong_ward_wrong_stage_and_repeated_decisions_are_refused(client: Client, task_queue: str) -> None:
    official = await make_staff(Role.WARD_OFFICIAL, WARD)
    other_ward_official = await make_staff(Role.WARD_OFFICIAL, OTHER_WARD_SAME_DISTRICT)
    courier = await make_staff(Role.COURIER, WARD)
    inp, _ = await register(client, task_queue, applicant())

    with pytest.raises(gateway.ActionRefused) as wrong_ward:
        await gateway.send(
            client,
            inp.code,
            ReliefRequestWorkflow.decide_verification,
            VerificationDecision(actor=other_ward_official.actor(), approve=True),
            "x-1",
        )
    assert wrong_ward.value.kind == RefusalKind.OUT_OF_SCOPE
    with pytest.raises(gateway.ActionRefused) as wrong_stage:
        await gateway.send(
            client, inp.code, ReliefRequestWorkflow.confirm_delivery, proof(courier, "079123456789"), "x-2"
        )
    assert wrong_stage.value.kind == RefusalKind.WRONG_STAGE
    with pytest.raises(gateway.ActionRefused) as no_reason:
        await gateway.send(
            client,
            inp.code,
            ReliefRequestWorkflow.decide_verification,
            VerificationDecision(actor=official.actor(), approve=False, reason=" "),
            "x-3",
        )
    assert no_reason.value.kind == RefusalKind.INVALID_DECISION

    first = await approve(client, inp.code, official, "verify-2")
    # The same decision sent again with its id (a double tap) is the same decision, answered the same.
    again = await approve(client, inp.code, official, "verify-2")
    assert again == first
    with pytest.raises(gateway.ActionRefused) as second:
        await gateway.send(
            client,
            inp.code,
            ReliefRequestWorkflow.decide_verification,
            VerificationDecision(actor=official.actor(), approve=False, reason="trùng"),
            "verify-3",
        )
    assert second.value.kind == RefusalKind.WRONG_STAGE
    async with transaction() as session:
        approvals = await session.scalar(
            select(func.count())
            .select_from(RequestEvent)
            .where(RequestEvent.request_id == inp.request_id, RequestEvent.event == "approved")
        )
    assert approvals == 1


async def test_rejection_closes_the_request_with_its_reason(client: Client, task_queue: str) -> None:
    official = await make_staff(Role.WARD_OFFICIAL, WARD)
    inp, _ = await register(client, task_queue, applicant())
    result = await gateway.send(
        client,
        inp.code,
        ReliefRequestWorkflow.decide_verification,
        VerificationDecision(actor=official.actor(), approve=False, reason="không thuộc diện hỗ trợ"),
        "verify-1",
    )
    assert result.stage == Stage.REJECTED
    async with transaction() as session:
        message = await session.scalar(
            select(Notification.message).where(
                Notification.request_id == inp.request_id, Notification.event == "rejected"
            )
        )
        assert await session.scalar(select(func.count()).select_from(HouseholdClaim)) == 0
    assert message and "không thuộc diện hỗ trợ" in message


async def test_failed_attempts_send_the_request_back_to_the_ward(client: Client, task_queue: str) -> None:
    official = await make_staff(Role.WARD_OFFICIAL, WARD)
    courier = await make_staff(Role.COURIER, WARD)
    other_courier = await make_staff(Role.COURIER, WARD)
    who = applicant()
    inp, _ = await register(client, task_queue, who, Policy(auto_assign_courier=False, max_delivery_attempts=2))
    await approve(client, inp.code, official, "verify-1")
    await gateway.send(
        client,
        inp.code,
        ReliefRequestWorkflow.assign_courier,
        CourierAssignment(actor=official.actor(), courier_id=courier.id, courier_ward_code=WARD),
        "assign-1",
    )

    with pytest.raises(gateway.ActionRefused) as not_theirs:
        await gateway.send(
            client,
            inp.code,
            ReliefRequestWorkflow.report_failed_attempt,
            FailedAttempt(actor=other_courier.actor(), reason="không có ai ở nhà"),
            "f-x",
        )
    assert not_theirs.value.kind == RefusalKind.OUT_OF_SCOPE
    first = await gateway.send(
        client,
        inp.code,
        ReliefRequestWorkflow.report_failed_attempt,
        FailedAttempt(actor=courier.actor(), reason="không có ai ở nhà"),
        "f-1",
    )
    assert (first.stage, first.attempts) == (Stage.OUT_FOR_DELIVERY, 1)
    second = await gateway.send(
        client,
        inp.code,
        ReliefRequestWorkflow.report_failed_attempt,
        FailedAttempt(actor=courier.actor(), reason="sai địa chỉ"),
        "f-2",
    )
    assert (second.stage, second.attempts) == (Stage.AWAITING_VERIFICATION, 2)

    # The ward decides again; the request goes out once more and is delivered.
    again = await approve(client, inp.code, official, "verify-2")
    assert again.stage == Stage.AWAITING_DISPATCH and again.attempts == 0
    await gateway.send(
        client,
        inp.code,
        ReliefRequestWorkflow.assign_courier,
        CourierAssignment(actor=official.actor(), courier_id=other_courier.id, courier_ward_code=WARD),
        "assign-2",
    )
    done = await gateway.send(
        client, inp.code, ReliefRequestWorkflow.confirm_delivery, proof(other_courier, who.national_id), "c-1"
    )
    assert done.stage == Stage.DELIVERED
    async with transaction() as session:
        events = (
            await session.scalars(
                select(RequestEvent.event).where(RequestEvent.request_id == inp.request_id).order_by(RequestEvent.seq)
            )
        ).all()
    assert events.count("delivery_failed") == 1 and events.count("returned_to_ward") == 1


async def test_recipient_not_in_household_is_recorded_and_flagged(client: Client, task_queue: str) -> None:
    official = await make_staff(Role.WARD_OFFICIAL, WARD)
    courier = await make_staff(Role.COURIER, WARD)
    inp, _ = await register(client, task_queue, applicant())
    await approve(client, inp.code, official, "verify-1")
    await assign(client, inp.code, official, courier, "assign-1")
    result = await gateway.send(
        client, inp.code, ReliefRequestWorkflow.confirm_delivery, proof(courier, "001099012345"), "c-1"
    )
    assert result.stage == Stage.DELIVERED and result.recipient_matches_household is False
    async with transaction() as session:
        delivery = (await session.scalars(select(Delivery))).one()
        event = (await session.scalars(select(RequestEvent).where(RequestEvent.event == "delivered"))).one()
    assert delivery.recipient_matches_household is False and delivery.recipient_national_id_last4 == "2345"
    assert event.detail["recipient_matches_household"] is False


async def test_automatic_assignment_picks_the_least_loaded_courier(client: Client, task_queue: str) -> None:
    official = await make_staff(Role.WARD_OFFICIAL, WARD)
    busy = await make_staff(Role.COURIER, WARD)
    idle = await make_staff(Role.COURIER, WARD)
    auto = Policy(auto_assign_courier=True)
    first, _ = await register(client, task_queue, applicant(), auto)
    await approve(client, first.code, official, "verify-1")
    await wait_for_stage(first, Stage.OUT_FOR_DELIVERY)
    second, _ = await register(client, task_queue, applicant(), auto)
    await approve(client, second.code, official, "verify-1")
    await wait_for_stage(second, Stage.OUT_FOR_DELIVERY)
    async with transaction() as session:
        couriers = {
            r.code: r.courier_id
            for r in (await session.execute(select(ReliefRequest.code, ReliefRequest.courier_id))).all()
        }
    assert {couriers[first.code], couriers[second.code]} == {busy.id, idle.id}


async def test_approval_with_automatic_dispatch_is_one_step(client: Client, task_queue: str) -> None:
    """With a free courier, the approval goes out for delivery in the same database step: the official's answer
    is the courier's stage, and the history holds one step per human action and no search-attribute upsert
    before admission (the attributes come with the start)."""
    official = await make_staff(Role.WARD_OFFICIAL, WARD)
    courier = await make_staff(Role.COURIER, WARD)
    who = applicant()
    inp, _ = await register(client, task_queue, who, Policy(auto_assign_courier=True))
    handle = client.get_workflow_handle(names.workflow_id(inp.code))
    started = (await handle.fetch_history()).events[0].workflow_execution_started_event_attributes
    assert set(started.search_attributes.indexed_fields) >= {"AnSinhStage", "AnSinhKind", "AnSinhWard"}

    decided = await approve(client, inp.code, official, "verify-1")
    assert decided.stage == Stage.OUT_FOR_DELIVERY
    confirmed = await gateway.send(
        client, inp.code, ReliefRequestWorkflow.confirm_delivery, proof(courier, who.national_id), "c-1"
    )
    assert confirmed.stage == Stage.DELIVERED
    await finished(client, inp.code)

    kinds = Counter(event.event_type for event in (await handle.fetch_history()).events)
    assert kinds[EventType.EVENT_TYPE_MARKER_RECORDED] == 4  # the patch, admission, approval + dispatch, delivery
    # the patch's change version, then admitted, out for delivery, delivered
    assert kinds[EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES] == 4
    async with transaction() as session:
        events = (
            await session.execute(
                select(RequestEvent.seq, RequestEvent.event, RequestEvent.detail)
                .where(RequestEvent.request_id == inp.request_id)
                .order_by(RequestEvent.seq)
            )
        ).all()
    assert [(seq, event) for seq, event, _ in events] == [
        (1, "registered"),
        (2, "verification_requested"),
        (3, "approved"),
        (4, "courier_assigned"),
        (5, "delivered"),
    ]
    assert events[3].detail == {"courier_id": str(courier.id)}


async def test_late_assignment_escalates_to_the_district(
    client: Client, task_queue: str, temporal_env: WorkflowEnvironment
) -> None:
    official = await make_staff(Role.WARD_OFFICIAL, WARD)
    inp, _ = await register(client, task_queue, applicant())
    await approve(client, inp.code, official, "verify-1")
    await temporal_env.sleep(POLICY.dispatch_escalation_after + timedelta(minutes=1))
    handle = client.get_workflow_handle(names.workflow_id(inp.code), result_type=RequestResult)
    state = await handle.query(ReliefRequestWorkflow.state)
    assert state.stage == Stage.AWAITING_DISPATCH and state.escalation == EscalationLevel.DISTRICT


@pytest.mark.parametrize("stage", [Stage.AWAITING_VERIFICATION, Stage.AWAITING_DISPATCH, Stage.OUT_FOR_DELIVERY])
async def test_cancellation_at_each_open_stage_releases_the_claim(
    client: Client, task_queue: str, stage: Stage
) -> None:
    official = await make_staff(Role.WARD_OFFICIAL, WARD)
    courier = await make_staff(Role.COURIER, WARD)
    other_ward_official = await make_staff(Role.WARD_OFFICIAL, OTHER_WARD_SAME_DISTRICT)
    who = applicant()
    inp, admission = await register(client, task_queue, who)
    if stage != Stage.AWAITING_VERIFICATION:
        await approve(client, inp.code, official, "verify-1")
    if stage == Stage.OUT_FOR_DELIVERY:
        await gateway.send(
            client,
            inp.code,
            ReliefRequestWorkflow.assign_courier,
            CourierAssignment(actor=official.actor(), courier_id=courier.id, courier_ward_code=WARD),
            "assign-1",
        )
    assert await stage_in_db(inp) == stage

    with pytest.raises(gateway.ActionRefused):
        await gateway.send(
            client, inp.code, ReliefRequestWorkflow.cancel, Cancellation(actor=other_ward_official.actor()), "cx-0"
        )
    with pytest.raises(gateway.ActionRefused):
        await gateway.send(client, inp.code, ReliefRequestWorkflow.cancel, Cancellation(actor=citizen(None)), "cx-1")
    result = await gateway.send(
        client,
        inp.code,
        ReliefRequestWorkflow.cancel,
        Cancellation(actor=citizen(admission.household_id), reason="đã có người giúp"),
        "cx-2",
    )
    assert result.stage == Stage.CANCELLED
    async with transaction() as session:
        assert await session.scalar(select(func.count()).select_from(HouseholdClaim)) == 0
    # The claim is free: the household may ask again at once.
    _, again = await register(client, task_queue, who)
    assert again.stage != Stage.REFUSED


async def test_a_request_refused_before_the_update_arrives_still_answers(client: Client, task_queue: str) -> None:
    """A refused workflow can close before the registration's admission update reaches it (with local
    activities it closes in its first task): the answer is then read from the closed workflow's state."""
    who = applicant()
    first, _ = await register(client, task_queue, who)
    late = RequestInput(
        request_id=uuid.uuid4(), code="LATE0001", kind=RequestKind.FOOD_BAG, ward_code=WARD, district_code=DISTRICT,
        applicant=applicant(national_id=who.national_id), policy=POLICY,
    )  # fmt: skip
    handle = await client.start_workflow(
        ReliefRequestWorkflow.run, late, id=names.workflow_id(late.code), task_queue=task_queue
    )
    assert (await finished(client, late.code)).stage == Stage.REFUSED
    admission = await gateway._admission(handle)
    assert admission.refusal == RefusalReason.ALREADY_IN_PROGRESS and admission.open_request_code == first.code
