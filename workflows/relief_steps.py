"""How the relief-request workflow runs a database step, and what a failed step answers.

Steps are short idempotent transactions (activities.relief_request). One that fails for a passing reason is
retried within the policy's bound (attempts and total time); one that can never succeed is not retried at all
(activities.step_failures). Either way the workflow then gets the failure and marks the request for a
supervisor instead of looping: its history stays bounded and nobody's update hangs.
"""

from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any, TypeVar

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError, ApplicationError, FailureError
from temporalio.exceptions import TimeoutError as StepTimeoutError

with workflow.unsafe.imports_passed_through():
    from domain.policy import Policy
    from domain.refusals import RefusalKind
    from workflows.relief_versions import runs_local_steps

_R = TypeVar("_R")

# Database steps are short: a short timeout lets a killed worker's step be retried at once.
_START_TO_CLOSE = timedelta(seconds=15)


def _retry_policy(policy: Policy) -> RetryPolicy:
    return RetryPolicy(
        initial_interval=timedelta(milliseconds=200),
        maximum_interval=timedelta(seconds=10),
        maximum_attempts=policy.step_max_attempts,
    )


# How a step that failed for good reaches the workflow: a regular activity's failure wraps its cause in an
# ActivityError; a local activity's is the cause itself (its last ApplicationError, or a schedule-to-close timeout).
STEP_FAILURES = (ActivityError, ApplicationError, StepTimeoutError)


async def run_step(activity: Callable[[Any], Awaitable[_R]], arg: Any, policy: Policy) -> _R:
    """Runs one database step; raises one of STEP_FAILURES once it has failed for good."""
    options: dict[str, Any] = {
        "start_to_close_timeout": _START_TO_CLOSE,
        "schedule_to_close_timeout": policy.step_retry_within,
        "retry_policy": _retry_policy(policy),
    }
    if runs_local_steps():
        return await workflow.execute_local_activity(activity, arg, **options)
    return await workflow.execute_activity(activity, arg, **options)


def failure_summary(step: str, err: FailureError) -> str:
    """The step and why it failed, for the supervisor's detail view (the activities keep personal data out)."""
    cause = err.cause if isinstance(err, ActivityError) and err.cause else err
    why = cause.type if isinstance(cause, ApplicationError) and cause.type else type(cause).__name__
    return f"{step}: {why}"


def step_failed(message: str = "we could not record this now; a supervisor has been alerted") -> ApplicationError:
    """What a person's action is answered when its step failed, or when another step waits for a supervisor."""
    return ApplicationError(message, type=RefusalKind.STEP_FAILED)
