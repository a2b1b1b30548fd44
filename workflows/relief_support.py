"""The tail of a cash request after the ward's approval: the `awaiting_support` stage.

The need is published (helpers pledge to it through their own workflows), then the request waits for the
`support_changed` signal those workflows send when a pledge is confirmed, expires or is released, and reads the
need's totals from the ledger: once fully confirmed the need closes and the request is `supported`. When the
publication's deadline passes (CashPolicy.need_published_for), or the request is cancelled, the need is
withdrawn: no new pledges, while live ones run to their end (their own timers end each). The request then waits
for them, reading the totals at each signal and every `support_recheck_every`, and closes `supported` if any
money was confirmed, else `expired` (or `cancelled`). Cancelling is refused once the need is withdrawn.

Everything before approval (admission, duplicate check, verification with its reminders, escalation and expiry,
cancellation, supervisors' retries, the projection and search attributes) is the relief request's own: a cash
request is the same workflow with another tail, not a sibling that would copy those.
"""

from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from activities import cash_support as acts
    from domain.activity_io import CloseSupportInput, SupportTotals
    from domain.cash import CashNeedRequest, vnd
    from domain.messages import Cancellation, RequestInput, RequestState, Transition
    from domain.stages import EventType, Stage
    from workflows.relief_actions import ActionInbox

MakeTransition = Callable[..., Transition]
Commit = Callable[..., None]


class SupportStage:
    """Runs the `awaiting_support` stage with the request's own step runner, transitions and commit, so failed
    steps, the projection and the answers to people's actions behave as in every other stage."""

    def __init__(
        self,
        inp: RequestInput,
        state: RequestState,
        actions: ActionInbox,
        step: Callable[[Callable[[Any], Awaitable[Any]], Any], Awaitable[Any]],
        transition: MakeTransition,
        commit: Commit,
    ) -> None:
        self._inp = inp
        self._state = state
        self._actions = actions
        self._step = step
        self._transition = transition
        self._commit = commit
        self.news = False  # a support_changed signal came since the last reading
        # How the request ends when no money was confirmed: the event and detail of that last stage change.
        self._unsupported: tuple[EventType, dict[str, str | int | bool | None]] = (EventType.SUPPORT_EXPIRED, {})

    @property
    def _cash(self) -> CashNeedRequest:
        assert self._inp.cash is not None
        return self._inp.cash

    async def next_step(self) -> None:
        if not self._state.need_published:
            await self._publish()
        elif not self._state.need_withdrawn:
            await self._while_published()
        else:
            await self._while_withdrawn()

    async def _publish(self) -> None:
        t = self._transition(
            Stage.AWAITING_SUPPORT, EventType.NEED_PUBLISHED, notify_citizen=True, deadline_at=self._state.deadline_at
        )
        await self._step(acts.publish_need, t)
        self._state.need_published = True
        self._commit(t)

    async def _while_published(self) -> None:
        """Until the publication's deadline: a signal reads the totals, a cancellation withdraws the need."""
        deadline = self._state.deadline_at
        assert deadline is not None
        remaining = deadline - workflow.now()
        if remaining > timedelta(0):
            try:
                await workflow.wait_condition(
                    lambda: self.news or self._actions.take(Cancellation) is not None, timeout=remaining
                )
            except TimeoutError:
                pass
        if (action := self._actions.take(Cancellation)) is not None:
            number, cancellation = action
            detail: dict[str, str | int | bool | None] = {
                "by": cancellation.actor.role.value,
                "reason": cancellation.reason,
            }
            self._unsupported = (EventType.CANCELLED, detail)
            await self._withdraw(Stage.CANCELLED, detail, actor_id=cancellation.actor.user_id, number=number)
        elif self.news:
            self.news = False
            totals = await self._read()
            if totals.fully_confirmed:
                await self._close(None)
        else:
            await self._withdraw(Stage.EXPIRED, {"reason": "deadline"})

    async def _while_withdrawn(self) -> None:
        """Live pledges end by their own timers; each end is signalled, and the totals are read again on a timer
        besides, so a lost signal only delays the close."""
        try:
            await workflow.wait_condition(lambda: self.news, timeout=self._cash.policy.support_recheck_every)
        except TimeoutError:
            pass
        self.news = False
        totals = await self._read()
        if totals.live == 0:
            await self._close(None)

    async def _withdraw(
        self, ends_as: Stage, detail: dict[str, str | int | bool | None], number: int | None = None, **fields: Any
    ) -> None:
        t = self._transition(
            Stage.AWAITING_SUPPORT, EventType.NEED_WITHDRAWN, detail=detail, notify_citizen=True, **fields
        )
        totals: SupportTotals = await self._step(acts.withdraw_need, t)
        self._state.need_withdrawn = True
        self._state.unsupported_ends_as = ends_as
        self._note(totals)
        if totals.live == 0:
            self._commit(t)
            await self._close(number)
        else:
            self._commit(t, number)

    async def _read(self) -> SupportTotals:
        totals: SupportTotals = await self._step(acts.read_support, self._inp.request_id)
        self._note(totals)
        return totals

    def _note(self, totals: SupportTotals) -> None:
        self._state.amount_pledged = totals.pledged
        self._state.amount_confirmed = totals.confirmed

    async def _close(self, number: int | None) -> None:
        """No live pledge is left (or the need is fully confirmed): nothing can change its totals any more."""
        confirmed = self._state.amount_confirmed
        supported = self._transition(
            Stage.SUPPORTED,
            EventType.SUPPORTED,
            detail={"amount_confirmed": confirmed, "amount_text": vnd(confirmed)},
            notify_citizen=True,
        )
        event, detail = self._unsupported
        unsupported = supported.model_copy(
            update={"stage": self._state.unsupported_ends_as or Stage.EXPIRED, "event": event, "detail": detail}
        )
        closing = CloseSupportInput(
            supported=supported, unsupported=unsupported, window=self._cash.policy.entitlement_window
        )
        stage: Stage = await self._step(acts.close_support, closing)
        self._commit(supported if stage == Stage.SUPPORTED else unsupported, number)
