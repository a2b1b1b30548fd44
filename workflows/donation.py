"""One donation, from its announcement until its goods are lots in the ledger (or it expires, or is cancelled).

The workflow waits for the goods with timers from its policy (workflows.donation_timers): a reminder to the donor
before the day, then expiry. Warehouse staff of the donation's place record what arrived through the `receive`
update: its validator refuses, before anything is written, a receipt from anyone else, at the wrong stage, or one
that cannot be accepted (a line missing or twice, a count that is not one, a perishable line without expiry, goods
already past it); the handler runs one activity that writes the counts, a lot per accepted line and the stage
together. The donor may `cancel` until then. One step runs at a time: an action that arrives meanwhile is refused
as Busy, and sent again it is judged on its own.
"""

from datetime import timedelta
from typing import Any

from temporalio import workflow
from temporalio.common import RetryPolicy, SearchAttributePair, SearchAttributeUpdate, TypedSearchAttributes
from temporalio.exceptions import ActivityError, ApplicationError

with workflow.unsafe.imports_passed_through():
    from activities import donation as acts
    from common.city_time import CITY_TZ
    from domain import action_signing, names
    from domain.donations import (
        DonationAnswer,
        DonationEvent,
        DonationInput,
        DonationReceipt,
        DonationStage,
        DonationStep,
        DonorCancellation,
        Inspection,
        StockDonationInput,
        refusal_of_receipt,
    )
    from domain.refusals import RefusalKind
    from domain.roles import Role
    from workflows.donation_timers import DonationTimer, DonationTimerAction, donation_timers

DONATION_KIND = "donation"
# Database steps are short: a killed worker's step is retried at once elsewhere.
_START_TO_CLOSE = timedelta(seconds=15)


def donation_search_attributes(inp: DonationInput, stage: DonationStage) -> list[tuple[Any, Any]]:
    """What supervisors filter donations on: no donor, no contact, no personal data."""
    return [
        (names.SA_KIND, DONATION_KIND),
        (names.SA_STAGE, stage.value),
        (names.SA_PLACE, inp.place_code),
        (names.SA_DISTRICT, inp.district_code),
        (names.SA_DEADLINE, inp.due_at),
    ]


def start_search_attributes(inp: DonationInput) -> TypedSearchAttributes:
    return TypedSearchAttributes(
        [SearchAttributePair(key, value) for key, value in donation_search_attributes(inp, DonationStage.ANNOUNCED)]
    )


@workflow.defn
class DonationWorkflow:
    @workflow.init
    def __init__(self, inp: DonationInput) -> None:
        self._inp = inp
        self._stage = DonationStage.ANNOUNCED
        self._seq = 1  # the announcement, written with the donation's rows
        self._lots = 0
        self._busy = False  # a step is running: actions wait for its end (refused Busy meanwhile)

    @workflow.run
    async def run(self, inp: DonationInput) -> DonationAnswer:
        announced_at = workflow.now()
        for timer in donation_timers(inp, announced_at):
            try:
                await workflow.wait_condition(lambda: self._stage.is_final, timeout=timer.at - workflow.now())
                break
            except TimeoutError:
                await workflow.wait_condition(lambda: not self._busy)
                if self._stage.is_final:
                    break
                await self._fire(timer)
        await workflow.wait_condition(workflow.all_handlers_finished)
        return DonationAnswer(stage=self._stage, lots=self._lots)

    async def _fire(self, timer: DonationTimer) -> None:
        step = self._step(timer.stage, timer.event)
        self._busy = True
        try:
            await self._run_step(
                acts.record_donation_step, step, last_deadline=timer.action == DonationTimerAction.EXPIRE
            )
        except ActivityError:
            if timer.action == DonationTimerAction.REMIND:
                return  # a reminder that cannot be recorded is not worth holding the donation for
            raise
        finally:
            self._busy = False
        if timer.stage != self._stage:
            self._enter(timer.stage)

    async def _run_step(self, activity: Any, arg: Any, last_deadline: bool = False) -> Any:
        """A database step, retried within the policy's bound while a person waits; the expiry, which nobody
        waits for, until the database answers (its retries add nothing to the history)."""
        policy = self._inp.policy
        retry = RetryPolicy(
            initial_interval=timedelta(milliseconds=200),
            maximum_interval=timedelta(minutes=5) if last_deadline else timedelta(seconds=10),
            maximum_attempts=0 if last_deadline else policy.step_max_attempts,
        )
        return await workflow.execute_activity(
            activity,
            arg,
            start_to_close_timeout=_START_TO_CLOSE,
            schedule_to_close_timeout=None if last_deadline else policy.step_retry_within,
            retry_policy=retry,
        )

    def _step(self, stage: DonationStage, event: DonationEvent) -> DonationStep:
        self._seq += 1
        inp = self._inp
        return DonationStep(
            donation_id=inp.donation_id, code=inp.code, seq=self._seq, at=workflow.now(), stage=stage, event=event
        )

    def _enter(self, stage: DonationStage) -> None:
        self._stage = stage
        updates: list[SearchAttributeUpdate[Any]] = [
            key.value_set(value) for key, value in donation_search_attributes(self._inp, stage)
        ]
        workflow.upsert_search_attributes(updates)

    async def _act(self, activity: Any, arg: Any) -> Any:
        """A person's step: answered StepFailed if the database cannot record it now (nothing was written; they
        may send it again)."""
        self._busy = True
        try:
            return await self._run_step(activity, arg)
        except ActivityError:
            raise ApplicationError(
                "we could not record this now; nothing was written, please send it again", type=RefusalKind.STEP_FAILED
            ) from None
        finally:
            self._busy = False

    # --- people's actions -------------------------------------------------------------------------

    def _require_announced(self, update: str, action: DonationReceipt | DonorCancellation) -> None:
        if not action_signing.is_signed(self._inp.code, update, action, action.signature):
            raise ApplicationError("this action was not sent by the application", type=RefusalKind.UNSIGNED)
        if self._busy:
            raise ApplicationError("this donation is being processed; try again shortly", type=RefusalKind.BUSY)
        if self._stage != DonationStage.ANNOUNCED:
            raise ApplicationError(f"this donation is {self._stage.value} already", type=RefusalKind.WRONG_STAGE)

    @workflow.update
    async def receive(self, receipt: DonationReceipt) -> DonationAnswer:
        accepted = any(line.inspection == Inspection.ACCEPTED for line in receipt.lines)
        stage = DonationStage.STOCKED if accepted else DonationStage.REJECTED
        step = self._step(stage, DonationEvent.STOCKED if accepted else DonationEvent.REJECTED)
        answer: DonationAnswer = await self._act(
            acts.stock_donation, StockDonationInput(step=step, place_code=self._inp.place_code, receipt=receipt)
        )
        self._lots = answer.lots
        self._enter(answer.stage)
        return answer

    @receive.validator
    def _validate_receipt(self, receipt: DonationReceipt) -> None:
        self._require_announced("receive", receipt)
        actor = receipt.actor
        if actor.role != Role.WAREHOUSE_STAFF or actor.place_code != self._inp.place_code or actor.user_id is None:
            raise ApplicationError(
                "only the staff of the donation's warehouse record it", type=RefusalKind.OUT_OF_SCOPE
            )
        why = refusal_of_receipt(self._inp, receipt, workflow.now().astimezone(CITY_TZ).date())
        if why is not None:
            raise ApplicationError(why, type=RefusalKind.INVALID_DECISION)

    @workflow.update
    async def cancel(self, cancellation: DonorCancellation) -> DonationAnswer:
        step = self._step(DonationStage.CANCELLED, DonationEvent.CANCELLED)
        await self._act(acts.record_donation_step, step)
        self._enter(DonationStage.CANCELLED)
        return DonationAnswer(stage=self._stage)

    @cancel.validator
    def _validate_cancel(self, cancellation: DonorCancellation) -> None:
        self._require_announced("cancel", cancellation)
        if cancellation.actor.role is not None:
            raise ApplicationError("only the donor withdraws a donation", type=RefusalKind.OUT_OF_SCOPE)

    @workflow.query
    def stage(self) -> DonationStage:
        return self._stage
