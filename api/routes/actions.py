"""Officials decide and dispatch, couriers report, citizens and officials cancel: each one workflow update.

The route authenticates, checks the caller may see the request (404 otherwise) and sends the update;
the workflow's validator refuses what the request cannot accept now.
"""

from fastapi import APIRouter, HTTPException, status

from api.deps import Audit, CurrentPrincipal, DbSession, TemporalClient
from api.lookup import visible_request
from api.schemas.actions import AssignmentBody, CancellationBody, FailedAttemptBody, VerificationBody
from api.schemas.text import RequestCode
from api.updates import IdempotencyKey, act
from domain.messages import Cancellation, CourierAssignment, FailedAttempt, UpdateResult, VerificationDecision
from services.staff import active_courier_ward

router = APIRouter(prefix="/requests", tags=["actions"])


@router.post("/{code}/verification", response_model=UpdateResult)
async def decide_verification(
    code: RequestCode,
    body: VerificationBody,
    principal: CurrentPrincipal,
    session: DbSession,
    client: TemporalClient,
    audit: Audit,
    idempotency_key: IdempotencyKey = None,
) -> UpdateResult:
    record = await visible_request(session, principal, code)
    await session.close()
    decision = VerificationDecision(
        actor=principal.actor(), approve=body.approve, reason=body.reason, same_household=body.same_household
    )
    return await act(
        client,
        audit,
        record,
        step="verification",
        update="decide_verification",
        message=decision,
        idempotency_key=idempotency_key,
    )


@router.post("/{code}/assignment", response_model=UpdateResult)
async def assign_courier(
    code: RequestCode,
    body: AssignmentBody,
    principal: CurrentPrincipal,
    session: DbSession,
    client: TemporalClient,
    audit: Audit,
    idempotency_key: IdempotencyKey = None,
) -> UpdateResult:
    record = await visible_request(session, principal, code)
    courier_ward = await active_courier_ward(session, body.courier_id)
    await session.close()
    if courier_ward != record.request.ward_code:
        raise HTTPException(
            status.HTTP_422_UNPROCESSABLE_CONTENT,
            detail=[
                {
                    "type": "courier_not_available",
                    "loc": ["body", "courier_id"],
                    "msg": f"courier_id is not an active courier of ward {record.request.ward_code}",
                    "input": str(body.courier_id),
                }
            ],
        )
    assignment = CourierAssignment(actor=principal.actor(), courier_id=body.courier_id, courier_ward_code=courier_ward)
    return await act(
        client,
        audit,
        record,
        step="assignment",
        update="assign_courier",
        message=assignment,
        idempotency_key=idempotency_key,
    )


@router.post("/{code}/failed-attempts", response_model=UpdateResult)
async def report_failed_attempt(
    code: RequestCode,
    body: FailedAttemptBody,
    principal: CurrentPrincipal,
    session: DbSession,
    client: TemporalClient,
    audit: Audit,
    idempotency_key: IdempotencyKey = None,
) -> UpdateResult:
    record = await visible_request(session, principal, code)
    await session.close()
    return await act(
        client,
        audit,
        record,
        step="failed-attempt",
        update="report_failed_attempt",
        message=FailedAttempt(actor=principal.actor(), reason=body.reason),
        idempotency_key=idempotency_key,
    )


@router.post("/{code}/cancellation", response_model=UpdateResult)
async def cancel(
    code: RequestCode,
    principal: CurrentPrincipal,
    session: DbSession,
    client: TemporalClient,
    audit: Audit,
    body: CancellationBody | None = None,
    idempotency_key: IdempotencyKey = None,
) -> UpdateResult:
    record = await visible_request(session, principal, code)
    await session.close()
    return await act(
        client,
        audit,
        record,
        step="cancellation",
        update="cancel",
        message=Cancellation(actor=principal.actor(record.request.household_id), reason=body.reason if body else None),
        idempotency_key=idempotency_key,
    )
