"""How the application talks to pledge workflows: start one, and send people's actions as signed updates."""

from typing import Any

from temporalio.client import Client
from temporalio.common import WorkflowIDReusePolicy
from temporalio.workflow import UpdateMethodMultiParam

from domain import names
from domain.pledges import PledgeAction, PledgeAnswer, PledgeInput
from usecases.signed_updates import send_signed
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
    return await send_signed(
        client,
        names.pledge_workflow_id(code),
        code,
        update,
        action,
        update_id,
        PledgeAnswer,
        "the pledge is closed and accepts no more actions",
    )
