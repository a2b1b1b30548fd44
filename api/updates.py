"""Sending a person's action to the request's workflow, once: the update ID and the refusal mapping."""

from typing import Annotated

from fastapi import Header
from temporalio.client import Client
from temporalio.service import RPCError, RPCStatusCode

from api import workflow_gateway as gateway
from api.audit import Auditor
from domain.messages import UpdateResult
from services.request_reads import RequestRecord

IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=100,
        pattern=r"^[A-Za-z0-9._:\-]+$",
        description="repeat the same key to repeat the same action safely; by default the request's current "
        "stage is the key, so a double tap is one decision",
    ),
]

# Validator refusals: OutOfScope is 403, the rest say "not now / not again" (409).
REFUSAL_STATUS = {"OutOfScope": 403, "WrongStage": 409, "Busy": 409, "Duplicate": 409, "InvalidDecision": 409}


def update_id(step: str, record: RequestRecord, idempotency_key: str | None) -> str:
    if idempotency_key:
        return f"{step}-key-{idempotency_key}"
    return f"{step}-{record.request.stage_seq}"


async def act(
    client: Client,
    audit: Auditor,
    record: RequestRecord,
    *,
    step: str,
    update: str,
    message: object,
    idempotency_key: str | None,
) -> UpdateResult:
    """Sends the update; a refusal propagates as gateway.ActionRefused (mapped by api.errors)."""
    code = record.request.code
    uid = update_id(step, record, idempotency_key)
    try:
        try:
            result = await gateway.send(client, code, update, message, uid)
        except RPCError as err:
            if err.status not in (RPCStatusCode.NOT_FOUND, RPCStatusCode.FAILED_PRECONDITION):
                raise
            if await gateway.is_running(client, code):
                # FAILED_PRECONDITION also means the workflow's task is failing for now (e.g. a worker overloaded
                # past the task timeout): the action was not taken and may be sent again.
                raise gateway.ActionRefused("Busy", "the request is being processed; try again shortly") from err
            raise gateway.ActionRefused("WrongStage", "the request is closed and accepts no more actions") from err
    except gateway.ActionRefused as refused:
        await audit.record(f"{step}_refused", record.request, kind=refused.kind)
        raise
    await audit.record(step, record.request, update_id=uid, stage=result.stage.value)
    return result
