"""One relief request, from registration to proof of delivery.

The workflow admits the request (duplicate check and household claim, in one activity), then waits on
people: the ward's verification decision, a courier's assignment, the courier's proof of delivery or
failed attempt. A food bag comes from the ward point's stock: the dispatch holds one (or the request waits in
`awaiting_stock`, told by a `stock_arrived` signal and checking again on a timer), the proof of delivery issues
it, and any other way out of dispatch and delivery releases it. Each wait has timers from the request's policy
(workflows.relief_timers): reminder, escalation to the district, and a last deadline after which the request
expires or returns to the ward. People act through updates whose validators refuse, before anything is written
to history, what the request cannot accept now; each update answers with the stage the request reached. One
human action is processed at a time; a cancellation interrupts any wait.

A database step that fails for good (workflows.relief_steps) marks the request `needs_attention` (a search
attribute): the action waiting on it is answered StepFailed at once, further actions are refused StepFailed, and
the request waits for a supervisor's `retry_step` or for its stage's last deadline. A registration whose
admission fails is answered StepFailed (nothing is claimed unless a lost commit's answer hides it), and waits for
a retry or its own last deadline the same way.
"""

from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any, TypeVar

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from activities import cash_support as cash_acts
    from activities import relief_request as acts
    from domain.activity_io import (
        AdmitInput,
        AssignInput,
        AutoAssignInput,
        BagRequest,
        ConfirmDeliveryInput,
        DecisionInput,
        DispatchInput,
        FailedAttemptInput,
        ReleaseBagInput,
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
        StepRetry,
        StockArrival,
        Transition,
        UpdateResult,
        VerificationDecision,
    )
    from domain.stages import EscalationLevel, EventType, RequestKind, Stage
    from workflows import relief_refusals as refusals
    from workflows.relief_actions import ActionInbox
    from workflows.relief_search_attributes import search_attribute_updates, start_search_attributes
    from workflows.relief_steps import STEP_FAILURES, failure_summary, run_step, step_failed
    from workflows.relief_support import SupportStage
    from workflows.relief_timers import (
        Deadline,
        DeadlinePassed,
        StageTimer,
        TimerAction,
        last_deadline,
        stage_timers,
    )
    from workflows.relief_versions import dispatches_with_approval, has_stage_deadlines, takes_bags_from_stock

__all__ = ["ReliefRequestWorkflow", "start_search_attributes"]

# The stages in which a request holds its bag; leaving them for any other releases it (delivery issues it).
BAG_HOLDING_STAGES = frozenset({Stage.AWAITING_DISPATCH, Stage.OUT_FOR_DELIVERY})

_In = TypeVar("_In")
_R = TypeVar("_R")


@workflow.defn
class ReliefRequestWorkflow:
    @workflow.init
    def __init__(self, inp: RequestInput) -> None:
        self._inp = inp
        self._policy = inp.policy
        self._state = RequestState()
        self._actions = ActionInbox()
        # The stage whose human task is open: validators accept actions for it only.
        self._open_task: Stage | None = None
        # The current stage's last deadline: a failed step waits for a supervisor until then at most.
        self._deadline: Deadline | None = None
        self._retries_requested = 0
        self._retries_settled = 0
        self._stock_news = False  # a stock_arrived signal came since the last check
        self._support = SupportStage(inp, self._state, self._actions, self._step, self._transition, self._commit)

    @workflow.run
    async def run(self, inp: RequestInput) -> RequestResult:
        while not self._state.stage.is_final:
            try:
                await self._next_step()
            except DeadlinePassed as passed:
                self._actions.pending = None  # answered StepFailed when its step failed
                await self._fire(passed.timer)
        self._answer_pending()
        await workflow.wait_condition(workflow.all_handlers_finished)
        admission = self._state.admission
        return RequestResult(stage=self._state.stage, refusal=admission.refusal if admission else None)

    async def _next_step(self) -> None:
        if self._state.stage == Stage.REGISTERED:
            await self._admit()
        elif self._state.stage == Stage.AWAITING_SUPPORT:  # a cash need: its cancellation withdraws it first
            # Its own deadlines are the support stage's: a failed step there waits for a supervisor only.
            self._deadline = None
            await self._support.next_step()
        elif self._cancel_pending():
            await self._cancel()
        elif self._state.stage == Stage.AWAITING_VERIFICATION:
            await self._verification()
        elif self._state.stage == Stage.AWAITING_STOCK:
            await self._await_stock()
        elif self._state.stage == Stage.AWAITING_DISPATCH:
            await self._dispatch()
        else:
            await self._delivery()

    # --- stages -----------------------------------------------------------------------------------

    async def _admit(self) -> None:
        now = workflow.now()
        if not dispatches_with_approval():  # a request started before then has no search attributes from its start
            self._set_search_attributes()
        registered_seq, admitted_seq = self._next_seq(), self._next_seq()
        verification_deadline = now + self._policy.verification_expiry_after
        dispatch_deadline = now + self._policy.dispatch_escalation_after
        admit = AdmitInput(
            request=self._inp,
            at=now,
            registered_seq=registered_seq,
            admitted_seq=admitted_seq,
            verification_deadline=verification_deadline,
            dispatch_deadline=dispatch_deadline,
        )
        self._deadline = last_deadline(self._timers(Stage.REGISTERED), now)
        admission = await self._step(acts.admit_request, admit)
        self._state.admission = admission
        self._state.household_id = admission.household_id
        deadlines = {Stage.AWAITING_VERIFICATION: verification_deadline, Stage.AWAITING_DISPATCH: dispatch_deadline}
        self._state.verification_round = 1 if admission.stage == Stage.AWAITING_VERIFICATION else 0
        self._enter(admission.stage, deadlines.get(admission.stage))

    async def _verification(self) -> None:
        await self._wait_for_action(Stage.AWAITING_VERIFICATION)
        action = self._actions.take(VerificationDecision)
        if action is None:
            return
        number, decision = action
        self._state.escalation = EscalationLevel.WARD
        dispatched: Transition | None = None
        bag, no_stock = None, None
        if decision.approve and self._inp.cash is not None:
            # Published next (relief_support): the citizen hears of the approval with the publication.
            t = self._transition(
                Stage.AWAITING_SUPPORT,
                EventType.APPROVED,
                actor_id=decision.actor.user_id,
                deadline_at=workflow.now() + self._inp.cash.policy.need_published_for,
            )
        elif decision.approve:
            self._state.attempts = 0
            t = self._transition(
                Stage.AWAITING_DISPATCH,
                EventType.APPROVED,
                actor_id=decision.actor.user_id,
                notify_citizen=True,
                deadline_at=workflow.now() + self._policy.dispatch_escalation_after,
            )
            if self._policy.auto_assign_courier and dispatches_with_approval():
                dispatched = self._courier_transition()
            if (bag := self._bag_needed()) is not None:
                no_stock = self._no_stock_transition(instead_of=dispatched)
        else:
            t = self._transition(
                Stage.REJECTED,
                EventType.REJECTED,
                actor_id=decision.actor.user_id,
                detail={"reason": decision.reason},
                notify_citizen=True,
            )
        assert self._state.household_id is not None and self._state.admission is not None
        outcome = await self._step(
            acts.record_verification,
            DecisionInput(
                household_id=self._state.household_id,
                ward_code=self._inp.ward_code,
                decision=decision,
                transition=t,
                kind=self._inp.kind,
                probable_duplicate_of=self._state.admission.probable_duplicate_of,
                dispatch=dispatched,
                bag=bag,
                no_stock=no_stock,
            ),
        )
        # Histories recorded before merges existed carry no outcome (the activity returned None then).
        if outcome is not None:
            self._state.household_id = outcome.household_id
            if outcome.stage == Stage.REFUSED:  # the merged household's history refused it
                t = t.model_copy(update={"stage": Stage.REFUSED, "event": EventType.REFUSED, "deadline_at": None})
            elif no_stock is not None and not outcome.bag_held:  # approved, but the ward point has no bag
                t = no_stock
            elif dispatched is not None and outcome.courier_id is not None:  # approved and dispatched at once
                self._state.courier_id = outcome.courier_id
                t = dispatched
            if bag is not None and outcome.bag_held:
                self._hold(bag)
        self._commit(t, number)

    async def _dispatch(self) -> None:
        if self._bag_needed() is not None:  # verification skipped at admission: the bag is held first
            self._deadline = last_deadline(self._timers(Stage.AWAITING_DISPATCH), workflow.now())
            if await self._send_out(enter_wait=True):
                return
        elif self._policy.auto_assign_courier:
            self._deadline = last_deadline(self._timers(Stage.AWAITING_DISPATCH), workflow.now())
            t = self._courier_transition()
            courier_id = await self._step(
                acts.auto_assign_courier, AutoAssignInput(ward_code=self._inp.ward_code, transition=t)
            )
            if courier_id is not None:
                self._state.courier_id = courier_id
                self._commit(t)
                return
        await self._wait_for_action(Stage.AWAITING_DISPATCH)
        action = self._actions.take(CourierAssignment)
        if action is not None:
            await self._assign(*action)

    async def _await_stock(self) -> None:
        """Waits for a bag at the ward's point: checks again when told bags came there and every
        `stock_recheck_every`, firing the stage's reminder, escalation and last deadline meanwhile. Only a
        cancellation is accepted here."""
        entered = workflow.now()
        timers = self._timers(Stage.AWAITING_STOCK)
        self._deadline = last_deadline(timers, entered)
        next_check = entered + self._policy.stock_recheck_every
        for timer in timers:
            due = entered + timer.after
            while workflow.now() < due:
                wait = min(due, next_check) - workflow.now()
                if wait > timedelta(0):
                    try:
                        await workflow.wait_condition(lambda: self._cancel_pending() or self._stock_news, timeout=wait)
                    except TimeoutError:
                        pass
                if self._cancel_pending():
                    await self._cancel()
                    return
                if self._stock_news or workflow.now() >= next_check:
                    self._stock_news = False
                    next_check = workflow.now() + self._policy.stock_recheck_every
                    if await self._send_out(enter_wait=False):
                        return
            await self._fire(timer)
            if self._state.stage != Stage.AWAITING_STOCK:  # the last deadline ended the wait
                return

    async def _send_out(self, enter_wait: bool) -> bool:
        """Holds the request's bag, and with automatic dispatch gives it to a free courier, in one step. Without
        a bag the request enters awaiting_stock (`enter_wait`) or stays there; True when its stage changed."""
        bag = self._bag_needed()
        assert bag is not None
        stage, reserved = self._state.stage, None
        if stage == Stage.AWAITING_STOCK:  # the ward's task is new: the ward acts on it first
            reserved = self._transition(
                Stage.AWAITING_DISPATCH,
                EventType.BAG_RESERVED,
                escalation=EscalationLevel.WARD,
                notify_citizen=True,
                deadline_at=workflow.now() + self._policy.dispatch_escalation_after,
            )
        courier = None
        if self._policy.auto_assign_courier:
            courier = self._courier_transition()
            if reserved is not None:
                courier = courier.model_copy(update={"escalation": EscalationLevel.WARD})
        no_stock = self._no_stock_transition(instead_of=courier) if enter_wait else None
        dispatch = DispatchInput(
            ward_code=self._inp.ward_code, bag=bag, no_stock=no_stock, reserved=reserved, courier=courier
        )
        outcome = await self._step(acts.dispatch_request, dispatch)
        if outcome.bag_held:
            self._hold(bag)
            if reserved is not None:
                self._commit(reserved)
            if courier is not None and outcome.courier_id is not None:
                self._state.courier_id = outcome.courier_id
                self._commit(courier)
        elif no_stock is not None:
            self._commit(no_stock)
        return self._state.stage != stage

    def _bag_needed(self) -> BagRequest | None:
        """The bag the next dispatch must hold: none for other kinds, for a request holding one already, or for
        one started before bags came from stock."""
        if self._inp.kind != RequestKind.FOOD_BAG or self._state.bag_held or not takes_bags_from_stock():
            return None
        return BagRequest(request_code=self._inp.code, round=self._state.bag_round + 1, ward_code=self._inp.ward_code)

    def _hold(self, bag: BagRequest) -> None:
        self._state.bag_held = True
        self._state.bag_round = bag.round

    def _no_stock_transition(self, instead_of: Transition | None) -> Transition:
        """Entering awaiting_stock: written only if the ward's point has no free bag, so never with the courier's
        transition, whose number it takes (the usual path's events stay numbered without a gap)."""
        return self._transition(
            Stage.AWAITING_STOCK,
            EventType.STOCK_AWAITED,
            seq=instead_of.seq if instead_of is not None else None,
            notify_citizen=True,
            notify_staff=True,
            deadline_at=workflow.now() + self._policy.stock_escalation_after,
        )

    async def _delivery(self) -> None:
        await self._wait_for_action(Stage.OUT_FOR_DELIVERY)
        if (assignment := self._actions.take(CourierAssignment)) is not None:
            await self._assign(*assignment)
        elif (proof := self._actions.take(DeliveryProof)) is not None:
            await self._confirm(*proof)
        elif (failure := self._actions.take(FailedAttempt)) is not None:
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
        self._state.escalation = EscalationLevel.WARD
        t = self._transition(
            Stage.OUT_FOR_DELIVERY,
            EventType.COURIER_ASSIGNED,
            actor_id=assignment.actor.user_id,
            detail={"courier_id": str(assignment.courier_id)},
            notify_citizen=True,
            deadline_at=workflow.now() + self._policy.delivery_escalation_after,
        )
        await self._step(acts.assign_courier, AssignInput(courier_id=assignment.courier_id, transition=t))
        self._state.courier_id = assignment.courier_id
        self._commit(t, number)

    async def _confirm(self, number: int, proof: DeliveryProof) -> None:
        assert self._state.household_id is not None
        t = self._transition(Stage.DELIVERED, EventType.DELIVERED, actor_id=proof.actor.user_id, notify_citizen=True)
        matches = await self._step(
            acts.confirm_delivery,
            ConfirmDeliveryInput(
                household_id=self._state.household_id,
                kind=self._inp.kind,
                proof=proof,
                entitlement_window=self._policy.entitlement_window,
                transition=t,
                bag_of=self._inp.code if self._state.bag_held else None,
            ),
        )
        self._commit(t, number, recipient_matches_household=matches)

    async def _failed_attempt(self, number: int, failure: FailedAttempt) -> None:
        assert failure.actor.user_id is not None
        self._state.attempts += 1
        detail = {"reason": failure.reason, "attempts": self._state.attempts}
        if self._state.attempts >= self._policy.max_delivery_attempts:
            # Back to the ward, which decides again whether and how to deliver.
            t = self._returned_to_ward(EventType.RETURNED_TO_WARD, actor_id=failure.actor.user_id, detail=detail)
        else:
            t = self._transition(
                Stage.OUT_FOR_DELIVERY,
                EventType.DELIVERY_FAILED,
                actor_id=failure.actor.user_id,
                detail=detail,
                notify_citizen=True,
                deadline_at=self._state.deadline_at,
            )
        await self._step(
            acts.record_failed_attempt,
            FailedAttemptInput(
                courier_id=failure.actor.user_id,
                reason=failure.reason,
                attempts=self._state.attempts,
                transition=t,
                bag_of=self._inp.code if self._releases_bag(t) else None,
            ),
        )
        self._commit(t, number)

    def _returned_to_ward(self, event: EventType, **fields: Any) -> Transition:
        self._state.verification_round += 1
        self._state.escalation = EscalationLevel.WARD
        return self._transition(
            Stage.AWAITING_VERIFICATION,
            event,
            deadline_at=workflow.now() + self._policy.verification_expiry_after,
            notify_citizen=True,
            notify_staff=True,
            **fields,
        )

    async def _cancel(self) -> None:
        action = self._actions.take(Cancellation)
        assert action is not None
        number, cancellation = action
        t = self._transition(
            Stage.CANCELLED,
            EventType.CANCELLED,
            actor_id=cancellation.actor.user_id,
            detail={"by": cancellation.actor.role.value, "reason": cancellation.reason},
            notify_citizen=True,
        )
        await self._record(t)
        self._commit(t, number)

    # --- timers -----------------------------------------------------------------------------------

    def _timers(self, stage: Stage) -> list[StageTimer]:
        # Verification always had its last deadline; the patch adds those of dispatch and delivery.
        with_deadlines = stage != Stage.AWAITING_VERIFICATION and has_stage_deadlines()
        return stage_timers(stage, self._policy, with_deadlines)

    async def _wait_for_action(self, stage: Stage) -> None:
        """Waits for a human action on `stage`, firing each timer when its time since entry passes."""
        entered = workflow.now()
        timers = self._timers(stage)
        self._deadline = last_deadline(timers, entered)
        self._open_task = stage
        try:
            for timer in timers:
                remaining = entered + timer.after - workflow.now()
                try:
                    await workflow.wait_condition(lambda: self._actions.pending is not None, timeout=remaining)
                    break
                except TimeoutError:
                    await self._fire(timer)
                    if self._state.stage != stage:  # the last deadline ended the wait
                        return
            else:
                await workflow.wait_condition(lambda: self._actions.pending is not None)
        finally:
            self._open_task = None
        if self._cancel_pending():
            await self._cancel()

    async def _fire(self, timer: StageTimer) -> None:
        match timer.action:
            case TimerAction.REMIND:
                t = self._transition(
                    self._state.stage, timer.event, notify_staff=True, deadline_at=self._state.deadline_at
                )
            case TimerAction.ESCALATE:
                self._state.escalation = EscalationLevel.DISTRICT
                self._state.overdue = True
                t = self._transition(
                    self._state.stage,
                    timer.event,
                    notify_staff=True,
                    notify_citizen=True,
                    deadline_at=self._state.deadline_at,
                )
            case TimerAction.EXPIRE | TimerAction.RETURN_TO_WARD:
                # Closed to actions before the step runs, so none is accepted for a request past its deadline;
                # a failure of this step waits for a supervisor only.
                self._open_task = None
                self._deadline = None
                if timer.action == TimerAction.EXPIRE:
                    notify_staff = timer.event != EventType.EXPIRED  # the ward had reminders of its own
                    t = self._transition(Stage.EXPIRED, timer.event, notify_citizen=True, notify_staff=notify_staff)
                else:
                    t = self._returned_to_ward(timer.event)
        if self._state.admission:
            await self._record(t)
        else:  # never admitted, it may still have its row (a commit whose answer was lost): closed if so
            await self._step(acts.close_unadmitted, t)
        self._commit(t)

    async def _record(self, t: Transition) -> None:
        """Writes a stage change; one that leaves the request's held bag behind puts it back on the shelf with it,
        one that ends a cash request closes its need."""
        if self._inp.cash is not None and t.stage.is_final:
            await self._step(cash_acts.record_final, t)
        elif self._releases_bag(t):
            await self._step(acts.release_bag, ReleaseBagInput(request_code=self._inp.code, transition=t))
        else:
            await self._step(acts.record_transition, t)

    def _releases_bag(self, t: Transition) -> bool:
        return self._state.bag_held and t.stage not in BAG_HOLDING_STAGES and t.stage != Stage.DELIVERED

    # --- database steps and their failures -------------------------------------------------------

    async def _step(self, activity: Callable[[_In], Awaitable[_R]], arg: _In) -> _R:
        """Runs a database step; if it fails for good, waits for a supervisor's retry or the last deadline."""
        while True:
            try:
                result = await run_step(activity, arg, self._policy)
            except STEP_FAILURES as err:
                self._retries_settled = self._retries_requested
                await self._wait_for_supervisor(failure_summary(activity.__name__, err))
                continue
            if self._state.needs_attention is not None:
                self._retries_settled = self._retries_requested
            return result

    async def _wait_for_supervisor(self, failure: str) -> None:
        """Only the stage's last deadline keeps running here: reminders and escalations would write to the
        database that just failed, and the supervisor is already told."""
        self._flag_for_supervisor(failure)
        self._actions.answer_pending(step_failed())
        deadline = self._deadline
        timeout = deadline.at - workflow.now() if deadline else None
        try:
            await workflow.wait_condition(lambda: self._retries_requested > self._retries_settled, timeout=timeout)
        except TimeoutError:
            assert deadline is not None
            self._clear_flag()
            raise DeadlinePassed(deadline.timer) from None
        self._clear_flag()

    def _flag_for_supervisor(self, failure: str) -> None:
        self._state.needs_attention = True
        self._state.failed_step = failure
        self._set_search_attributes()

    def _clear_flag(self) -> None:
        self._state.needs_attention = False
        self._state.failed_step = None
        self._set_search_attributes()

    # --- state and projection ---------------------------------------------------------------------

    def _next_seq(self) -> int:
        self._state.seq += 1
        return self._state.seq

    def _transition(self, stage: Stage, event: EventType, seq: int | None = None, **fields: Any) -> Transition:
        fields.setdefault("escalation", self._state.escalation)
        number = seq if seq is not None else self._next_seq()
        return Transition(
            request_id=self._inp.request_id, seq=number, at=workflow.now(), stage=stage, event=event, **fields
        )

    def _enter(self, stage: Stage, deadline: datetime | None) -> None:
        self._state.stage = stage
        self._state.deadline_at = deadline
        self._set_search_attributes()

    def _commit(self, t: Transition, action_number: int | None = None, **result: Any) -> None:
        """The transition is in the database: make it the workflow's state and answer the action."""
        if t.stage != self._state.stage or t.event == EventType.COURIER_ASSIGNED:
            self._state.overdue = False
        self._state.stage = t.stage
        self._state.escalation = t.escalation
        self._state.deadline_at = t.deadline_at
        if t.stage not in BAG_HOLDING_STAGES:  # issued with the delivery, or released with the step
            self._state.bag_held = False
        self._set_search_attributes()
        if action_number is not None:
            answer = UpdateResult(
                stage=self._state.stage, escalation=self._state.escalation, attempts=self._state.attempts, **result
            )
            self._actions.close(action_number, answer)

    def _set_search_attributes(self) -> None:
        workflow.upsert_search_attributes(search_attribute_updates(self._inp, self._state))

    def _cancel_pending(self) -> bool:
        return self._actions.take(Cancellation) is not None

    def _answer_pending(self) -> None:
        """An action accepted just before the request closed is answered with the final stage."""
        self._actions.answer_pending(UpdateResult(stage=self._state.stage, escalation=self._state.escalation))
        self._actions.pending = None

    # --- human actions ----------------------------------------------------------------------------

    def _require_open(self, stages: tuple[Stage, ...], what: str) -> None:
        busy = self._actions.pending is not None
        refusals.require_open(self._state, self._open_task, busy, stages, what)

    @workflow.update
    async def decide_verification(self, decision: VerificationDecision) -> UpdateResult:
        return await self._actions.submit(decision)

    @decide_verification.validator
    def _validate_decision(self, decision: VerificationDecision) -> None:
        refusals.check_signed(self._inp.code, "decide_verification", decision)
        self._require_open((Stage.AWAITING_VERIFICATION,), "a verification decision")
        refusals.check_decision(self._inp, self._state, decision)

    @workflow.update
    async def assign_courier(self, assignment: CourierAssignment) -> UpdateResult:
        return await self._actions.submit(assignment)

    @assign_courier.validator
    def _validate_assignment(self, assignment: CourierAssignment) -> None:
        refusals.check_signed(self._inp.code, "assign_courier", assignment)
        self._require_open((Stage.AWAITING_DISPATCH, Stage.OUT_FOR_DELIVERY), "a courier")
        refusals.check_assignment(self._inp, self._state, assignment)

    @workflow.update
    async def confirm_delivery(self, proof: DeliveryProof) -> UpdateResult:
        return await self._actions.submit(proof)

    @confirm_delivery.validator
    def _validate_proof(self, proof: DeliveryProof) -> None:
        refusals.check_signed(self._inp.code, "confirm_delivery", proof)
        self._require_open((Stage.OUT_FOR_DELIVERY,), "a proof of delivery")
        refusals.check_courier(self._state, proof.actor.user_id, proof.actor.role)

    @workflow.update
    async def report_failed_attempt(self, failure: FailedAttempt) -> UpdateResult:
        return await self._actions.submit(failure)

    @report_failed_attempt.validator
    def _validate_failure(self, failure: FailedAttempt) -> None:
        refusals.check_signed(self._inp.code, "report_failed_attempt", failure)
        self._require_open((Stage.OUT_FOR_DELIVERY,), "a delivery report")
        refusals.check_courier(self._state, failure.actor.user_id, failure.actor.role)

    @workflow.update
    async def cancel(self, cancellation: Cancellation) -> UpdateResult:
        return await self._actions.submit(cancellation)

    @cancel.validator
    def _validate_cancel(self, cancellation: Cancellation) -> None:
        refusals.check_signed(self._inp.code, "cancel", cancellation)
        refusals.check_cancel(self._inp, self._state, self._actions.pending is not None, cancellation.actor)

    @workflow.signal
    def stock_arrived(self, arrival: StockArrival) -> None:
        """Bags came to the ward's point: a request waiting for one checks now instead of at its next re-check."""
        self._stock_news = True

    @workflow.signal
    def support_changed(self) -> None:
        """A pledge to this request's cash need was confirmed, expired or was released (sent by the pledge's
        workflow): the support stage reads the need's totals again. A repeat only repeats the reading."""
        self._support.news = True

    @workflow.update
    async def retry_step(self, retry: StepRetry) -> UpdateResult:
        """A supervisor runs the failed step again; answered with the stage it reached, or StepFailed again."""
        self._retries_requested += 1
        number = self._retries_requested
        await workflow.wait_condition(lambda: self._retries_settled >= number)
        if self._state.needs_attention:
            raise step_failed("the step failed again; it still waits for a supervisor")
        return UpdateResult(stage=self._state.stage, escalation=self._state.escalation, attempts=self._state.attempts)

    @retry_step.validator
    def _validate_retry(self, retry: StepRetry) -> None:
        refusals.check_signed(self._inp.code, "retry_step", retry)
        refusals.check_retry(self._state, retry.actor, self._retries_requested > self._retries_settled)

    @workflow.update
    async def admission(self) -> Admission:
        """The duplicate check's answer, for the registration call that started this workflow."""
        await workflow.wait_condition(
            lambda: self._state.admission is not None or bool(self._state.needs_attention) or self._state.stage.is_final
        )
        if self._state.admission is None:
            raise step_failed("we could not record this registration now; please register again later")
        return self._state.admission

    @workflow.query
    def state(self) -> RequestState:
        return self._state
