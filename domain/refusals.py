"""Why the workflow refuses or cannot complete a person's action: one vocabulary for the workflow, the API and the
pages, each kind sent as an `ApplicationError`'s type.

Validators refuse an action before anything is written (OutOfScope … InvalidDecision). An action the workflow
accepted can still fail in its database step: the person is then answered StepFailed ("we could not record this
now; a supervisor has been alerted"), never left waiting, and the request is marked for a supervisor. The
activities say why a step can never succeed (IntegrityViolation, RuleViolation): those are not retried.
"""

from enum import StrEnum


class RefusalKind(StrEnum):
    # Refused by a validator: nothing was written.
    OUT_OF_SCOPE = "OutOfScope"
    # Not sent by the application: no valid signature (domain/action_signing.py), e.g. forged at Temporal's frontend.
    UNSIGNED = "Unsigned"
    WRONG_STAGE = "WrongStage"
    BUSY = "Busy"
    DUPLICATE = "Duplicate"
    INVALID_DECISION = "InvalidDecision"
    # Accepted, but its database step failed (or another step of the request did and waits for a supervisor).
    # Not the person's fault and not final: a supervisor's retry may still carry the action out (a 5xx).
    STEP_FAILED = "StepFailed"
    # An activity's non-retryable failures: the database refused the write, or one of our rules broke.
    INTEGRITY_VIOLATION = "IntegrityViolation"
    RULE_VIOLATION = "RuleViolation"


class RuleViolation(Exception):
    """Something our own rules make impossible happened (a claim taken under its row lock): retrying the step
    cannot help, so the activity fails it at once. The message must carry no personal data."""
