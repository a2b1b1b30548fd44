"""Officials decide and dispatch, couriers report, citizens and officials cancel: each one workflow update
(usecases/relief/actions.py), refused by the workflow's validator when the request cannot accept it now."""

from fastapi import APIRouter

from api.deps import CurrentPrincipal, IdempotencyKey, UseCases
from api.params import RequestCode
from domain.messages import UpdateResult
from usecases.relief import actions
from usecases.schemas.actions import AssignmentBody, CancellationBody, FailedAttemptBody, VerificationBody

router = APIRouter(prefix="/requests", tags=["actions"])


@router.post("/{code}/verification", response_model=UpdateResult)
async def decide_verification(
    code: RequestCode, body: VerificationBody, principal: CurrentPrincipal, ctx: UseCases, key: IdempotencyKey = None
) -> UpdateResult:
    return await actions.decide_verification(ctx, principal, code, body, key)


@router.post("/{code}/assignment", response_model=UpdateResult)
async def assign_courier(
    code: RequestCode, body: AssignmentBody, principal: CurrentPrincipal, ctx: UseCases, key: IdempotencyKey = None
) -> UpdateResult:
    return await actions.assign_courier(ctx, principal, code, body, key)


@router.post("/{code}/failed-attempts", response_model=UpdateResult)
async def report_failed_attempt(
    code: RequestCode, body: FailedAttemptBody, principal: CurrentPrincipal, ctx: UseCases, key: IdempotencyKey = None
) -> UpdateResult:
    return await actions.report_failed_attempt(ctx, principal, code, body, key)


@router.post("/{code}/cancellation", response_model=UpdateResult)
async def cancel(
    code: RequestCode,
    principal: CurrentPrincipal,
    ctx: UseCases,
    body: CancellationBody | None = None,
    key: IdempotencyKey = None,
) -> UpdateResult:
    return await actions.cancel(ctx, principal, code, body, key)
