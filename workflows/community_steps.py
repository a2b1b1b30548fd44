"""What the community's workflows (a pledge, an emergency) share: each person's action and each timer is one step,
an activity that moves the row and writes the event, and while a step runs other actions are refused Busy.

A person waits for their step: a bounded retry, then "send it again" (StepFailed, nothing written). A timer's step
retries until the database answers (nobody waits on it, and its retries add nothing to the history); one that only
tells people (no state change) and is refused for good is logged, not worth failing the workflow for.
"""

from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from enum import Enum
from typing import Any, Generic, Protocol, TypeVar

from pydantic import BaseModel
from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError, ApplicationError

with workflow.unsafe.imports_passed_through():
    from domain import action_signing
    from domain.refusals import RefusalKind

START_TO_CLOSE = timedelta(seconds=15)
STEP_RETRY = RetryPolicy(initial_interval=timedelta(milliseconds=200), maximum_interval=timedelta(seconds=10))
PERSON_STEP_WITHIN = timedelta(minutes=1)

StateT = TypeVar("StateT", bound=Enum)
_State_co = TypeVar("_State_co", covariant=True)


class Answer(Protocol[_State_co]):
    @property
    def state(self) -> _State_co: ...


StepT = TypeVar("StepT")
AnswerT = TypeVar("AnswerT", bound=Answer[Any])


class CommunitySteps(Generic[StepT, AnswerT, StateT]):
    """Called from the workflow's own init with what it is called ("pledge"), its code, its first state and the
    activity that records one step."""

    def __init__(self, noun: str, code: str, state: StateT, record: Callable[[StepT], Awaitable[AnswerT]]) -> None:
        self._noun = noun
        self._code = code
        self._state = state
        self._record = record
        self._busy = False  # a step is running: actions are refused Busy meanwhile

    def _enter(self, state: StateT) -> None:
        """Each workflow's own: the new state, its timers' marks and its search attributes."""
        raise NotImplementedError

    async def _until(self, done: Callable[[], bool], at: datetime) -> bool:
        """Whether `done` came true before `at` (a step running when the time came is let finish first)."""
        left = at - workflow.now()
        if left > timedelta(0):
            try:
                await workflow.wait_condition(done, timeout=left)
                return True
            except TimeoutError:
                pass
        await workflow.wait_condition(lambda: not self._busy)
        return done()

    async def _run_timer_step(self, step: StepT, moves: bool, event: str) -> None:
        """A timer's step; `moves`: it changes the state, so it must be written (else it only tells people)."""
        self._busy = True
        try:
            answer = await self._run(step, schedule_to_close=None)
        except ActivityError:
            if not moves:
                workflow.logger.warning("%s %s: its %s could not be recorded", self._noun, self._code, event)
                return
            raise
        finally:
            self._busy = False
        self._enter(answer.state)

    async def _run_person_step(self, step: StepT) -> AnswerT:
        """A person's step: answered StepFailed if the database cannot record it now (they may send it again)."""
        self._busy = True
        try:
            answer = await self._run(step, schedule_to_close=PERSON_STEP_WITHIN)
        except ActivityError:
            raise ApplicationError(
                "we could not record this now; nothing was written, please send it again", type=RefusalKind.STEP_FAILED
            ) from None
        finally:
            self._busy = False
        return answer

    async def _run(self, step: StepT, schedule_to_close: timedelta | None) -> AnswerT:
        return await workflow.execute_activity(
            self._record,
            step,
            start_to_close_timeout=START_TO_CLOSE,
            schedule_to_close_timeout=schedule_to_close,
            retry_policy=STEP_RETRY,
        )

    def _check(self, update: str, action: BaseModel, states: frozenset[StateT]) -> None:
        """An update's validator: refused before anything is written when unsigned, busy or in the wrong state."""
        if not action_signing.is_signed(self._code, update, action, getattr(action, "signature", None)):
            raise ApplicationError("this action was not sent by the application", type=RefusalKind.UNSIGNED)
        if self._busy:
            raise ApplicationError(f"this {self._noun} is being processed; try again shortly", type=RefusalKind.BUSY)
        if self._state not in states:
            raise ApplicationError(f"this {self._noun} is {self._state.value}", type=RefusalKind.WRONG_STAGE)
