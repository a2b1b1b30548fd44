"""One shipment between two supply places, from the round's order until its goods are counted at the destination.

The first step writes the shipment's rows from the order and answers the policy the shipment keeps; the second picks
its lots at the source (FEFO; a line the source cannot fill is picked short, and with nothing at all to pick the
shipment is unfilled and ends). Then it waits for the source's warehouse staff to `dispatch` it (driver, phone,
plate: the goods leave the source), with a timer that escalates to the city and, at the policy's deadline, cancels
it (nothing had moved). In transit it waits for the destination's staff to `receive` it with a count per line (the
goods arrive, each difference its own movement, escalated), with a timer that marks it overdue for the city and, at
the last deadline, records it lost. Validators refuse, before anything is written, an action from anyone but the
staff of the right place, at the wrong stage, or counts the shipment cannot accept. One step runs at a time: an
action that arrives meanwhile is refused as Busy.
"""

from datetime import timedelta
from typing import Any

from temporalio import workflow
from temporalio.common import RetryPolicy, SearchAttributeUpdate
from temporalio.exceptions import ActivityError, ApplicationError

with workflow.unsafe.imports_passed_through():
    from activities import shipment as acts
    from domain import action_signing, names
    from domain.refusals import RefusalKind
    from domain.roles import Role
    from domain.shipment_flow import (
        SHIPMENT_KIND,
        Dispatch,
        DispatchInput,
        OpenInput,
        PickInput,
        Receipt,
        ReceiptInput,
        ShipmentAnswer,
        ShipmentEvent,
        ShipmentPolicy,
        ShipmentStage,
        ShipmentStep,
        refusal_of_dispatch,
        refusal_of_receipt,
    )
    from domain.shipments import SHIPMENT_WORKFLOW, ShipmentOrder

# Database steps are short: a killed worker's step is retried at once elsewhere.
_START_TO_CLOSE = timedelta(seconds=15)
ESCALATED_TO_CITY = "city"


@workflow.defn(name=SHIPMENT_WORKFLOW)
class ShipmentWorkflow:
    @workflow.init
    def __init__(self, order: ShipmentOrder) -> None:
        self._order = order
        self._answer = ShipmentAnswer(stage=ShipmentStage.CREATED)
        self._policy = ShipmentPolicy()  # until the first step answers the one the shipment keeps
        self._district = ""
        self._seq = 1  # the rows the first step writes
        self._late = False
        self._busy = False  # a step is running: actions are refused Busy meanwhile

    @property
    def _stage(self) -> ShipmentStage:
        return self._answer.stage

    @workflow.run
    async def run(self, order: ShipmentOrder) -> ShipmentAnswer:
        opened = await self._run_step(acts.open_shipment, OpenInput(order=order, at=workflow.now()), nobody_waits=True)
        self._policy, self._district = opened.policy, opened.to_district
        self._show()
        self._answer = await self._run_step(
            acts.pick_shipment, PickInput(step=self._step(ShipmentEvent.PICKED), policy=self._policy), nobody_waits=True
        )
        self._show()
        policy = self._policy
        await self._wait(
            ShipmentStage.PICKED,
            (policy.dispatch_escalate_after, ShipmentEvent.DISPATCH_LATE),
            (policy.dispatch_deadline, ShipmentEvent.CANCELLED),
        )
        await self._wait(
            ShipmentStage.IN_TRANSIT,
            (policy.transit_escalate_after, ShipmentEvent.TRANSIT_LATE),
            (policy.transit_deadline, ShipmentEvent.LOST),
        )
        await workflow.wait_condition(workflow.all_handlers_finished)
        return self._answer

    async def _wait(
        self, stage: ShipmentStage, late: tuple[timedelta, ShipmentEvent], last: tuple[timedelta, ShipmentEvent]
    ) -> None:
        """While the shipment is at `stage`: escalated once late, ended by the last deadline's step."""
        entered = workflow.now()
        for after, event in (late, last):
            try:
                await workflow.wait_condition(
                    lambda: self._stage != stage, timeout=max(after - (workflow.now() - entered), timedelta(0))
                )
                return
            except TimeoutError:
                await workflow.wait_condition(lambda: not self._busy)
                if self._stage != stage:
                    return
                await self._fire(event, final=event == last[1])

    async def _fire(self, event: ShipmentEvent, final: bool) -> None:
        self._busy = True
        try:
            answer = await self._run_step(acts.record_shipment_step, self._step(event), nobody_waits=final)
        except ActivityError:
            if final:
                raise
            return  # an escalation that cannot be recorded is not worth holding the shipment for
        finally:
            self._busy = False
        self._late = not final
        self._answer = answer
        self._show()

    async def _run_step(self, activity: Any, arg: Any, nobody_waits: bool = False) -> Any:
        """A database step, retried within the policy's bound while a person waits; a step nobody waits for, until
        the database answers (its retries add nothing to the history)."""
        policy = self._policy
        retry = RetryPolicy(
            initial_interval=timedelta(milliseconds=200),
            maximum_interval=timedelta(minutes=5) if nobody_waits else timedelta(seconds=10),
            maximum_attempts=0 if nobody_waits else policy.step_max_attempts,
        )
        return await workflow.execute_activity(
            activity,
            arg,
            start_to_close_timeout=_START_TO_CLOSE,
            schedule_to_close_timeout=None if nobody_waits else policy.step_retry_within,
            retry_policy=retry,
        )

    def _step(self, event: ShipmentEvent) -> ShipmentStep:
        self._seq += 1
        return ShipmentStep(code=self._order.code, seq=self._seq, at=workflow.now(), event=event)

    def _show(self) -> None:
        """The search attributes supervisors filter on: no driver, no phone, nothing personal."""
        escalated = self._late or self._answer.differences > 0 or self._stage == ShipmentStage.LOST
        updates: list[SearchAttributeUpdate[Any]] = [
            names.SA_KIND.value_set(SHIPMENT_KIND),
            names.SA_STAGE.value_set(self._stage.value),
            names.SA_PLACE.value_set(self._order.to_place),
            names.SA_DISTRICT.value_set(self._district),
            names.SA_OVERDUE.value_set(self._late),
            names.SA_ESCALATION.value_set(ESCALATED_TO_CITY) if escalated else names.SA_ESCALATION.value_unset(),
        ]
        workflow.upsert_search_attributes(updates)

    async def _act(self, activity: Any, arg: Any) -> ShipmentAnswer:
        """A person's step: answered StepFailed if the database cannot record it now (nothing was written; they
        may send it again)."""
        self._busy = True
        try:
            answer: ShipmentAnswer = await self._run_step(activity, arg)
        except ActivityError:
            raise ApplicationError(
                "we could not record this now; nothing was written, please send it again", type=RefusalKind.STEP_FAILED
            ) from None
        finally:
            self._busy = False
        self._late = False
        self._answer = answer
        self._show()
        return answer

    # --- people's actions ---------------------------------------------------------------------------------------

    def _require(self, update: str, action: Dispatch | Receipt, stage: ShipmentStage, place: str) -> None:
        if not action_signing.is_signed(self._order.code, update, action, action.signature):
            raise ApplicationError("this action was not sent by the application", type=RefusalKind.UNSIGNED)
        actor = action.actor
        if actor.role != Role.WAREHOUSE_STAFF or actor.place_code != place:
            raise ApplicationError(f"only the staff of {place} do this", type=RefusalKind.OUT_OF_SCOPE)
        if self._busy:
            raise ApplicationError("this shipment is being processed; try again shortly", type=RefusalKind.BUSY)
        if self._stage != stage:
            raise ApplicationError(f"this shipment is {self._stage.value}", type=RefusalKind.WRONG_STAGE)

    @workflow.update
    async def dispatch(self, action: Dispatch) -> ShipmentAnswer:
        step = self._step(ShipmentEvent.DISPATCHED)
        return await self._act(acts.dispatch_shipment, DispatchInput(step=step, dispatch=action))

    @dispatch.validator
    def _validate_dispatch(self, action: Dispatch) -> None:
        self._require("dispatch", action, ShipmentStage.PICKED, self._order.from_place)
        why = refusal_of_dispatch(action)
        if why is not None:
            raise ApplicationError(why, type=RefusalKind.INVALID_DECISION)

    @workflow.update
    async def receive(self, receipt: Receipt) -> ShipmentAnswer:
        step = self._step(ShipmentEvent.RECEIVED)
        return await self._act(acts.receive_shipment, ReceiptInput(step=step, receipt=receipt))

    @receive.validator
    def _validate_receipt(self, receipt: Receipt) -> None:
        self._require("receive", receipt, ShipmentStage.IN_TRANSIT, self._order.to_place)
        why = refusal_of_receipt(self._answer, receipt, self._policy)
        if why is not None:
            raise ApplicationError(why, type=RefusalKind.INVALID_DECISION)

    @workflow.query
    def state(self) -> ShipmentAnswer:
        return self._answer
