"""Whoever reaches Temporal's frontend can send an update naming any actor (a probe did: a forged official's
decision was accepted with no audit entry). The application signs each person's action; the workflow's validators
refuse one that is unsigned, signed with another key, or changed after it was signed, before anything is written."""

import pytest
from temporalio.client import Client, WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError

from domain import action_signing, names
from domain.messages import VerificationDecision
from domain.refusals import RefusalKind
from domain.roles import Role
from domain.stages import Stage
from tests.factories import OTHER_WARD_SAME_DISTRICT, WARD, applicant, make_staff
from tests.relief_helpers import approve, register
from workflows.relief_request import ReliefRequestWorkflow


async def _send_raw(client: Client, code: str, decision: VerificationDecision, update_id: str) -> ApplicationError:
    """As someone at the frontend would: straight to Temporal, not through the application."""
    handle = client.get_workflow_handle(names.workflow_id(code))
    with pytest.raises(WorkflowUpdateFailedError) as failed:
        await handle.execute_update(ReliefRequestWorkflow.decide_verification, decision, id=update_id)
    assert isinstance(failed.value.cause, ApplicationError)
    return failed.value.cause


async def test_an_action_the_application_did_not_sign_is_refused(client: Client, task_queue: str) -> None:
    official = await make_staff(Role.WARD_OFFICIAL, WARD)
    intruder = await make_staff(Role.WARD_OFFICIAL, OTHER_WARD_SAME_DISTRICT)
    inp, _ = await register(client, task_queue, applicant())
    forged = VerificationDecision(actor=official.actor(), approve=False, reason="giả mạo")
    assert (await _send_raw(client, inp.code, forged, "forged-0")).type == RefusalKind.UNSIGNED
    # A real signature taken from one action does not carry over to a changed one (another actor, another verdict).
    signed = forged.model_copy(update={"signature": action_signing.signature(inp.code, "decide_verification", forged)})
    tampered = signed.model_copy(update={"actor": intruder.actor()})
    assert (await _send_raw(client, inp.code, tampered, "forged-1")).type == RefusalKind.UNSIGNED
    turned = signed.model_copy(update={"approve": True})
    assert (await _send_raw(client, inp.code, turned, "forged-2")).type == RefusalKind.UNSIGNED
    # Nor to another request, or another update.
    other, _ = await register(client, task_queue, applicant())
    assert (await _send_raw(client, other.code, signed, "forged-3")).type == RefusalKind.UNSIGNED
    # The application's own, signed as it sends it, is taken.
    assert (await approve(client, inp.code, official, "verify-1")).stage == Stage.AWAITING_DISPATCH
