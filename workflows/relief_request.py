"""One relief request, from registration to proof of delivery.

The workflow admits the request (duplicate check and household claim, in one activity), then waits on
people: the ward's verification decision, a courier's assignment, the courier's proof of delivery or
failed attempt. Each wait has timers (reminder, escalation to the district, expiry) from the request's
policy. People act through updates whose validators refuse, before anything is written to history, what
the request cannot accept now; each update answers with the stage the request reached. One human action
is processed at a time; a cancellation interrupts any wait.
"""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar
from uuid import UUID

from temporalio import workflow
from temporalio.common import (
    RetryPolicy,
    SearchAttributeKey,
    SearchAttributePair,
    SearchAttributeUpdate,
    TypedSearchAttributes,
)
from temporalio.exceptions import ApplicationError

with workflow.unsafe.imports_passed_through():
    from activities import relief_request as acts
    from domain import names
    from domain.activity_io import (
        AdmitInput,
        AssignInput,
        AutoAssignInput,
        ConfirmDeliveryInput,
        DecisionInput,
        FailedAttemptInput,
    )
    from domain.messages import (
        Admission,
        Cancellation,
        CourierAssignment,
        DeliveryProof,
        FailedAttempt,
        RequestInput,
        RequestResult,
        RequestState,
        Transition,
        UpdateResult,
        VerificationDecision,
    )
    from domain.roles import Role
    from domain.scope import may_cancel, may_decide
    from domain.stages import EscalationLevel, EventType, Stage

# Database steps are short: a short timeout lets a killed worker's activity be retried at once.
_DB_STEP: dict[str, Any] = {
    "start_to_close_timeout": timedelta(seconds=15),
    "retry_policy": RetryPolicy(initial_interval=timedelta(milliseconds=200), maximum_interval=timedelta(seconds=10)),
}

# Local activities (issue 5, bench/README.md): a database step runs inside the workflow task that needs it,
# so a request costs 4 history markers instead of 12 activity events and about half its workflow tasks.
# Requests started before this change keep regular activities: `patched` is decided once per workflow
# (memoised), False when replaying a history that has no marker, so their replay stays deterministic.
LOCAL_DB_STEPS_PATCH = "local-db-steps"
# A leaner history (issue 5): the search attributes come with the start (no upsert before admission), and an
# approval with automatic dispatch is one database step and one stage change instead of two. It implies
# local steps, so a new request records this one marker instead of both.
LEAN_STEPS_PATCH = "lean-steps"

_R = TypeVar("_R")


def _lean() -> bool:
    return workflow.patched(LEAN_STEPS_PATCH)


async def _db_step(activity: Callable[[Any], Awaitable[_R]], arg: Any) -> _R:
    if _lean() or workflow.patched(LOCAL_DB_STEPS_PATCH):
        return await workflow.execute_local_activity(activity, arg, **_DB_STEP)
    return await workflow.execute_activity(activity, arg, **_DB_STEP)


def _search_attribute_values(inp: RequestInput, s: RequestState) -> list[tuple[SearchAttributeKey[Any], Any]]:
    """What supervisors filter on in the Temporal UI, from the request and its state (None: not set)."""
    return [
        (names.SA_STAGE, s.stage.value),
        (names.SA_KIND, inp.kind.value),
        (names.SA_DISTRICT, inp.district_code),
        (names.SA_WARD, inp.ward_code),
        (names.SA_ESCALATION, s.escalation.value),
        (names.SA_OVERDUE, s.overdue),
        (names.SA_DEADLINE, s.deadline_at),
    ]


def start_search_attributes(inp: RequestInput) -> TypedSearchAttributes:
    """The search attributes a new request's workflow starts with: findable before its first task runs."""
    pairs = _search_attribute_values(inp, RequestState())
    return TypedSearchAttributes([SearchAttributePair(key, value) for key, value in pairs if value is not None])


HumanAction = VerificationDecision | CourierAssignment | DeliveryProof | FailedAttempt | Cancellation


@dataclass
class _Timer:
    after: timedelta
    fire: Callable[[], Awaitable[None]]


@workflow.defn
class ReliefRequestWorkflow:
    @workflow.init
    def __init__(self, inp: RequestInput) -> None:
        self._inp = inp
        self._policy = inp.policy
        self.s = RequestState()
        self._pending: tuple[int, HumanAction] | None = None
        self._action_seq = 0
        self._results: dict[int, UpdateResult] = {}
        # The stage whose human task is open: validators accept actions for it only.
        self._open_task: Stage | None = None

    @workflow.run
    async def run(self, inp: RequestInput) -> RequestResult:
        await self._admit()
        while not self.s.stage.is_final:
            if self._cancel_pending():
                await self._cancel()
            elif self.s.stage == Stage.AWAITING_VERIFICATION:
                await self._verification()
            elif self.s.stage == Stage.AWAITING_DISPATCH:
                await self._dispatch()
            else:
                await self._delivery()
        self._answer_pending()
        await workflow.wait_condition(workflow.all_handlers_finished)
        admission = self.s.admission
        return RequestResult(stage=self.s.stage, refusal=admission.refusal if admission else None)

    # --- stages -----------------------------------------------------------------------------------

    async def _admit(self) -> None:
        now = workflow.now()
        if not _lean():  # a request started before LEAN_STEPS_PATCH has no search attributes from its start
            self._set_search_attributes()
        registered_seq, admitted_seq = self._next_seq(), self._next_seq()
        verification_deadline = now + self._policy.verification_expiry_after
        dispatch_deadline = now + self._policy.dispatch_escalation_after
        admission = await _db_step(
            acts.admit_request,
            AdmitInput(
                request=self._inp,
                at=now,
                registered_seq=registered_seq,
                admitted_seq=admitted_seq,
                verification_deadline=verification_deadline,
                dispatch_deadline=dispatch_deadline,
            ),
        )
        self.s.admission = admission
        self.s.household_id = admission.household_id
        deadlines = {Stage.AWAITING_VERIFICATION: verification_deadline, Stage.AWAITING_DISPATCH: dispatch_deadline}
        self.s.verification_round = 1 if admission.stage == Stage.AWAITING_VERIFICATION else 0
        self._enter(admission.stage, deadlines.get(admission.stage))

    async def _verification(self) -> None:
        await self._wait_for_action(
            Stage.AWAITING_VERIFICATION,
            [
                _Timer(self._policy.verification_reminder_after, self._remind(EventType.VERIFICATION_REMINDER)),
                _Timer(self._policy.verification_escalation_after, self._escalate),
                _Timer(self._policy.verification_expiry_after, self._expire),
            ],
        )
        action = self._take(VerificationDecision)
        if action is None:
            return
        number, decision = action
        self.s.escalation = EscalationLevel.WARD
        dispatched: Transition | None = None
        if decision.approve:
            self.s.attempts = 0
            t = self._transition(
                Stage.AWAITING_DISPATCH,
                EventType.APPROVED,
                actor_id=decision.actor.user_id,
                notify_citizen=True,
                deadline_at=workflow.now() + self._policy.dispatch_escalation_after,
            )
            if self._policy.auto_assign_courier and _lean():
                dispatched = self._courier_transition()
        else:
            t = self._transition(
                Stage.REJECTED,
                EventType.REJECTED,
                actor_id=decision.actor.user_id,
                detail={"reason": decision.reason},
                notify_citizen=True,
            )
        assert self.s.household_id is not None and self.s.admission is not None
        outcome = await _db_step(
            acts.record_verification,
            DecisionInput(
                household_id=self.s.household_id,
                ward_code=self._inp.ward_code,
                decision=decision,
                transition=t,
                kind=self._inp.kind.value,
                probable_duplicate_of=self.s.admission.probable_duplicate_of,
                dispatch=dispatched,
            ),
        )
        # Histories recorded before merges existed carry no outcome (the activity returned None then).
        if outcome is not None:
            self.s.household_id = outcome.household_id
            if outcome.stage == Stage.REFUSED:  # the merged household's history refused it
                t = t.model_copy(update={"stage": Stage.REFUSED, "event": EventType.REFUSED, "deadline_at": None})
            elif dispatched is not None and outcome.courier_id is not None:  # approved and dispatched at once
                self.s.courier_id = outcome.courier_id
                t = dispatched
        self._commit(t, number)

    async def _dispatch(self) -> None:
        if self._policy.auto_assign_courier:
            t = self._courier_transition()
            courier_id = await _db_step(
                acts.auto_assign_courier, AutoAssignInput(ward_code=self._inp.ward_code, transition=t)
            )
            if courier_id is not None:
                self.s.courier_id = courier_id
                self._commit(t)
                return
        await self._wait_for_action(
            Stage.AWAITING_DISPATCH, [_Timer(self._policy.dispatch_escalation_after, self._escalate)]
        )
        action = self._take(CourierAssignment)
        if action is not None:
            await self._assign(*action)

    async def _delivery(self) -> None:
        await self._wait_for_action(
            Stage.OUT_FOR_DELIVERY,
            [
                _Timer(self._policy.delivery_reminder_after, self._remind(EventType.DELIVERY_REMINDER)),
                _Timer(self._policy.delivery_escalation_after, self._escalate),
            ],
        )
        if (assignment := self._take(CourierAssignment)) is not None:
            await self._assign(*assignment)
        elif (proof := self._take(DeliveryProof)) is not None:
            await self._confirm(*proof)
        elif (failure := self._take(FailedAttempt)) is not None:
            await self._failed_attempt(*failure)

    def _courier_transition(self) -> Transition:
        """The automatic assignment's stage change, written only if a courier is free."""
        return self._transition(
            Stage.OUT_FOR_DELIVERY,
            EventType.COURIER_ASSIGNED,
            notify_citizen=True,
            deadline_at=workflow.now() + self._policy.delivery_escalation_after,
        )

    async def _assign(self, number: int, assignment: CourierAssignment) -> None:
        self.s.escalation = EscalationLevel.WARD
        t = self._transition(
            Stage.OUT_FOR_DELIVERY,
            EventType.COURIER_ASSIGNED,
            actor_id=assignment.actor.user_id,
            detail={"courier_id": str(assignment.courier_id)},
            notify_citizen=True,
            deadline_at=workflow.now() + self._policy.delivery_escalation_after,
        )
        await _db_step(acts.assign_courier, AssignInput(courier_id=assignment.courier_id, transition=t))
        self.s.courier_id = assignment.courier_id
        self._commit(t, number)

    async def _confirm(self, number: int, proof: DeliveryProof) -> None:
        assert self.s.household_id is not None
        t = self._transition(Stage.DELIVERED, EventType.DELIVERED, actor_id=proof.actor.user_id, notify_citizen=True)
        matches = await _db_step(
            acts.confirm_delivery,
            ConfirmDeliveryInput(
                household_id=self.s.household_id,
                kind=self._inp.kind.value,
                proof=proof,
                entitlement_window=self._policy.entitlement_window,
                transition=t,
            ),
        )
        self._commit(t, number, recipient_matches_household=matches)

    async def _failed_attempt(self, number: int, failure: FailedAttempt) -> None:
        assert failure.actor.user_id is not None
        self.s.attempts += 1
        if self.s.attempts >= self._policy.max_delivery_attempts:
            # Back to the ward, which decides again whether and how to deliver.
            self.s.verification_round += 1
            self.s.escalation = EscalationLevel.WARD
            t = self._transition(
                Stage.AWAITING_VERIFICATION,
                EventType.RETURNED_TO_WARD,
                actor_id=failure.actor.user_id,
                detail={"reason": failure.reason, "attempts": self.s.attempts},
                deadline_at=workflow.now() + self._policy.verification_expiry_after,
                notify_citizen=True,
                notify_staff=True,
            )
        else:
            t = self._transition(
                Stage.OUT_FOR_DELIVERY,
                EventType.DELIVERY_FAILED,
                actor_id=failure.actor.user_id,
                detail={"reason": failure.reason, "attempts": self.s.attempts},
                notify_citizen=True,
                deadline_at=self.s.deadline_at,
            )
        await _db_step(
            acts.record_failed_attempt,
            FailedAttemptInput(
                courier_id=failure.actor.user_id, reason=failure.reason, attempts=self.s.attempts, transition=t
            ),
        )
        self._commit(t, number)

    async def _cancel(self) -> None:
        action = self._take(Cancellation)
        assert action is not None
        number, cancellation = action
        t = self._transition(
            Stage.CANCELLED,
            EventType.CANCELLED,
            actor_id=cancellation.actor.user_id,
            detail={"by": cancellation.actor.role.value, "reason": cancellation.reason},
            notify_citizen=True,
        )
        await _db_step(acts.record_transition, t)
        self._commit(t, number)

    # --- timers -----------------------------------------------------------------------------------

    async def _wait_for_action(self, stage: Stage, timers: list[_Timer]) -> None:
        """Waits for a human action on `stage`, firing each timer when its time since entry passes."""
        entered = workflow.now()
        self._open_task = stage
        for timer in timers:
            remaining = entered + timer.after - workflow.now()
            try:
                await workflow.wait_condition(lambda: self._pending is not None, timeout=remaining)
                break
            except TimeoutError:
                await timer.fire()
                if self.s.stage.is_final:
                    return
        else:
            await workflow.wait_condition(lambda: self._pending is not None)
        self._open_task = None
        if self._cancel_pending():
            await self._cancel()

    def _remind(self, event: EventType) -> Callable[[], Awaitable[None]]:
        async def remind() -> None:
            t = self._transition(self.s.stage, event, notify_staff=True, deadline_at=self.s.deadline_at)
            await _db_step(acts.record_transition, t)
            self._commit(t)

        return remind

    async def _escalate(self) -> None:
        self.s.escalation = EscalationLevel.DISTRICT
        self.s.overdue = True
        t = self._transition(
            self.s.stage, EventType.ESCALATED, notify_staff=True, notify_citizen=True, deadline_at=self.s.deadline_at
        )
        await _db_step(acts.record_transition, t)
        self._commit(t)

    async def _expire(self) -> None:
        # Closed to decisions before the activity runs, so none is accepted for an expiring request.
        self._open_task = None
        t = self._transition(Stage.EXPIRED, EventType.EXPIRED, notify_citizen=True)
        await _db_step(acts.record_transition, t)
        self._commit(t)

    # --- state and projection ---------------------------------------------------------------------

    def _next_seq(self) -> int:
        self.s.seq += 1
        return self.s.seq

    def _transition(self, stage: Stage, event: EventType, **fields: Any) -> Transition:
        fields.setdefault("escalation", self.s.escalation)
        return Transition(
            request_id=self._inp.request_id, seq=self._next_seq(), at=workflow.now(), stage=stage, event=event, **fields
        )

    def _enter(self, stage: Stage, deadline: datetime | None) -> None:
        self.s.stage = stage
        self.s.deadline_at = deadline
        self._set_search_attributes()

    def _commit(self, t: Transition, action_number: int | None = None, **result: Any) -> None:
        """The transition is in the database: make it the workflow's state and answer the action."""
        if t.stage != self.s.stage or t.event == EventType.COURIER_ASSIGNED:
            self.s.overdue = False
        self.s.stage = t.stage
        self.s.escalation = t.escalation
        self.s.deadline_at = t.deadline_at
        self._set_search_attributes()
        if action_number is not None:
            self._results[action_number] = UpdateResult(
                stage=self.s.stage, escalation=self.s.escalation, attempts=self.s.attempts, **result
            )
            self._pending = None

    def _set_search_attributes(self) -> None:
        updates: list[SearchAttributeUpdate[Any]] = [
            key.value_set(value) if value is not None else key.value_unset()
            for key, value in _search_attribute_values(self._inp, self.s)
        ]
        workflow.upsert_search_attributes(updates)

    def _take(self, kind: type) -> Any:
        if self._pending is not None and isinstance(self._pending[1], kind):
            return self._pending
        return None

    def _cancel_pending(self) -> bool:
        return self._take(Cancellation) is not None

    def _answer_pending(self) -> None:
        """An action accepted just before the request closed is answered with the final stage."""
        if self._pending is not None:
            self._results[self._pending[0]] = UpdateResult(stage=self.s.stage, escalation=self.s.escalation)
            self._pending = None

    # --- human actions ----------------------------------------------------------------------------

    async def _submit(self, action: HumanAction) -> UpdateResult:
        self._action_seq += 1
        number = self._action_seq
        self._pending = (number, action)
        await workflow.wait_condition(lambda: number in self._results)
        return self._results.pop(number)

    def _require_open(self, stages: tuple[Stage, ...], what: str) -> None:
        if self._open_task not in stages:
            if self.s.stage in stages:  # between two steps, e.g. during automatic dispatch
                raise ApplicationError("the request is being processed; try again shortly", type="Busy")
            raise ApplicationError(f"the request is {self.s.stage.value}, not waiting for {what}", type="WrongStage")
        if self._pending is not None:
            raise ApplicationError("another action on this request is being processed; try again", type="Busy")

    @workflow.update
    async def decide_verification(self, decision: VerificationDecision) -> UpdateResult:
        return await self._submit(decision)

    @decide_verification.validator
    def _validate_decision(self, decision: VerificationDecision) -> None:
        self._require_open((Stage.AWAITING_VERIFICATION,), "a verification decision")
        if not may_decide(decision.actor, self._inp.ward_code, self._inp.district_code, self.s.escalation):
            raise ApplicationError("this request is not in your scope to decide", type="OutOfScope")
        if not decision.approve and not (decision.reason or "").strip():
            raise ApplicationError("a rejection needs a reason", type="InvalidDecision")
        admission = self.s.admission
        if decision.approve and admission and admission.probable_duplicate_of and decision.same_household is None:
            raise ApplicationError(
                "this household may be the same as another: say whether it is (same_household)", type="InvalidDecision"
            )

    @workflow.update
    async def assign_courier(self, assignment: CourierAssignment) -> UpdateResult:
        return await self._submit(assignment)

    @assign_courier.validator
    def _validate_assignment(self, assignment: CourierAssignment) -> None:
        self._require_open((Stage.AWAITING_DISPATCH, Stage.OUT_FOR_DELIVERY), "a courier")
        if not may_decide(assignment.actor, self._inp.ward_code, self._inp.district_code, self.s.escalation):
            raise ApplicationError("this request is not in your scope to dispatch", type="OutOfScope")
        if assignment.courier_ward_code != self._inp.ward_code:
            raise ApplicationError("the courier does not work in this request's ward", type="OutOfScope")
        if assignment.courier_id == self.s.courier_id:
            raise ApplicationError("this courier is already assigned", type="Duplicate")

    @workflow.update
    async def confirm_delivery(self, proof: DeliveryProof) -> UpdateResult:
        return await self._submit(proof)

    @confirm_delivery.validator
    def _validate_proof(self, proof: DeliveryProof) -> None:
        self._require_courier(proof.actor.user_id, proof.actor.role, "a proof of delivery")

    @workflow.update
    async def report_failed_attempt(self, failure: FailedAttempt) -> UpdateResult:
        return await self._submit(failure)

    @report_failed_attempt.validator
    def _validate_failure(self, failure: FailedAttempt) -> None:
        self._require_courier(failure.actor.user_id, failure.actor.role, "a delivery report")

    def _require_courier(self, user_id: UUID | None, role: Role, what: str) -> None:
        self._require_open((Stage.OUT_FOR_DELIVERY,), what)
        if role != Role.COURIER or user_id is None or user_id != self.s.courier_id:
            raise ApplicationError("this delivery is not assigned to you", type="OutOfScope")

    @workflow.update
    async def cancel(self, cancellation: Cancellation) -> UpdateResult:
        return await self._submit(cancellation)

    @cancel.validator
    def _validate_cancel(self, cancellation: Cancellation) -> None:
        if self.s.stage.is_final or self.s.stage == Stage.REGISTERED:
            raise ApplicationError(f"the request is {self.s.stage.value} and cannot be cancelled", type="WrongStage")
        if self._pending is not None:
            raise ApplicationError("another action on this request is being processed; try again", type="Busy")
        if not may_cancel(cancellation.actor, self._inp.ward_code, self._inp.district_code, self.s.household_id):
            raise ApplicationError("this request is not yours to cancel", type="OutOfScope")

    @workflow.update
    async def admission(self) -> Admission:
        """The duplicate check's answer, for the registration call that started this workflow."""
        await workflow.wait_condition(lambda: self.s.admission is not None)
        assert self.s.admission is not None
        return self.s.admission

    @workflow.query
    def state(self) -> RequestState:
        return self.s
