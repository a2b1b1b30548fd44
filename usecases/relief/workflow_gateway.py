"""How the application talks to relief-request workflows: start one, and send people's actions as updates.

Update IDs derive from the request and the step, so a double tap or a retried HTTP call is one decision.
"""

import asyncio
import json
import secrets
from typing import Any
from uuid import NAMESPACE_URL, uuid4, uuid5

from temporalio.api.common.v1 import WorkflowExecution
from temporalio.api.enums.v1 import WorkflowExecutionStatus
from temporalio.api.workflow.v1 import WorkflowExecutionInfo
from temporalio.api.workflowservice.v1 import DescribeWorkflowExecutionRequest
from temporalio.client import (
    Client,
    WithStartWorkflowOperation,
    WorkflowHandle,
    WorkflowUpdateFailedError,
    WorkflowUpdateRPCTimeoutOrCancelledError,
)
from temporalio.common import WorkflowIDConflictPolicy, WorkflowIDReusePolicy
from temporalio.exceptions import ApplicationError, WorkflowAlreadyStartedError
from temporalio.service import RPCError, RPCStatusCode
from temporalio.workflow import UpdateMethodMultiParam

from common.keyed_hash import keyed_hash
from common.settings import get_settings
from domain import action_signing, names
from domain.cash import CashNeedRequest
from domain.messages import Admission, Applicant, HumanAction, RequestInput, RequestResult, UpdateResult
from domain.policy import Policy
from domain.stages import RequestKind
from texts import Lang, Text, text
from workflows.relief_request import ReliefRequestWorkflow, start_search_attributes

_FINGERPRINT = "content"  # the memo of a keyed registration: what it said, as a keyed hash

# Crockford's alphabet without look-alikes: codes are read aloud on the hotline.
_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_request_code() -> str:
    return "".join(secrets.choice(_CODE_ALPHABET) for _ in range(8))


def keyed_request_code(idempotency_key: str, national_id: str) -> str:
    """The code a client's idempotency key names for one applicant: a retried registration finds the first
    request, and another person sending the same key gets a request of their own. Keyed with the server's secret,
    so nobody can choose a key that lands on another person's request."""
    number = int(keyed_hash("registration", f"{national_id}|{idempotency_key}"), 16)
    digits = []
    for _ in range(8):
        number, digit = divmod(number, len(_CODE_ALPHABET))
        digits.append(_CODE_ALPHABET[digit])
    return "".join(digits)


class KeyReused(Exception):
    """The idempotency key was used before for this applicant with other content: a different registration."""


def content_fingerprint(
    kind: RequestKind, ward_code: str, applicant: Applicant, cash: CashNeedRequest | None = None
) -> str:
    """What a registration says, as a keyed hash (kept in the workflow's memo, no personal data in clear)."""
    said: list[object] = [kind.value, ward_code, applicant.model_dump(mode="json")]
    if cash is not None:  # a food bag's fingerprint stays what it was
        said.append(cash.model_dump(mode="json"))
    return keyed_hash("registration-content", json.dumps(said))


class ActionRefused(Exception):
    """The workflow's validator refused the action; `kind` is its error type (WrongStage, OutOfScope…).

    `message` is the refuser's own reason, for whoever debugs; a use case that knows what the person should read
    passes a catalogue Text instead, and its English words are the reason."""

    def __init__(self, kind: str, message: str | Text) -> None:
        self.explanation = message if isinstance(message, Text) else None
        self.message = message.render("en") if isinstance(message, Text) else message
        super().__init__(self.message)
        self.kind = kind

    def render(self, lang: Lang) -> str:
        """What the person reads: the use case's explanation, or what this kind of refusal means."""
        return self.explanation.render(lang) if self.explanation else text(lang, f"refused.{self.kind}")


async def register(
    client: Client,
    *,
    task_queue: str,
    kind: RequestKind,
    ward_code: str,
    district_code: str,
    applicant: Applicant,
    policy: Policy,
    idempotency_key: str | None = None,
    cash: CashNeedRequest | None = None,
    lang: Lang = "vi",
) -> tuple[RequestInput, Admission]:
    """Starts the request's workflow and returns its input and the duplicate check's answer.

    With an idempotency key, the same key and applicant is the same request: a retry after a lost answer (a 503, a
    dropped connection) gets the first request's answer instead of registering again; the same key sent again
    with other content is refused (KeyReused), as payment APIs refuse it.
    """
    if idempotency_key is not None:
        code = keyed_request_code(idempotency_key, applicant.national_id)
        inp = RequestInput(
            request_id=uuid5(NAMESPACE_URL, f"an-sinh:request:{code}"),
            code=code,
            kind=kind,
            ward_code=ward_code,
            district_code=district_code,
            applicant=applicant,
            policy=policy,
            cash=cash,
            lang=lang,
        )
        fingerprint = content_fingerprint(kind, ward_code, applicant, cash)
        admission = await _register_once(client, task_queue, inp, fingerprint)
        if await _fingerprint_of(client, code) != fingerprint:
            raise KeyReused(code)
        return inp, admission
    for _ in range(5):
        inp = RequestInput(
            request_id=uuid4(),
            code=new_request_code(),
            kind=kind,
            ward_code=ward_code,
            district_code=district_code,
            applicant=applicant,
            policy=policy,
            cash=cash,
            lang=lang,
        )
        try:
            return inp, await _start_and_admit(client, task_queue, inp, WorkflowIDConflictPolicy.FAIL)
        except WorkflowAlreadyStartedError:
            continue  # a code collision: draw another
    raise RuntimeError("could not draw a free request code")


async def _register_once(client: Client, task_queue: str, inp: RequestInput, fingerprint: str) -> Admission:
    try:
        return await _start_and_admit(client, task_queue, inp, WorkflowIDConflictPolicy.USE_EXISTING, fingerprint)
    except WorkflowAlreadyStartedError:  # the first attempt's request has already closed (e.g. refused)
        handle = client.get_workflow_handle_for(ReliefRequestWorkflow.run, names.workflow_id(inp.code))
        return await _admission(handle)


async def _fingerprint_of(client: Client, code: str) -> str | None:
    memo = (await execution_info(client, code)).memo.fields
    if _FINGERPRINT not in memo:
        return None
    [value] = await client.data_converter.decode([memo[_FINGERPRINT]], [str])
    return str(value)


async def _start_and_admit(
    client: Client,
    task_queue: str,
    inp: RequestInput,
    on_conflict: WorkflowIDConflictPolicy,
    fingerprint: str | None = None,
) -> Admission:
    """Starts the workflow with the admission update in one call: the update rides in the first workflow
    task, which runs the duplicate check, so the answer costs no workflow task of its own."""
    start = WithStartWorkflowOperation(
        ReliefRequestWorkflow.run, inp, id=names.workflow_id(inp.code), task_queue=task_queue,
        id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE, id_conflict_policy=on_conflict,
        search_attributes=start_search_attributes(inp), memo={_FINGERPRINT: fingerprint} if fingerprint else None,
    )  # fmt: skip
    try:
        return await client.execute_update_with_start_workflow(
            ReliefRequestWorkflow.admission, start_workflow_operation=start, id="admission"
        )
    except (RPCError, WorkflowUpdateRPCTimeoutOrCancelledError):
        handle = await start.workflow_handle()  # the start's own error, if it failed
        _stop_if_cancelled()
        # The joined workflow (USE_EXISTING) may close while the update is on its way: read its answer.
        return await _admission(handle)


def _stop_if_cancelled() -> None:
    """The SDK answers a cancelled wait for an update with WorkflowUpdateRPCTimeoutOrCancelledError: when our
    caller is the one that gave up (the registration gate's bound), stop instead of waiting again."""
    task = asyncio.current_task()
    if task is not None and task.cancelling():
        raise asyncio.CancelledError


async def _admission(handle: WorkflowHandle[ReliefRequestWorkflow, RequestResult]) -> Admission:
    """The duplicate check's answer. A request refused at once may close before the update reaches it;
    the closed workflow's state, read by a query, still holds the answer."""
    try:
        return await handle.execute_update(ReliefRequestWorkflow.admission, id="admission")
    except (RPCError, WorkflowUpdateRPCTimeoutOrCancelledError) as err:
        _stop_if_cancelled()
        try:
            state = await handle.query(ReliefRequestWorkflow.state)
        except RPCError:
            raise err from None
        if state.admission is None:
            raise
        return state.admission


async def execution_info(client: Client, code: str) -> WorkflowExecutionInfo:
    """The request's workflow as Temporal describes it, raw: the SDK's describe() also parses every search
    attribute (and cannot parse the time-skipping test server's datetime ones)."""
    request = DescribeWorkflowExecutionRequest(
        namespace=client.namespace, execution=WorkflowExecution(workflow_id=names.workflow_id(code))
    )
    return (await client.workflow_service.describe_workflow_execution(request)).workflow_execution_info


async def is_running(client: Client, code: str) -> bool:
    try:
        info = await execution_info(client, code)
    except RPCError as err:
        if err.status == RPCStatusCode.NOT_FOUND:
            return False
        raise
    return info.status == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING


async def send(
    client: Client,
    code: str,
    update: UpdateMethodMultiParam[[ReliefRequestWorkflow, Any], UpdateResult],
    action: HumanAction,
    update_id: str,
) -> UpdateResult:
    """Signs and sends one human action; raises ActionRefused when the workflow refuses it."""
    handle = client.get_workflow_handle_for(ReliefRequestWorkflow.run, names.workflow_id(code))
    if not action_signing.loaded():  # a process that sends actions without having built the app (a script, a test)
        settings = get_settings()
        action_signing.load(settings.action_keys, settings.action_key_id)
    name: str = getattr(update, "__name__")  # noqa: B009 - the update's name, as the workflow registers it
    signed = action.model_copy(update={"signature": action_signing.signature(code, name, action)})
    try:
        return await handle.execute_update(update, signed, id=update_id)
    except WorkflowUpdateFailedError as err:
        cause = err.cause
        if isinstance(cause, ApplicationError):
            raise ActionRefused(cause.type or "Refused", cause.message) from err
        raise
