"""How the application talks to emergency workflows: start one, and send people's actions as signed updates."""

from typing import Any

from temporalio.client import Client
from temporalio.common import WorkflowIDReusePolicy
from temporalio.workflow import UpdateMethodMultiParam

from domain import names
from domain.emergency_messages import EmergencyAction, EmergencyAnswer, EmergencyInput
from usecases.signed_updates import send_signed
from workflows.emergency import EmergencyWorkflow, start_search_attributes

EmergencyUpdate = UpdateMethodMultiParam[[EmergencyWorkflow, Any], EmergencyAnswer]


async def start(client: Client, task_queue: str, inp: EmergencyInput) -> None:
    await client.start_workflow(
        EmergencyWorkflow.run,
        inp,
        id=names.emergency_workflow_id(inp.code),
        task_queue=task_queue,
        id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
        search_attributes=start_search_attributes(inp),
    )


async def send(
    client: Client, code: str, update: EmergencyUpdate, action: EmergencyAction, update_id: str
) -> EmergencyAnswer:
    """Signs and sends one action; raises ActionRefused when the workflow refuses it or has closed."""
    return await send_signed(
        client,
        names.emergency_workflow_id(code),
        code,
        update,
        action,
        update_id,
        EmergencyAnswer,
        "the emergency is closed and accepts no more actions",
    )
