"""Every open stage of a relief request has a last deadline: a request nobody touches ends, its household's claim
is released, the citizen is told, and the household may register again."""

from datetime import timedelta

import pytest
from sqlalchemy import select
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from db.base import transaction
from db.notifications import Notification
from domain.policy import Policy
from domain.roles import Role
from domain.stages import EventType, Stage
from tests.factories import WARD, applicant, make_staff
from tests.relief_helpers import POLICY, approve, assign, events_of, open_claims, register, wait_for_stage
from tests.temporal_helpers import finished

_A_MINUTE = timedelta(minutes=1)


async def _citizen_message(request_id: object, event: EventType) -> str | None:
    async with transaction() as session:
        return await session.scalar(
            select(Notification.message).where(
                Notification.request_id == request_id,
                Notification.event == event.value,
                Notification.audience == "citizen",
            )
        )


@pytest.mark.parametrize("stage", [Stage.AWAITING_VERIFICATION, Stage.AWAITING_DISPATCH, Stage.OUT_FOR_DELIVERY])
async def test_a_request_left_untouched_ends_and_frees_its_household(
    client: Client, task_queue: str, temporal_env: WorkflowEnvironment, stage: Stage
) -> None:
    official = await make_staff(Role.WARD_OFFICIAL, WARD)
    courier = await make_staff(Role.COURIER, WARD)
    who = applicant()
    inp, _ = await register(client, task_queue, who)
    if stage != Stage.AWAITING_VERIFICATION:
        await approve(client, inp.code, official, "verify-1")
    if stage == Stage.OUT_FOR_DELIVERY:
        await assign(client, inp.code, official, courier, "assign-1")
    await wait_for_stage(inp, stage)

    if stage == Stage.OUT_FOR_DELIVERY:
        # A bag may be on the road: the request goes back to the ward, whose own deadline then ends it.
        await temporal_env.sleep(POLICY.delivery_expiry_after + _A_MINUTE)
        await wait_for_stage(inp, Stage.AWAITING_VERIFICATION)
        message = await _citizen_message(inp.request_id, EventType.DELIVERY_OVERDUE)
        assert message and "chưa được giao đúng hạn" in message
        assert await open_claims() == 1  # still the ward's to decide
    last_deadline = {
        Stage.AWAITING_VERIFICATION: POLICY.verification_expiry_after,
        Stage.AWAITING_DISPATCH: POLICY.dispatch_expiry_after,
        Stage.OUT_FOR_DELIVERY: POLICY.verification_expiry_after,
    }[stage]
    await temporal_env.sleep(last_deadline + _A_MINUTE)

    assert (await finished(client, inp.code)).stage == Stage.EXPIRED
    assert await open_claims() == 0
    expiry = EventType.DISPATCH_EXPIRED if stage == Stage.AWAITING_DISPATCH else EventType.EXPIRED
    assert (await events_of(inp))[-1] == expiry
    message = await _citizen_message(inp.request_id, expiry)
    assert message and "hết hạn" in message and inp.code in message
    # The household is free: a new registration is admitted (straight to dispatch once the ward has verified it).
    _, again = await register(client, task_queue, who)
    assert again.stage == (
        Stage.AWAITING_VERIFICATION if stage == Stage.AWAITING_VERIFICATION else Stage.AWAITING_DISPATCH
    )


def test_a_policy_recorded_before_the_last_deadlines_still_parses() -> None:
    """A running request's policy from before these fields existed parses; an escalation later than the new
    defaults gets a last deadline after it, not before."""
    old = Policy.model_validate({"dispatch_escalation_after": "P4D", "delivery_escalation_after": "P6D"})
    assert old.dispatch_expiry_after == timedelta(days=8) and old.delivery_expiry_after == timedelta(days=12)
    assert Policy.model_validate({}).dispatch_expiry_after == timedelta(days=3)
    with pytest.raises(ValueError, match="dispatch escalation < expiry"):
        Policy(dispatch_escalation_after=timedelta(days=4), dispatch_expiry_after=timedelta(days=3))
