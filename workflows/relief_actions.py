"""The people's actions a relief request is processing: one at a time, each answered exactly once."""

from typing import TypeVar, cast

from temporalio import workflow
from temporalio.exceptions import ApplicationError

with workflow.unsafe.imports_passed_through():
    from domain.messages import (
        Cancellation,
        CourierAssignment,
        DeliveryProof,
        FailedAttempt,
        UpdateResult,
        VerificationDecision,
    )

HumanAction = VerificationDecision | CourierAssignment | DeliveryProof | FailedAttempt | Cancellation
_A = TypeVar("_A")


class ActionInbox:
    """An update handler submits its action and waits here for the answer the workflow gives it: the stage the
    action led to, or an error (StepFailed) when its database step failed. An action answered StepFailed stays
    pending, so a supervisor's retry of that step still carries it out."""

    def __init__(self) -> None:
        self.pending: tuple[int, HumanAction] | None = None
        self._numbered = 0
        self._answered_up_to = 0  # numbered in order, processed one at a time
        self._answers: dict[int, UpdateResult | ApplicationError] = {}

    async def submit(self, action: HumanAction) -> UpdateResult:
        self._numbered += 1
        number = self._numbered
        self.pending = (number, action)
        await workflow.wait_condition(lambda: number in self._answers)
        answer = self._answers.pop(number)
        if isinstance(answer, ApplicationError):
            raise answer
        return answer

    def take(self, kind: type[_A]) -> tuple[int, _A] | None:
        """The pending action if it is a `kind`."""
        if self.pending is not None and isinstance(self.pending[1], kind):
            return cast(tuple[int, _A], self.pending)
        return None

    def answer(self, number: int, answer: UpdateResult | ApplicationError) -> None:
        """Answers action `number` unless it was answered already."""
        if number > self._answered_up_to:
            self._answers[number] = answer
            self._answered_up_to = number

    def answer_pending(self, answer: UpdateResult | ApplicationError) -> None:
        if self.pending is not None:
            self.answer(self.pending[0], answer)

    def close(self, number: int, answer: UpdateResult) -> None:
        """The action's step is done: answer it and take the next."""
        self.answer(number, answer)
        self.pending = None
