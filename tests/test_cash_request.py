"""A cash request's life on the time-skipping server against a real PostgreSQL: verified like a bag, then
published, supported by pledges (played on the ledger, told by signal as the pledge workflows tell it), and closed
with what was confirmed when its publication ends."""

import logging
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from db.base import transaction
from db.notifications import Notification
from domain.cash import NeedState, PledgeState
from domain.messages import Cancellation
from domain.names import workflow_id
from domain.refusals import RefusalKind
from domain.roles import Role
from domain.stages import EscalationLevel, RefusalReason, Stage
from services.cash_ledger import NeedNotOpen
from services.household_summary import household_summary
from tests.cash_helpers import (
    ACCOUNT,
    CASH_POLICY,
    SHORT_POLICY,
    cash_need,
    move,
    need_of,
    pledge,
    register_cash,
    tell,
    wait_for_need_state,
)
from tests.factories import WARD, applicant, citizen, make_staff
from tests.relief_helpers import approve, events_of, open_claims, register, stage_in_db, wait_for_stage
from tests.temporal_helpers import finished, raw_search_attributes
from usecases.relief import workflow_gateway as gateway
from workflows.relief_request import ReliefRequestWorkflow

_A_MINUTE = timedelta(minutes=1)


async def _published(client: Client, task_queue: str, amount: int = 1_000_000, holder: str = "NGUYEN THI LAN"):
    official = await make_staff(Role.WARD_OFFICIAL, WARD)
    who = applicant()
    inp, admission = await register_cash(client, task_queue, who, cash_need(amount, holder))
    assert admission.stage == Stage.AWAITING_VERIFICATION
    decided = await approve(client, inp.code, official, "verify-1")
    assert decided.stage == Stage.AWAITING_SUPPORT
    await wait_for_need_state(inp, NeedState.PUBLISHED)
    return inp, admission, who


async def test_a_verified_need_is_published_and_supported_once_fully_confirmed(
    client: Client, task_queue: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    inp, admission, who = await _published(client, task_queue)
    need = await need_of(inp)
    assert need is not None and need.household_id == admission.household_id
    assert need.amount_asked == 1_000_000 and need.account_number == ACCOUNT and need.holder_matches_applicant

    first, second = await pledge(inp, 600_000), await pledge(inp, 400_000)
    await move(first, PledgeState.TRANSFERRED, PledgeState.CONFIRMED)
    await tell(client, inp)
    await move(second, PledgeState.TRANSFERRED)
    await tell(client, inp)
    state = await client.get_workflow_handle(workflow_id(inp.code)).query(ReliefRequestWorkflow.state)
    assert state.stage == Stage.AWAITING_SUPPORT and state.amount_confirmed == 600_000
    await move(second, PledgeState.CONFIRMED)
    await tell(client, inp)

    assert (await finished(client, inp.code)).stage == Stage.SUPPORTED
    assert await events_of(inp) == [
        "registered",
        "verification_requested",
        "approved",
        "need_published",
        "supported",
    ]
    need = await need_of(inp)
    assert need is not None and need.state == NeedState.CLOSED and need.entitled_period is not None
    assert await open_claims() == 0
    async with transaction() as session:
        told = (
            await session.scalars(
                select(Notification.message).where(
                    Notification.request_id == inp.request_id, Notification.audience == "citizen"
                )
            )
        ).all()
    assert any("công bố" in text for text in told) and any("1.000.000 đ" in text for text in told)

    # The ward sees the household's support across kinds within their windows.
    async with transaction() as session:
        since = datetime.now(UTC) - CASH_POLICY.entitlement_window
        summary = await household_summary(session, admission.household_id, since, since)
    assert summary is not None and (summary.bags_in_window, summary.cash_confirmed_in_window) == (0, 1_000_000)

    # The cash window holds for cash only: the household may still ask for a bag.
    _, again = await register_cash(client, task_queue, who)
    assert again.stage == Stage.REFUSED and again.refusal == RefusalReason.ALREADY_RECEIVED
    _, bag = await register(client, task_queue, who)
    assert bag.stage != Stage.REFUSED

    # Nothing of the account or its holder in Temporal's search attributes or in any log line of the run.
    attributes = b"".join((await raw_search_attributes(client, inp.code)).values())
    logged = "\n".join(record.getMessage() for record in caplog.records)
    for secret in (ACCOUNT, "NGUYEN THI LAN", who.full_name):
        assert secret.encode() not in attributes and secret not in logged


async def test_the_publication_deadline_withdraws_the_need_and_closes_what_was_confirmed(
    client: Client, task_queue: str, temporal_env: WorkflowEnvironment
) -> None:
    inp, _, _ = await _published(client, task_queue)
    paid, late = await pledge(inp, 300_000), await pledge(inp, 200_000)
    await move(paid, PledgeState.TRANSFERRED)

    await temporal_env.sleep(CASH_POLICY.need_published_for + _A_MINUTE)
    await wait_for_need_state(inp, NeedState.WITHDRAWN)
    assert await stage_in_db(inp) == Stage.AWAITING_SUPPORT
    with pytest.raises(NeedNotOpen):  # no new pledges once withdrawn
        await pledge(inp, 100_000)
    refused = await _cancel_refused(client, inp.code)
    assert refused.kind == RefusalKind.WRONG_STAGE

    await move(late, PledgeState.EXPIRED)
    await tell(client, inp)
    await move(paid, PledgeState.CONFIRMED)
    await tell(client, inp)
    assert (await finished(client, inp.code)).stage == Stage.SUPPORTED
    need = await need_of(inp)
    assert need is not None and need.amount_confirmed == 300_000 and need.entitled_period is not None
    assert (await events_of(inp))[-2:] == ["need_withdrawn", "supported"]


async def test_a_need_nobody_funded_expires_at_its_deadline(
    client: Client, task_queue: str, temporal_env: WorkflowEnvironment
) -> None:
    inp, _, _ = await _published(client, task_queue)
    await temporal_env.sleep(CASH_POLICY.need_published_for + _A_MINUTE)
    assert (await finished(client, inp.code)).stage == Stage.EXPIRED
    assert (await events_of(inp))[-3:] == ["need_published", "need_withdrawn", "support_expired"]
    need = await need_of(inp)
    assert need is not None and need.state == NeedState.CLOSED and need.entitled_period is None
    assert await open_claims() == 0


async def test_a_live_pledge_left_unsignalled_is_found_by_the_recheck(
    client: Client, task_queue: str, temporal_env: WorkflowEnvironment
) -> None:
    inp, _, _ = await _published(client, task_queue)
    lost = await pledge(inp, 500_000)
    await temporal_env.sleep(CASH_POLICY.need_published_for + _A_MINUTE)
    await wait_for_need_state(inp, NeedState.WITHDRAWN)
    await move(lost, PledgeState.RELEASED)  # and its workflow never says so
    await temporal_env.sleep(CASH_POLICY.support_recheck_every + _A_MINUTE)
    assert (await finished(client, inp.code)).stage == Stage.EXPIRED


async def _cancel_refused(client: Client, code: str) -> gateway.ActionRefused:
    official = await make_staff(Role.WARD_OFFICIAL, WARD)
    with pytest.raises(gateway.ActionRefused) as refused:
        await gateway.send(
            client, code, ReliefRequestWorkflow.cancel, Cancellation(actor=official.actor(), reason="x"), "cancel-late"
        )
    return refused.value


async def test_cancelling_a_published_need_withdraws_it_and_waits_for_live_pledges(
    client: Client, task_queue: str
) -> None:
    inp, admission, _ = await _published(client, task_queue)
    live = await pledge(inp, 250_000)
    household = citizen(admission.household_id)
    answer = await gateway.send(
        client, inp.code, ReliefRequestWorkflow.cancel, Cancellation(actor=household, reason="đã có việc"), "c-1"
    )
    assert answer.stage == Stage.AWAITING_SUPPORT  # withdrawn: the pledge already made runs on
    await wait_for_need_state(inp, NeedState.WITHDRAWN)
    await move(live, PledgeState.TRANSFERRED, PledgeState.DISPUTED, PledgeState.RELEASED)
    await tell(client, inp)
    assert (await finished(client, inp.code)).stage == Stage.CANCELLED
    assert (await events_of(inp))[-2:] == ["need_withdrawn", "cancelled"]


async def test_cancelling_a_need_without_pledges_ends_it_at_once(client: Client, task_queue: str) -> None:
    inp, admission, _ = await _published(client, task_queue)
    answer = await gateway.send(
        client, inp.code, ReliefRequestWorkflow.cancel, Cancellation(actor=citizen(admission.household_id)), "c-1"
    )
    assert answer.stage == Stage.CANCELLED
    need = await need_of(inp)
    assert need is not None and need.state == NeedState.CLOSED


async def test_a_cash_request_is_verified_with_the_bags_timers_and_its_need_closes_with_it(
    client: Client, task_queue: str, temporal_env: WorkflowEnvironment
) -> None:
    who = applicant()
    inp, _ = await register_cash(client, task_queue, who, cash_need(holder="TRAN VAN BINH"))
    need = await need_of(inp)
    assert need is not None and need.state == NeedState.PENDING and not need.holder_matches_applicant
    await temporal_env.sleep(SHORT_POLICY.verification_escalation_after + _A_MINUTE)
    state = await client.get_workflow_handle(workflow_id(inp.code)).query(ReliefRequestWorkflow.state)
    assert state.escalation == EscalationLevel.DISTRICT and state.overdue
    await temporal_env.sleep(SHORT_POLICY.verification_expiry_after)
    assert (await finished(client, inp.code)).stage == Stage.EXPIRED
    need = await need_of(inp)
    assert need is not None and need.state == NeedState.CLOSED
    # Never published: a second need for the household is welcome.
    _, again = await register_cash(client, task_queue, who)
    assert again.stage == Stage.AWAITING_VERIFICATION


async def test_a_second_cash_need_while_one_is_open_is_refused(client: Client, task_queue: str) -> None:
    who = applicant()
    first, _ = await register_cash(client, task_queue, who)
    _, again = await register_cash(client, task_queue, who)
    assert again.stage == Stage.REFUSED and again.refusal == RefusalReason.ALREADY_IN_PROGRESS
    await wait_for_stage(first, Stage.AWAITING_VERIFICATION)
