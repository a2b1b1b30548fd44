"""Reading workflows on the time-skipping test server, around two of its quirks."""

import asyncio
from typing import Any

from temporalio.api.common.v1 import WorkflowExecution
from temporalio.api.enums.v1 import WorkflowExecutionStatus
from temporalio.api.workflow.v1 import WorkflowExecutionInfo
from temporalio.api.workflowservice.v1 import DescribeWorkflowExecutionRequest
from temporalio.client import Client

from domain.messages import RequestResult
from domain.names import workflow_id


async def _raw_info(client: Client, code: str) -> WorkflowExecutionInfo:
    # The SDK's describe() cannot parse the test server's datetime search attributes; the raw call can.
    execution = WorkflowExecution(workflow_id=workflow_id(code))
    response = await client.workflow_service.describe_workflow_execution(
        DescribeWorkflowExecutionRequest(namespace=client.namespace, execution=execution)
    )
    return response.workflow_execution_info


async def raw_search_attributes(client: Client, code: str) -> dict[str, bytes]:
    """Search attributes as stored: JSON bytes by name."""
    info = await _raw_info(client, code)
    return {name: payload.data for name, payload in info.search_attributes.indexed_fields.items()}


async def finished(client: Client, code: str) -> Any:
    """The result of a request's workflow once closed. The test server's long poll for a result can answer
    with an empty page, so wait for the close first."""
    for _ in range(200):
        if (await _raw_info(client, code)).status != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING:
            return await client.get_workflow_handle(workflow_id(code), result_type=RequestResult).result()
        await asyncio.sleep(0.05)
    raise AssertionError(f"request {code} still running")
