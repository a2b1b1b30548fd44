"""How the application talks to donation workflows: start one, and send people's actions as signed updates."""

from typing import Any

from temporalio.client import Client
from temporalio.common import WorkflowIDReusePolicy
from temporalio.workflow import UpdateMethodMultiParam

from domain import names
from domain.donations import DonationAnswer, DonationInput, DonationReceipt, DonorCancellation
from usecases.signed_updates import send_signed
from workflows.donation import DonationWorkflow, start_search_attributes


async def start(client: Client, task_queue: str, inp: DonationInput) -> None:
    await client.start_workflow(
        DonationWorkflow.run,
        inp,
        id=names.donation_workflow_id(inp.code),
        task_queue=task_queue,
        id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
        search_attributes=start_search_attributes(inp),
    )


async def send(
    client: Client,
    code: str,
    update: UpdateMethodMultiParam[[DonationWorkflow, Any], DonationAnswer],
    action: DonationReceipt | DonorCancellation,
    update_id: str,
) -> DonationAnswer:
    """Signs and sends one action; raises ActionRefused when the workflow refuses it or has closed."""
    return await send_signed(
        client,
        names.donation_workflow_id(code),
        code,
        update,
        action,
        update_id,
        DonationAnswer,
        "the donation is closed and accepts no more actions",
    )
