"""How the application talks to shipment workflows: start one from an order, and send people's actions as signed
updates. The allocation round starts its shipments itself, by the workflow's name, as child workflows."""

from typing import Any

from temporalio.client import Client
from temporalio.common import WorkflowIDReusePolicy
from temporalio.workflow import UpdateMethodMultiParam

from domain import names
from domain.shipment_flow import Dispatch, Receipt, ShipmentAnswer
from domain.shipments import SHIPMENT_WORKFLOW, ShipmentOrder
from usecases.signed_updates import send_signed
from workflows.shipment import ShipmentWorkflow


async def start(client: Client, task_queue: str, order: ShipmentOrder) -> None:
    await client.start_workflow(
        SHIPMENT_WORKFLOW,
        order,
        id=names.shipment_workflow_id(order.code),
        task_queue=task_queue,
        id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
    )


async def send(
    client: Client,
    code: str,
    update: UpdateMethodMultiParam[[ShipmentWorkflow, Any], ShipmentAnswer],
    action: Dispatch | Receipt,
    update_id: str,
) -> ShipmentAnswer:
    """Signs and sends one action; raises ActionRefused when the workflow refuses it or has closed."""
    return await send_signed(
        client,
        names.shipment_workflow_id(code),
        code,
        update,
        action,
        update_id,
        ShipmentAnswer,
        "the shipment is closed and accepts no more actions",
    )
