"""One emergency, from its post until it is confirmed, closed or hidden: timers in minutes and hours.

Open, it waits for a `claim` (a community helper, or an official in scope: the ward, its district, the city's SOS
team); unclaimed at `escalate_after` it is escalated (late on the ward's and the SOS team's queues, AnSinhOverdue),
and unclaimed at `open_for` it closes as unfulfilled. Claimed, it waits for the claimer's `fulfil` until
`fulfil_within`; then the claim is released and the emergency offered again (the claimer's lapse is counted:
slowed, then flagged), and after `max_releases` lapses it closes as unfulfilled. Fulfilled, it waits for the
requester's `confirm` until `confirm_within`, then closes itself with a note. The ward (or the SOS team) may `close`
it with a reason or `hide` it at any time before it ends. Each update's validator refuses, before anything is
written, an unsigned action, someone out of scope or not the claimer, and the wrong state (a second claim); each
accepted action runs one activity that moves the row and writes the event. Its search attributes carry its state,
district, ward and lateness: nothing about anyone.
"""

from collections.abc import Callable
from datetime import datetime
from typing import Any
from uuid import UUID

from temporalio import workflow
from temporalio.common import SearchAttributePair, TypedSearchAttributes
from temporalio.exceptions import ApplicationError

with workflow.unsafe.imports_passed_through():
    from activities import emergency as acts
    from domain import names
    from domain.emergency import ACTIVE_EMERGENCY_STATES, EmergencyEvent, EmergencyState
    from domain.emergency_messages import (
        EmergencyAction,
        EmergencyActor,
        EmergencyAnswer,
        EmergencyInput,
        EmergencyStep,
    )
    from domain.refusals import RefusalKind
    from domain.roles import Role
    from workflows.community_steps import CommunitySteps

EMERGENCY_KIND = "emergency"


def emergency_search_attributes(inp: EmergencyInput, state: EmergencyState, overdue: bool) -> list[tuple[Any, Any]]:
    return [
        (names.SA_KIND, EMERGENCY_KIND),
        (names.SA_STAGE, state.value),
        (names.SA_DISTRICT, inp.district_code),
        (names.SA_WARD, inp.ward_code),
        (names.SA_OVERDUE, overdue),
    ]


def start_search_attributes(inp: EmergencyInput) -> TypedSearchAttributes:
    pairs = emergency_search_attributes(inp, EmergencyState.OPEN, False)
    return TypedSearchAttributes([SearchAttributePair(key, value) for key, value in pairs])


def in_scope(actor: EmergencyActor, ward_code: str, district_code: str) -> bool:
    """An official of the emergency's ward or district, or of the city (its SOS team)."""
    return actor.user_id is not None and (
        (actor.role == Role.WARD_OFFICIAL and actor.ward_code == ward_code)
        or (actor.role == Role.DISTRICT_OFFICIAL and actor.district_code == district_code)
        or actor.role == Role.CITY_OFFICIAL
    )


@workflow.defn
class EmergencyWorkflow(CommunitySteps[EmergencyStep, EmergencyAnswer, EmergencyState]):
    @workflow.init
    def __init__(self, inp: EmergencyInput) -> None:
        super().__init__(EMERGENCY_KIND, inp.code, EmergencyState.OPEN, acts.record_emergency_step)
        self._inp = inp
        self._seq = 1  # the post's own event, written with its row
        self._escalated = False
        self._releases = 0
        self._opened_at = workflow.info().workflow_start_time
        self._claimed_at: datetime | None = None
        self._fulfilled_at: datetime | None = None
        self._claimer: UUID | None = None  # the helper's or the official's id

    @workflow.run
    async def run(self, inp: EmergencyInput) -> EmergencyAnswer:
        policy = inp.policy
        while not self._state.is_final:
            state = self._state
            left = self._moved_from(state)
            if state == EmergencyState.OPEN and not self._escalated:
                if not await self._until(left, self._opened_at + policy.escalate_after):
                    self._escalated = True
                    await self._timer_step(EmergencyEvent.ESCALATED, None)
            elif state == EmergencyState.OPEN:
                if not await self._until(left, self._opened_at + policy.open_for):
                    await self._timer_step(EmergencyEvent.UNFULFILLED_CLOSED, EmergencyState.CLOSED)
            elif state == EmergencyState.CLAIMED and self._claimed_at is not None:
                if not await self._until(left, self._claimed_at + policy.fulfil_within):
                    await self._timer_step(EmergencyEvent.RELEASED, EmergencyState.OPEN)
                    if self._releases >= policy.max_releases:
                        await self._timer_step(EmergencyEvent.UNFULFILLED_CLOSED, EmergencyState.CLOSED)
            elif state == EmergencyState.FULFILLED and self._fulfilled_at is not None:
                if not await self._until(left, self._fulfilled_at + policy.confirm_within):
                    await self._timer_step(EmergencyEvent.UNCONFIRMED_CLOSED, EmergencyState.CLOSED)
        await workflow.wait_condition(workflow.all_handlers_finished)
        return EmergencyAnswer(state=self._state)

    def _moved_from(self, state: EmergencyState) -> Callable[[], bool]:
        return lambda: self._state != state

    async def _timer_step(self, event: EmergencyEvent, to: EmergencyState | None) -> None:
        # An escalation the database refuses for good is not worth failing the emergency for.
        await self._run_timer_step(self._step(event, to), moves=to is not None, event=event.value)

    async def _act(
        self, event: EmergencyEvent, to: EmergencyState, actor: EmergencyActor, note: str | None = None
    ) -> EmergencyAnswer:
        answer = await self._run_person_step(self._step(event, to, actor.helper_id, actor.user_id, note))
        if answer.state == EmergencyState.CLAIMED:
            self._claimer = actor.helper_id or actor.user_id
        self._enter(answer.state)
        return answer

    def _step(
        self,
        event: EmergencyEvent,
        to: EmergencyState | None,
        helper_id: UUID | None = None,
        staff_id: UUID | None = None,
        note: str | None = None,
    ) -> EmergencyStep:
        self._seq += 1
        return EmergencyStep(
            emergency_id=self._inp.emergency_id,
            code=self._inp.code,
            seq=self._seq,
            at=workflow.now(),
            event=event,
            to=to,
            helper_id=helper_id,
            staff_id=staff_id,
            note=note,
        )

    def _enter(self, state: EmergencyState) -> None:
        if state != self._state:
            if state == EmergencyState.OPEN:  # a lapsed claim: offered again from now
                self._releases += 1
                self._opened_at = workflow.now()
                self._claimer = None
            elif state == EmergencyState.CLAIMED:
                self._claimed_at = workflow.now()
            elif state == EmergencyState.FULFILLED:
                self._fulfilled_at = workflow.now()
        self._state = state
        overdue = self._escalated and state == EmergencyState.OPEN
        workflow.upsert_search_attributes(
            [key.value_set(value) for key, value in emergency_search_attributes(self._inp, state, overdue)]
        )

    # --- people's actions -------------------------------------------------------------------------

    def _require_official(self, action: EmergencyAction) -> None:
        if not in_scope(action.actor, self._inp.ward_code, self._inp.district_code):
            raise ApplicationError(
                "only the emergency's ward, district or the city's SOS team does this", type=RefusalKind.OUT_OF_SCOPE
            )

    @workflow.update
    async def claim(self, action: EmergencyAction) -> EmergencyAnswer:
        return await self._act(EmergencyEvent.CLAIMED, EmergencyState.CLAIMED, action.actor)

    @claim.validator
    def _validate_claim(self, action: EmergencyAction) -> None:
        self._check("claim", action, frozenset({EmergencyState.OPEN}))
        actor = action.actor
        if not (actor.role == Role.COMMUNITY_HELPER and actor.helper_id is not None):
            self._require_official(action)

    @workflow.update
    async def fulfil(self, action: EmergencyAction) -> EmergencyAnswer:
        return await self._act(EmergencyEvent.FULFILLED, EmergencyState.FULFILLED, action.actor, action.note)

    @fulfil.validator
    def _validate_fulfil(self, action: EmergencyAction) -> None:
        self._check("fulfil", action, frozenset({EmergencyState.CLAIMED}))
        actor = action.actor
        if self._claimer is None or self._claimer not in (actor.helper_id, actor.user_id):
            raise ApplicationError("only whoever claimed the emergency fulfils it", type=RefusalKind.OUT_OF_SCOPE)

    @workflow.update
    async def confirm(self, action: EmergencyAction) -> EmergencyAnswer:
        return await self._act(EmergencyEvent.CONFIRMED, EmergencyState.CONFIRMED, action.actor)

    @confirm.validator
    def _validate_confirm(self, action: EmergencyAction) -> None:
        self._check("confirm", action, frozenset({EmergencyState.FULFILLED}))
        if action.actor.role != Role.CITIZEN:
            raise ApplicationError("only the requester confirms", type=RefusalKind.OUT_OF_SCOPE)

    @workflow.update
    async def close(self, action: EmergencyAction) -> EmergencyAnswer:
        return await self._act(EmergencyEvent.CLOSED, EmergencyState.CLOSED, action.actor, action.note)

    @close.validator
    def _validate_close(self, action: EmergencyAction) -> None:
        self._check("close", action, ACTIVE_EMERGENCY_STATES)
        self._require_official(action)
        if not (action.note or "").strip():
            raise ApplicationError("closing an emergency needs a reason", type=RefusalKind.INVALID_DECISION)

    @workflow.update
    async def hide(self, action: EmergencyAction) -> EmergencyAnswer:
        return await self._act(EmergencyEvent.HIDDEN, EmergencyState.HIDDEN, action.actor, action.note)

    @hide.validator
    def _validate_hide(self, action: EmergencyAction) -> None:
        self._check("hide", action, ACTIVE_EMERGENCY_STATES)
        self._require_official(action)

    @workflow.query
    def state(self) -> EmergencyState:
        return self._state
