"""How the application talks to pledge workflows: start one, and send people's actions as signed updates."""

from typing import Any

from temporalio.client import Client, WorkflowUpdateFailedError
from temporalio.common import WorkflowIDReusePolicy
from temporalio.exceptions import ApplicationError
from temporalio.service import RPCError, RPCStatusCode
from temporalio.workflow import UpdateMethodMultiParam

from common.settings import get_settings
from domain import action_signing, names
from domain.pledges import PledgeAction, PledgeAnswer, PledgeInput
from domain.refusals import RefusalKind
from usecases.relief.workflow_gateway import ActionRefused
from workflows.pledge import PledgeWorkflow, start_search_attributes

PledgeUpdate = UpdateMethodMultiParam[[PledgeWorkflow, Any], PledgeAnswer]


async def start(client: Client, task_queue: str, inp: PledgeInput) -> None:
    await client.start_workflow(
        PledgeWorkflow.run,
        inp,
        id=names.pledge_workflow_id(inp.code),
        task_queue=task_queue,
        id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
        search_attributes=start_search_attributes(inp),
    )


async def send(
    client: Client,
    code: str,
    update: PledgeUpdate,
    action: PledgeAction,
    update_id: str,
) -> PledgeAnswer:
    """Signs and sends one action; raises ActionRefused when the workflow refuses it or has closed."""
    if not action_signing.loaded():  # a process that sends actions without having built the app (a test)
        settings = get_settings()
        action_signing.load(settings.action_keys, settings.action_key_id)
    name: str = getattr(update, "__name__")  # noqa: B009 - the update's name, as the workflow registers it
    signed = action.model_copy(update={"signature": action_signing.signature(code, name, action)})
    handle = client.get_workflow_handle(names.pledge_workflow_id(code), result_type=PledgeAnswer)
    try:
        return await handle.execute_update(update, signed, id=update_id)
    except WorkflowUpdateFailedError as err:
        cause = err.cause
        if isinstance(cause, ApplicationError):
            raise ActionRefused(cause.type or "Refused", cause.message) from err
        raise
    except RPCError as err:
        if err.status not in (RPCStatusCode.NOT_FOUND, RPCStatusCode.FAILED_PRECONDITION):
            raise
        raise ActionRefused(RefusalKind.WRONG_STAGE, "the pledge is closed and accepts no more actions") from err
