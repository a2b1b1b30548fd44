"""What the relief request's update validators refuse, before anything is written to history.

Each check raises an `ApplicationError` whose type is a `RefusalKind`; the API maps the kind to a status.
"""

from uuid import UUID

from temporalio import workflow
from temporalio.exceptions import ApplicationError

with workflow.unsafe.imports_passed_through():
    from domain import action_signing
    from domain.messages import (
        Actor,
        CourierAssignment,
        HumanAction,
        RequestInput,
        RequestState,
        VerificationDecision,
    )
    from domain.refusals import RefusalKind
    from domain.roles import Role
    from domain.scope import may_cancel, may_decide
    from domain.stages import Stage
    from workflows.relief_steps import step_failed

# Who may run a failed step again: they see every request and its failure in the Temporal UI.
RETRY_ROLES = frozenset({Role.SUPERVISOR, Role.CITY_OFFICIAL})


def check_signed(code: str, update: str, action: HumanAction) -> None:
    """Refuses an action the application did not sign: someone at Temporal's frontend can name any actor."""
    if not action_signing.is_signed(code, update, action, action.signature):
        raise ApplicationError("this action was not sent by the application", type=RefusalKind.UNSIGNED)


def _busy() -> ApplicationError:
    return ApplicationError("another action on this request is being processed; try again", type=RefusalKind.BUSY)


def refuse_while_stuck(state: RequestState) -> None:
    if state.needs_attention:
        raise step_failed("a step of this request failed and waits for a supervisor; try again later")


def require_open(
    state: RequestState, open_task: Stage | None, busy: bool, stages: tuple[Stage, ...], what: str
) -> None:
    """The request waits for this kind of action now, and is not processing another."""
    refuse_while_stuck(state)
    if open_task not in stages:
        if state.stage in stages:  # between two steps, e.g. during automatic dispatch
            raise ApplicationError("the request is being processed; try again shortly", type=RefusalKind.BUSY)
        raise ApplicationError(
            f"the request is {state.stage.value}, not waiting for {what}", type=RefusalKind.WRONG_STAGE
        )
    if busy:
        raise _busy()


def check_decision(inp: RequestInput, state: RequestState, decision: VerificationDecision) -> None:
    if not may_decide(decision.actor, inp.ward_code, inp.district_code, state.escalation):
        raise ApplicationError("this request is not in your scope to decide", type=RefusalKind.OUT_OF_SCOPE)
    if not decision.approve and not (decision.reason or "").strip():
        raise ApplicationError("a rejection needs a reason", type=RefusalKind.INVALID_DECISION)
    admission = state.admission
    if decision.approve and admission and admission.probable_duplicate_of and decision.same_household is None:
        raise ApplicationError(
            "this household may be the same as another: say whether it is (same_household)",
            type=RefusalKind.INVALID_DECISION,
        )


def check_assignment(inp: RequestInput, state: RequestState, assignment: CourierAssignment) -> None:
    if not may_decide(assignment.actor, inp.ward_code, inp.district_code, state.escalation):
        raise ApplicationError("this request is not in your scope to dispatch", type=RefusalKind.OUT_OF_SCOPE)
    if assignment.courier_ward_code != inp.ward_code:
        raise ApplicationError("the courier does not work in this request's ward", type=RefusalKind.OUT_OF_SCOPE)
    if assignment.courier_id == state.courier_id:
        raise ApplicationError("this courier is already assigned", type=RefusalKind.DUPLICATE)


def check_courier(state: RequestState, user_id: UUID | None, role: Role) -> None:
    if role != Role.COURIER or user_id is None or user_id != state.courier_id:
        raise ApplicationError("this delivery is not assigned to you", type=RefusalKind.OUT_OF_SCOPE)


def check_cancel(inp: RequestInput, state: RequestState, busy: bool, actor: Actor) -> None:
    if state.stage.is_final or state.stage == Stage.REGISTERED:
        raise ApplicationError(
            f"the request is {state.stage.value} and cannot be cancelled", type=RefusalKind.WRONG_STAGE
        )
    if state.need_withdrawn:
        raise ApplicationError(
            "the cash need is withdrawn and closes when its last pledges end", type=RefusalKind.WRONG_STAGE
        )
    refuse_while_stuck(state)
    if busy:
        raise _busy()
    if not may_cancel(actor, inp.ward_code, inp.district_code, state.household_id):
        raise ApplicationError("this request is not yours to cancel", type=RefusalKind.OUT_OF_SCOPE)


def check_retry(state: RequestState, actor: Actor, retry_running: bool) -> None:
    if actor.role not in RETRY_ROLES:
        raise ApplicationError("only a supervisor may retry a failed step", type=RefusalKind.OUT_OF_SCOPE)
    if not state.needs_attention:
        raise ApplicationError("no step of this request waits for a retry", type=RefusalKind.WRONG_STAGE)
    if retry_running:
        raise ApplicationError("a retry of this step is already running", type=RefusalKind.BUSY)
