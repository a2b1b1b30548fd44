"""What officials, couriers and citizens do to one request: decide, assign, deliver, report a failed attempt,
cancel. Each loads the request through the caller's scope (NotFound otherwise), sends one workflow update, and
audits the answer, accepted or refused; the workflow's validator refuses what the request cannot accept now.
"""

from typing import Any

from temporalio.service import RPCError, RPCStatusCode
from temporalio.workflow import UpdateMethodMultiParam

from domain.messages import (
    Cancellation,
    CourierAssignment,
    DeliveryProof,
    FailedAttempt,
    HumanAction,
    UpdateResult,
    VerificationDecision,
)
from domain.refusals import RefusalKind
from domain.stages import Stage
from services import delivery, photo_uses
from services.request_reads import RequestRecord
from services.staff import active_courier_ward
from usecases import photo_uploads
from usecases.access import visible_request
from usecases.audit import Auditor
from usecases.context import Context
from usecases.errors import InvalidInput
from usecases.principal import Principal
from usecases.relief import workflow_gateway as gateway
from usecases.schemas.actions import AssignmentBody, CancellationBody, FailedAttemptBody, VerificationBody
from workflows.relief_request import ReliefRequestWorkflow

Update = UpdateMethodMultiParam[[ReliefRequestWorkflow, Any], UpdateResult]


def update_id(step: str, principal: Principal, record: RequestRecord, idempotency_key: str | None) -> str:
    """Temporal answers a repeated update ID with the first update's result, without running the validator.
    So the ID names the person acting: one person's double tap (or retry with their key) is one decision, while
    another person's action is a new update that the validator judges on its own, and a client's key is scoped
    to whoever sent it."""
    who = principal.acting_key
    if idempotency_key:
        return f"{step}-{who}-key-{idempotency_key}"
    return f"{step}-{who}-{record.request.stage_seq}"


async def _act(
    ctx: Context,
    principal: Principal,
    record: RequestRecord,
    *,
    step: str,
    update: Update,
    message: HumanAction,
    idempotency_key: str | None,
) -> UpdateResult:
    """Sends the update; a refusal propagates as gateway.ActionRefused, audited."""
    await ctx.session.close()  # no connection held while the workflow works
    audit: Auditor = ctx.auditor(principal)
    code = record.request.code
    uid = update_id(step, principal, record, idempotency_key)
    try:
        try:
            result = await gateway.send(ctx.temporal, code, update, message, uid)
        except RPCError as err:
            if err.status not in (RPCStatusCode.NOT_FOUND, RPCStatusCode.FAILED_PRECONDITION):
                raise
            if await gateway.is_running(ctx.temporal, code):
                # FAILED_PRECONDITION also means the workflow's task is failing for now (e.g. a worker overloaded
                # past the task timeout): the action was not taken and may be sent again.
                raise gateway.ActionRefused(
                    RefusalKind.BUSY, "the request is being processed; try again shortly"
                ) from err
            raise gateway.ActionRefused(
                RefusalKind.WRONG_STAGE, "the request is closed and accepts no more actions"
            ) from err
    except gateway.ActionRefused as refused:
        await audit.record(f"{step}_refused", record.request, kind=refused.kind)
        raise
    await audit.record(step, record.request, update_id=uid, stage=result.stage.value)
    return result


async def decide_verification(
    ctx: Context, principal: Principal, code: str, body: VerificationBody, idempotency_key: str | None = None
) -> UpdateResult:
    record = await visible_request(ctx.session, principal, code)
    decision = VerificationDecision(
        actor=principal.actor(), approve=body.approve, reason=body.reason, same_household=body.same_household
    )
    return await _act(
        ctx,
        principal,
        record,
        step="verification",
        update=ReliefRequestWorkflow.decide_verification,
        message=decision,
        idempotency_key=idempotency_key,
    )


async def assign_courier(
    ctx: Context, principal: Principal, code: str, body: AssignmentBody, idempotency_key: str | None = None
) -> UpdateResult:
    record = await visible_request(ctx.session, principal, code)
    courier_ward = await active_courier_ward(ctx.session, body.courier_id)
    if courier_ward != record.request.ward_code:
        raise InvalidInput.field(
            "courier_id", "courier_not_available", input=str(body.courier_id), ward=record.request.ward_code
        )
    assignment = CourierAssignment(actor=principal.actor(), courier_id=body.courier_id, courier_ward_code=courier_ward)
    return await _act(
        ctx,
        principal,
        record,
        step="assignment",
        update=ReliefRequestWorkflow.assign_courier,
        message=assignment,
        idempotency_key=idempotency_key,
    )


async def report_failed_attempt(
    ctx: Context, principal: Principal, code: str, body: FailedAttemptBody, idempotency_key: str | None = None
) -> UpdateResult:
    record = await visible_request(ctx.session, principal, code)
    return await _act(
        ctx,
        principal,
        record,
        step="failed-attempt",
        update=ReliefRequestWorkflow.report_failed_attempt,
        message=FailedAttempt(actor=principal.actor(), reason=body.reason),
        idempotency_key=idempotency_key,
    )


async def cancel(
    ctx: Context, principal: Principal, code: str, body: CancellationBody | None, idempotency_key: str | None = None
) -> UpdateResult:
    record = await visible_request(ctx.session, principal, code)
    cancellation = Cancellation(
        actor=principal.actor(record.request.household_id), reason=body.reason if body else None
    )
    return await _act(
        ctx,
        principal,
        record,
        step="cancellation",
        update=ReliefRequestWorkflow.cancel,
        message=cancellation,
        idempotency_key=idempotency_key,
    )


async def confirm_delivery(
    ctx: Context,
    principal: Principal,
    code: str,
    *,
    photo: bytes,
    photo_name: str | None,
    recipient_national_id: str,
    recipient_phone: str,
    recipient_relationship: str | None = None,
    latitude: float | None = None,
    longitude: float | None = None,
    idempotency_key: str | None = None,
) -> UpdateResult:
    """The courier's proof: the photo is checked and re-encoded off the API's own process, then sent. A request
    that is not out for delivery is refused before the photo is decoded or kept (a large photo costs seconds of
    CPU), and a photo whose proof the workflow refused is not kept either."""
    record = await visible_request(ctx.session, principal, code)
    if record.request.stage != Stage.OUT_FOR_DELIVERY.value:
        refused = gateway.ActionRefused(
            RefusalKind.WRONG_STAGE, f"the request is {record.request.stage}, not out for delivery"
        )
        await ctx.auditor(principal).record("delivery_refused", record.request, kind=refused.kind)
        raise refused
    relationship = await _stated_recipient(ctx, record, recipient_national_id, recipient_relationship)
    settings = ctx.settings
    stored = await photo_uploads.keep(ctx, photo, photo_name)
    proof = DeliveryProof(
        actor=principal.actor(),
        photo_path=stored.relative_path,
        photo_sha256=stored.sha256,
        recipient_national_id=recipient_national_id,
        recipient_phone=recipient_phone,
        recipient_relationship=relationship,
        latitude=latitude,
        longitude=longitude,
    )
    try:
        return await _act(
            ctx,
            principal,
            record,
            step="delivery",
            update=ReliefRequestWorkflow.confirm_delivery,
            message=proof,
            idempotency_key=idempotency_key,
        )
    except gateway.ActionRefused:
        await photo_uses.delete_unnamed(ctx.session, settings.photo_dir, [stored.relative_path])
        raise


async def _stated_recipient(
    ctx: Context, record: RequestRecord, recipient_national_id: str, stated: str | None
) -> str | None:
    """A recipient who is not a member of the household is told to the courier before anything is recorded:
    the courier must say who received the bag, and the delivery then waits for the ward's review. For a member,
    nothing needs saying (and nothing said is kept)."""
    household_id = record.request.household_id
    if household_id is None or await delivery.recipient_is_member(ctx.session, household_id, recipient_national_id):
        return None
    stated = (stated or "").strip()
    if len(stated) < 2:
        raise InvalidInput.field("recipient_relationship", "recipient_not_member")
    return stated[:300]
