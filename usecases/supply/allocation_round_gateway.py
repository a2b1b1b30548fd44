"""How the application talks to allocation rounds: start the day's round, and send a centre official's actions as
signed updates."""

from datetime import date
from typing import Any

from temporalio.client import Client
from temporalio.common import WorkflowIDReusePolicy
from temporalio.workflow import UpdateMethodMultiParam

from domain.allocation_round import RoundAnswer, RoundApproval, RoundInput, RoundResolve, allocation_round_workflow_id
from usecases.signed_updates import send_signed
from workflows.allocation_round import AllocationRoundWorkflow, start_search_attributes


async def start(client: Client, task_queue: str, inp: RoundInput) -> None:
    """Starts the day's round; raises WorkflowAlreadyStartedError when that day has one running or finished (one
    an operator terminated may be started again)."""
    await client.start_workflow(
        AllocationRoundWorkflow.run,
        inp,
        id=allocation_round_workflow_id(inp.round_date),
        task_queue=task_queue,
        id_reuse_policy=WorkflowIDReusePolicy.ALLOW_DUPLICATE_FAILED_ONLY,
        search_attributes=start_search_attributes(),
    )


async def send(
    client: Client,
    round_date: date,
    update: UpdateMethodMultiParam[[AllocationRoundWorkflow, Any], RoundAnswer],
    action: RoundApproval | RoundResolve,
    update_id: str,
) -> RoundAnswer:
    """Signs and sends one action; raises ActionRefused when the round refuses it or has closed."""
    workflow_id = allocation_round_workflow_id(round_date)
    return await send_signed(
        client,
        workflow_id,
        workflow_id,
        update,
        action,
        update_id,
        RoundAnswer,
        f"round {round_date.isoformat()} is closed and accepts no more actions",
    )
