"""Which failures of a database step a retry can mend.

A step that can never succeed must not be retried: the database refused the write (an integrity error: a check,
the delivery ledger's exclusion, a unique key, a foreign key) or one of our own rules broke (`RuleViolation`).
Those become non-retryable `ApplicationError`s with a `RefusalKind` type, which the workflow sees at once.
Everything else (a lost connection, a serialisation failure, a deadlock, an unforeseen error) is raised as it
is and retried by the workflow's bounded retry policy.
"""

import functools
from collections.abc import Awaitable, Callable
from typing import ParamSpec, TypeVar

import psycopg
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import IntegrityError as SQLAlchemyIntegrityError
from temporalio.exceptions import ApplicationError

from domain.refusals import RefusalKind, RuleViolation

_P = ParamSpec("_P")
_R = TypeVar("_R")


def permanent_failure(exc: BaseException) -> ApplicationError | None:
    """The non-retryable failure `exc` stands for, or None when a retry may succeed. The message names the
    error and the constraint only: the statement's parameters can hold personal data."""
    cause = exc.orig if isinstance(exc, DBAPIError) else exc
    if isinstance(exc, SQLAlchemyIntegrityError) or isinstance(cause, psycopg.errors.IntegrityError):
        constraint = cause.diag.constraint_name if isinstance(cause, psycopg.Error) else None
        return ApplicationError(
            f"the database refused the step: {type(cause).__name__} ({constraint or 'no constraint named'})",
            type=RefusalKind.INTEGRITY_VIOLATION,
            non_retryable=True,
        )
    if isinstance(exc, RuleViolation):
        return ApplicationError(str(exc), type=RefusalKind.RULE_VIOLATION, non_retryable=True)
    return None


def classify_failures(step: Callable[_P, Awaitable[_R]]) -> Callable[_P, Awaitable[_R]]:
    """Wraps an activity so that a failure no retry can mend is raised as non-retryable."""

    @functools.wraps(step)
    async def classified(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        try:
            return await step(*args, **kwargs)
        except Exception as exc:
            if (failure := permanent_failure(exc)) is not None:
                raise failure from None
            raise

    return classified
