"""One pledge of cash support, from the helper's promise until the money is confirmed or the amount is free again.

Pledged, the workflow waits for the helper's `transferred` or `release` until `pledge_transfer_within` has passed;
then the pledge expires and its amount is offered again. Transferred, it waits for the household's `confirm` or
`not_arrived`: the household is reminded at `confirm_reminder_after`, the ward asked at `confirm_ward_after`. A
disputed pledge, or one the ward was asked about, waits for the ward's `resolve` (the money arrived, or never
did), and the ward is asked again every `confirm_ward_after` until it decides. Each update's validator refuses,
before anything is written, an unsigned action, someone other than the helper / the household / the ward in scope,
and the wrong state; each accepted action runs one activity that moves the pledge and writes the messages.
Whenever what the need holds changes for good (confirmed, expired, released), the relief request's workflow is
signalled `support_changed`. The pledge's search attributes say its state, district, ward and whether it is
overdue: nothing about anyone.
"""

from datetime import datetime
from typing import Any
from uuid import UUID

from temporalio import workflow
from temporalio.common import SearchAttributePair, TypedSearchAttributes
from temporalio.exceptions import ApplicationError, FailureError

with workflow.unsafe.imports_passed_through():
    from activities import pledge as acts
    from domain import names
    from domain.cash import PledgeState
    from domain.pledges import PledgeAction, PledgeAnswer, PledgeEvent, PledgeInput, PledgeStep, WardResolution
    from domain.refusals import RefusalKind
    from domain.roles import Role
    from workflows.community_steps import CommunitySteps

PLEDGE_KIND = "pledge"
SUPPORT_CHANGED = "support_changed"  # the relief request's signal, by name (its workflow is not imported here)


def pledge_search_attributes(inp: PledgeInput, state: PledgeState, overdue: bool) -> list[tuple[Any, Any]]:
    return [
        (names.SA_KIND, PLEDGE_KIND),
        (names.SA_STAGE, state.value),
        (names.SA_DISTRICT, inp.district_code),
        (names.SA_WARD, inp.ward_code),
        (names.SA_OVERDUE, overdue),
    ]


def start_search_attributes(inp: PledgeInput) -> TypedSearchAttributes:
    return TypedSearchAttributes(
        [SearchAttributePair(key, value) for key, value in pledge_search_attributes(inp, PledgeState.PLEDGED, False)]
    )


@workflow.defn
class PledgeWorkflow(CommunitySteps[PledgeStep, PledgeAnswer, PledgeState]):
    @workflow.init
    def __init__(self, inp: PledgeInput) -> None:
        super().__init__(PLEDGE_KIND, inp.code, PledgeState.PLEDGED, acts.record_pledge_step)
        self._inp = inp
        self._seq = 1  # the pledge's first messages, written with its row
        self._ward_asked = False
        self._transferred_at: datetime | None = None

    @workflow.run
    async def run(self, inp: PledgeInput) -> PledgeAnswer:
        policy = inp.policy
        paid = lambda: self._state != PledgeState.PLEDGED  # noqa: E731
        if not await self._until(paid, workflow.info().workflow_start_time + policy.pledge_transfer_within):
            await self._timer_step(PledgeEvent.EXPIRED, PledgeState.EXPIRED)
        if self._state == PledgeState.TRANSFERRED and self._transferred_at is not None:
            waiting = lambda: self._state != PledgeState.TRANSFERRED  # noqa: E731
            if not await self._until(waiting, self._transferred_at + policy.confirm_reminder_after):
                await self._timer_step(PledgeEvent.CONFIRM_REMINDER, None)
            if not await self._until(waiting, self._transferred_at + policy.confirm_ward_after):
                await self._ask_ward()
        while not self._state.is_final:  # disputed, or unconfirmed and with the ward: the ward decides
            if not await self._until(lambda: self._state.is_final, workflow.now() + policy.confirm_ward_after):
                await self._ask_ward()
        await self._support_changed()
        await workflow.wait_condition(workflow.all_handlers_finished)
        return PledgeAnswer(state=self._state)

    async def _support_changed(self) -> None:
        """Tells the relief request that what its need holds has changed for good (by name: the two workflows
        share no code)."""
        request = workflow.get_external_workflow_handle(names.workflow_id(self._inp.request_code))
        try:
            await request.signal(SUPPORT_CHANGED)
        except FailureError:
            workflow.logger.info("the request's workflow of pledge %s is closed", self._inp.code)

    async def _ask_ward(self) -> None:
        self._ward_asked = True
        await self._timer_step(PledgeEvent.WARD_ASKED, None)

    async def _timer_step(self, event: PledgeEvent, to: PledgeState | None) -> None:
        await self._run_timer_step(self._step(event, to), moves=to is not None, event=event.value)

    async def _act(
        self, event: PledgeEvent, to: PledgeState, decided_by: UUID | None = None, note: str | None = None
    ) -> PledgeAnswer:
        answer = await self._run_person_step(self._step(event, to, decided_by, note))
        self._enter(answer.state)
        return answer

    def _step(
        self, event: PledgeEvent, to: PledgeState | None, decided_by: UUID | None = None, note: str | None = None
    ) -> PledgeStep:
        self._seq += 1
        inp = self._inp
        return PledgeStep(
            pledge_id=inp.pledge_id,
            code=inp.code,
            seq=self._seq,
            at=workflow.now(),
            event=event,
            to=to,
            decided_by=decided_by,
            note=note,
            policy=inp.policy,
        )

    def _enter(self, state: PledgeState) -> None:
        self._state = state
        if state == PledgeState.TRANSFERRED and self._transferred_at is None:
            self._transferred_at = workflow.now()
        overdue = self._ward_asked and not state.is_final
        workflow.upsert_search_attributes(
            [key.value_set(value) for key, value in pledge_search_attributes(self._inp, state, overdue)]
        )

    # --- people's actions -------------------------------------------------------------------------

    def _require_helper(self, action: PledgeAction) -> None:
        actor = action.actor
        if actor.role != Role.COMMUNITY_HELPER or actor.helper_id != self._inp.helper_id:
            raise ApplicationError("only the helper who pledged does this", type=RefusalKind.OUT_OF_SCOPE)

    def _require_household(self, action: PledgeAction) -> None:
        actor = action.actor
        if actor.role != Role.CITIZEN or self._inp.household_id not in actor.household_ids:
            raise ApplicationError("only the household says whether the money arrived", type=RefusalKind.OUT_OF_SCOPE)

    @workflow.update
    async def transferred(self, action: PledgeAction) -> PledgeAnswer:
        return await self._act(PledgeEvent.TRANSFERRED, PledgeState.TRANSFERRED)

    @transferred.validator
    def _validate_transferred(self, action: PledgeAction) -> None:
        self._check("transferred", action, frozenset({PledgeState.PLEDGED}))
        self._require_helper(action)

    @workflow.update
    async def release(self, action: PledgeAction) -> PledgeAnswer:
        return await self._act(PledgeEvent.RELEASED, PledgeState.RELEASED)

    @release.validator
    def _validate_release(self, action: PledgeAction) -> None:
        self._check("release", action, frozenset({PledgeState.PLEDGED}))
        self._require_helper(action)

    @workflow.update
    async def confirm(self, action: PledgeAction) -> PledgeAnswer:
        return await self._act(PledgeEvent.CONFIRMED, PledgeState.CONFIRMED)

    @confirm.validator
    def _validate_confirm(self, action: PledgeAction) -> None:
        # A household that said "not arrived" may still find it did: its word closes the dispute.
        self._check("confirm", action, frozenset({PledgeState.TRANSFERRED, PledgeState.DISPUTED}))
        self._require_household(action)

    @workflow.update
    async def not_arrived(self, action: PledgeAction) -> PledgeAnswer:
        return await self._act(PledgeEvent.DISPUTED, PledgeState.DISPUTED, note=action.note)

    @not_arrived.validator
    def _validate_not_arrived(self, action: PledgeAction) -> None:
        self._check("not_arrived", action, frozenset({PledgeState.TRANSFERRED}))
        self._require_household(action)

    @workflow.update
    async def resolve(self, resolution: WardResolution) -> PledgeAnswer:
        if resolution.arrived:
            event, to = PledgeEvent.RESOLVED_ARRIVED, PledgeState.CONFIRMED
        else:
            event, to = PledgeEvent.RESOLVED_NEVER_ARRIVED, PledgeState.RELEASED
        return await self._act(event, to, decided_by=resolution.actor.user_id, note=resolution.note)

    @resolve.validator
    def _validate_resolve(self, resolution: WardResolution) -> None:
        self._check("resolve", resolution, frozenset({PledgeState.TRANSFERRED, PledgeState.DISPUTED}))
        if self._state == PledgeState.TRANSFERRED and not self._ward_asked:
            raise ApplicationError("the household has not been asked long enough yet", type=RefusalKind.WRONG_STAGE)
        actor, inp = resolution.actor, self._inp
        in_scope = actor.user_id is not None and (
            (actor.role == Role.WARD_OFFICIAL and actor.ward_code == inp.ward_code)
            or (actor.role == Role.DISTRICT_OFFICIAL and actor.district_code == inp.district_code)
            or actor.role == Role.CITY_OFFICIAL
        )
        if not in_scope:
            raise ApplicationError("only the pledge's ward, district or city decides", type=RefusalKind.OUT_OF_SCOPE)

    @workflow.query
    def state(self) -> PledgeState:
        return self._state
