"""A database step that fails is bounded and answered: a failure no retry can mend is not retried, a passing one is
retried within the policy's bound, and then the request waits for a supervisor (AnSinhNeedsAttention) or for its
stage's last deadline. The person whose action waited on the step is answered StepFailed, never left hanging."""

import asyncio
import uuid
from collections.abc import Awaitable
from datetime import timedelta
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError, OperationalError
from temporalio import activity
from temporalio.client import Client, WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError
from temporalio.testing import WorkflowEnvironment

from activities import relief_request as acts
from activities.step_failures import classify_failures, permanent_failure
from common.settings import get_settings
from db.base import get_sessionmaker, transaction
from domain import names
from domain.activity_io import AdmitInput, ConfirmDeliveryInput, DecisionInput, VerificationOutcome
from domain.messages import Admission, RequestResult, StepRetry, UpdateResult
from domain.policy import Policy
from domain.refusals import RefusalKind, RuleViolation
from domain.roles import Role
from domain.stages import RequestKind, Stage
from services.photo_processing import PhotoProcessor
from tests.factories import DISTRICT, WARD, applicant, make_staff
from tests.relief_helpers import POLICY, approve, assign, deliver, events_of, open_claims, proof, register
from tests.replay import replay_and_record
from tests.temporal_helpers import finished, raw_search_attributes, worker_replacing
from tests.trust_fixtures import jpeg_bytes
from usecases.context import Context
from usecases.principal import staff_principal
from usecases.relief import actions
from usecases.relief import workflow_gateway as gateway
from usecases.relief.registration_gate import RegistrationGate
from workflows.relief_request import ReliefRequestWorkflow

# Far more than a failed step's history needs (a start, a few workflow tasks, markers and upserts); a step
# retried without a bound keeps its workflow task alive and adds three events every few seconds.
HISTORY_BOUND = 60
# Without a bound, the update waiting on a failing step never returns: fail the test instead of hanging.
ANSWER_WITHIN = 30


class Calls:
    """How often a replaced step ran, and whether it fails now."""

    def __init__(self) -> None:
        self.count = 0
        self.failing = True


async def _answer(call: Awaitable[UpdateResult]) -> UpdateResult:
    return await asyncio.wait_for(call, ANSWER_WITHIN)


async def _history_length(client: Client, code: str) -> int:
    return len((await client.get_workflow_handle(names.workflow_id(code)).fetch_history()).events)


async def _needs_attention(client: Client, code: str) -> bytes | None:
    return (await raw_search_attributes(client, code)).get(names.SA_NEEDS_ATTENTION.name)


async def test_a_step_refused_by_the_ledger_is_not_retried_and_a_supervisor_retries_it(
    client: Client, db: None, temporal_env: WorkflowEnvironment
) -> None:
    """A real exclusion violation of the delivery ledger: the courier is answered at once, the request waits for a
    supervisor, and the supervisor's retry delivers it once the ledger is mended."""
    calls = Calls()

    @activity.defn(name="confirm_delivery")
    async def counted_confirm_delivery(inp: ConfirmDeliveryInput) -> bool:
        calls.count += 1
        return await acts.confirm_delivery(inp)

    official = await make_staff(Role.WARD_OFFICIAL, WARD)
    courier = await make_staff(Role.COURIER, WARD)
    supervisor = await make_staff(Role.SUPERVISOR, "79")
    who = applicant()
    async with worker_replacing(client, {"confirm_delivery": counted_confirm_delivery}) as queue:
        first, _ = await register(client, queue, who)
        await deliver(client, first, official, courier, who.national_id)
        await temporal_env.sleep(POLICY.entitlement_window + timedelta(days=1))
        second, admission = await register(client, queue, who)
        assert admission.stage == Stage.AWAITING_DISPATCH
        await assign(client, second.code, official, courier, "assign-2")
        # A ledger row stretched by hand (a bad import, say): the second bag now overlaps the first one's window.
        await _stretch_window(first.request_id, timedelta(days=365))
        calls.count = 0

        with pytest.raises(gateway.ActionRefused) as refused:
            await _answer(
                gateway.send(
                    client, second.code, ReliefRequestWorkflow.confirm_delivery, proof(courier, who.national_id), "c-2"
                )
            )
        assert refused.value.kind == RefusalKind.STEP_FAILED
        assert calls.count == 1  # never retried
        assert await _needs_attention(client, second.code) == b"true"
        handle = client.get_workflow_handle(names.workflow_id(second.code), result_type=RequestResult)
        state = await handle.query(ReliefRequestWorkflow.state)
        assert state.needs_attention and state.failed_step == "confirm_delivery: IntegrityViolation"
        assert await _history_length(client, second.code) < HISTORY_BOUND
        with pytest.raises(gateway.ActionRefused) as again:
            await gateway.send(
                client, second.code, ReliefRequestWorkflow.confirm_delivery, proof(courier, who.national_id), "c-3"
            )
        assert again.value.kind == RefusalKind.STEP_FAILED
        with pytest.raises(gateway.ActionRefused) as not_theirs:
            await gateway.send(
                client, second.code, ReliefRequestWorkflow.retry_step, StepRetry(actor=official.actor()), "r-0"
            )
        assert not_theirs.value.kind == RefusalKind.OUT_OF_SCOPE

        await _stretch_window(first.request_id, POLICY.entitlement_window)
        retried = await _answer(
            gateway.send(
                client, second.code, ReliefRequestWorkflow.retry_step, StepRetry(actor=supervisor.actor()), "r-1"
            )
        )
        assert retried.stage == Stage.DELIVERED and calls.count == 2
        assert (await finished(client, second.code)).stage == Stage.DELIVERED
        assert await _needs_attention(client, second.code) == b"false"
        assert await open_claims() == 0


async def _stretch_window(request_id: uuid.UUID, window: timedelta) -> None:
    async with transaction() as session:
        await session.execute(
            text(
                "UPDATE deliveries SET entitled_period = tstzrange(lower(entitled_period), lower(entitled_period) + "
                ":window) WHERE request_id = :request_id"
            ),
            {"window": window, "request_id": request_id},
        )


async def test_a_passing_failure_is_retried_within_its_bound_then_the_last_deadline_ends_the_request(
    client: Client, db: None, temporal_env: WorkflowEnvironment
) -> None:
    calls = Calls()

    @activity.defn(name="record_verification")
    @classify_failures
    async def unreachable_database(inp: DecisionInput) -> VerificationOutcome:
        calls.count += 1
        raise OperationalError("UPDATE relief_requests …", {}, psycopg.OperationalError("server closed the connection"))

    official = await make_staff(Role.WARD_OFFICIAL, WARD)
    supervisor = await make_staff(Role.SUPERVISOR, "79")
    policy = Policy(auto_assign_courier=False, step_max_attempts=3)
    async with worker_replacing(client, {"record_verification": unreachable_database}) as queue:
        inp, _ = await register(client, queue, applicant(), policy)
        with pytest.raises(gateway.ActionRefused) as nothing_failed:
            await gateway.send(
                client, inp.code, ReliefRequestWorkflow.retry_step, StepRetry(actor=supervisor.actor()), "r-0"
            )
        assert nothing_failed.value.kind == RefusalKind.WRONG_STAGE
        assert await _needs_attention(client, inp.code) is None  # not indexed until a step fails
        with pytest.raises(gateway.ActionRefused) as refused:
            await _answer(approve(client, inp.code, official, "verify-1"))
        assert refused.value.kind == RefusalKind.STEP_FAILED
        assert calls.count == policy.step_max_attempts
        assert await _needs_attention(client, inp.code) == b"true"
        assert await _history_length(client, inp.code) < HISTORY_BOUND

        # Nobody retries it: the verification's last deadline still ends the request and frees the household.
        await temporal_env.sleep(policy.verification_expiry_after + timedelta(minutes=1))
        assert (await finished(client, inp.code)).stage == Stage.EXPIRED
        assert (await events_of(inp))[-1] == "expired"
        assert await open_claims() == 0
        assert await _needs_attention(client, inp.code) == b"false"
        assert calls.count == policy.step_max_attempts


async def test_a_registration_whose_admission_fails_is_answered_and_closes_at_its_deadline(
    client: Client, db: None, temporal_env: WorkflowEnvironment
) -> None:
    calls = Calls()

    @activity.defn(name="admit_request")
    @classify_failures
    async def conflicting_claim(inp: AdmitInput) -> Admission:
        calls.count += 1
        if calls.failing:
            raise RuleViolation("household claim conflict under lock")
        return await acts.admit_request(inp)

    who = applicant()
    async with worker_replacing(client, {"admit_request": conflicting_claim}) as queue:
        with pytest.raises(WorkflowUpdateFailedError) as failed:
            registration = gateway.register(
                client,
                task_queue=queue,
                kind=RequestKind.FOOD_BAG,
                ward_code=WARD,
                district_code=DISTRICT,
                applicant=who,
                policy=POLICY,
                idempotency_key="admission-fails",
            )
            await asyncio.wait_for(registration, ANSWER_WITHIN)
        assert isinstance(failed.value.cause, ApplicationError)
        assert failed.value.cause.type == RefusalKind.STEP_FAILED
        assert calls.count == 1
        code = gateway.keyed_request_code("admission-fails", who.national_id)
        assert await _needs_attention(client, code) == b"true"

        await temporal_env.sleep(POLICY.registration_expiry_after + timedelta(minutes=1))
        assert (await finished(client, code)).stage == Stage.EXPIRED
        await replay_and_record(await client.get_workflow_handle(names.workflow_id(code)).fetch_history())
        calls.failing = False
        _, admitted = await register(client, queue, who)
        assert admitted.stage == Stage.AWAITING_VERIFICATION


def _wrapped(error: psycopg.Error) -> Exception:
    return (
        IntegrityError("INSERT …", {}, error)
        if isinstance(error, psycopg.IntegrityError)
        else OperationalError("UPDATE …", {}, error)
    )


@pytest.mark.parametrize(
    ("error", "kind"),
    [
        (_wrapped(psycopg.errors.ExclusionViolation("conflicting key value")), RefusalKind.INTEGRITY_VIOLATION),
        (_wrapped(psycopg.errors.CheckViolation("violates check constraint")), RefusalKind.INTEGRITY_VIOLATION),
        (_wrapped(psycopg.errors.UniqueViolation("duplicate key")), RefusalKind.INTEGRITY_VIOLATION),
        (psycopg.errors.ForeignKeyViolation("no such row"), RefusalKind.INTEGRITY_VIOLATION),
        (RuleViolation("household claim conflict under lock"), RefusalKind.RULE_VIOLATION),
        (_wrapped(psycopg.OperationalError("connection lost")), None),
        (_wrapped(psycopg.errors.SerializationFailure("could not serialize")), None),
        (_wrapped(psycopg.errors.DeadlockDetected("deadlock detected")), None),
        (ConnectionResetError("reset by peer"), None),
    ],
)
def test_failures_are_classified(error: Exception, kind: RefusalKind | None) -> None:
    failure = permanent_failure(error)
    if kind is None:
        assert failure is None
    else:
        assert failure is not None and failure.type == kind and failure.non_retryable


async def test_a_photo_whose_proof_was_not_recorded_is_not_kept(client: Client, db: None, tmp_path: Path) -> None:
    """The courier's proof passed the request's stage check, so its photo was re-encoded and stored; then the
    workflow could not record it (here: the ledger refused the step). The photo is removed, not left on disk with
    no delivery pointing at it."""

    @activity.defn(name="confirm_delivery")
    async def ledger_refuses(inp: ConfirmDeliveryInput) -> bool:
        raise ApplicationError(
            "the database refused the step", type=RefusalKind.INTEGRITY_VIOLATION, non_retryable=True
        )

    official = await make_staff(Role.WARD_OFFICIAL, WARD)
    courier = await make_staff(Role.COURIER, WARD)
    who = applicant()
    settings = get_settings().model_copy(update={"photo_dir": tmp_path})
    async with worker_replacing(client, {"confirm_delivery": ledger_refuses}) as queue:
        inp, _ = await register(client, queue, who)
        await approve(client, inp.code, official, "verify-1")
        await assign(client, inp.code, official, courier, "assign-1")
        photos = PhotoProcessor(helpers=1)
        try:
            async with get_sessionmaker()() as session:
                ctx = Context(session, settings, client, photos, RegistrationGate(timedelta(0)), client_ip=None)
                as_courier = staff_principal(courier.id, Role.COURIER, WARD, DISTRICT)
                with pytest.raises(gateway.ActionRefused) as refused:
                    await asyncio.wait_for(
                        actions.confirm_delivery(
                            ctx,
                            as_courier,
                            inp.code,
                            photo=jpeg_bytes(),
                            photo_name="door.jpg",
                            recipient_national_id=who.national_id,
                            recipient_phone=who.phone,
                        ),
                        ANSWER_WITHIN,
                    )
        finally:
            photos.close()
        assert refused.value.kind == RefusalKind.STEP_FAILED
        assert await asyncio.to_thread(lambda: list(tmp_path.rglob("*.jpg"))) == []
