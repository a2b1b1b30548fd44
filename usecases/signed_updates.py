"""A person's action sent to a workflow as a signed update (domain/action_signing.py), for every workflow that
takes people's actions this way: the workflow checks the signature, and its refusal becomes ActionRefused."""

from typing import Any, TypeVar

from pydantic import BaseModel
from temporalio.client import Client, WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError
from temporalio.service import RPCError, RPCStatusCode

from common.settings import get_settings
from domain import action_signing
from domain.refusals import RefusalKind
from usecases.relief.workflow_gateway import ActionRefused

_A = TypeVar("_A", bound=BaseModel)
_R = TypeVar("_R")


async def send_signed(
    client: Client,
    workflow_id: str,
    code: str,
    update: Any,
    action: _A,
    update_id: str,
    result_type: type[_R],
    closed: str,
) -> _R:
    """Signs `action` for `code` and `update`, and sends it; raises ActionRefused when the workflow refuses it, or
    (saying `closed`) when the workflow has ended."""
    if not action_signing.loaded():  # a process that sends actions without having built the app (a test)
        settings = get_settings()
        action_signing.load(settings.action_keys, settings.action_key_id)
    name: str = getattr(update, "__name__")  # noqa: B009 - the update's name, as the workflow registers it
    signed = action.model_copy(update={"signature": action_signing.signature(code, name, action)})
    handle = client.get_workflow_handle(workflow_id, result_type=result_type)
    try:
        result: _R = await handle.execute_update(update, signed, id=update_id)
        return result
    except WorkflowUpdateFailedError as err:
        cause = err.cause
        if isinstance(cause, ApplicationError):
            raise ActionRefused(cause.type or "Refused", cause.message) from err
        raise
    except RPCError as err:
        if err.status not in (RPCStatusCode.NOT_FOUND, RPCStatusCode.FAILED_PRECONDITION):
            raise
        raise ActionRefused(RefusalKind.WRONG_STAGE, closed) from err
