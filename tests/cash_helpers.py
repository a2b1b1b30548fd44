"""Driving a cash request on the time-skipping server: register its need, and play the helpers' part straight
on the ledger (their pledge workflows are another branch's), telling the request as those workflows do."""

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from temporalio.client import Client

from db.base import transaction
from db.cash import CashNeed
from domain.cash import CashNeedRequest, CashPolicy, PayoutMethod, PledgeState, SituationCategory
from domain.messages import Admission, Applicant, RequestInput
from domain.names import workflow_id
from domain.policy import Policy
from domain.stages import RequestKind
from services import cash_ledger
from tests.cash_factories import a_helper
from tests.factories import DISTRICT, WARD
from usecases.relief import workflow_gateway as gateway

ACCOUNT = "0071000123456"
# Short timers: the time-skipping server is shared by the whole session, and weeks skipped here would carry
# other tests' requests past windows they measure from the wall clock.
CASH_POLICY = CashPolicy(need_published_for=timedelta(hours=6), support_recheck_every=timedelta(hours=1))
SHORT_POLICY = Policy(
    auto_assign_courier=False,
    verification_reminder_after=timedelta(hours=1),
    verification_escalation_after=timedelta(hours=2),
    verification_expiry_after=timedelta(hours=3),
)


def cash_need(
    amount: int = 1_000_000, holder: str = "NGUYEN THI LAN", policy: CashPolicy = CASH_POLICY
) -> CashNeedRequest:
    return CashNeedRequest(
        amount_vnd=amount,
        situation=SituationCategory.LOST_INCOME,
        payout_method=PayoutMethod.BANK_ACCOUNT,
        bank_bin="970436",
        account_number=ACCOUNT,
        holder_name=holder,
        consent_to_publish=True,
        policy=policy,
    )


async def register_cash(
    client: Client, queue: str, who: Applicant, need: CashNeedRequest | None = None, policy: Policy = SHORT_POLICY
) -> tuple[RequestInput, Admission]:
    return await gateway.register(
        client,
        task_queue=queue,
        kind=RequestKind.CASH_SUPPORT,
        ward_code=WARD,
        district_code=DISTRICT,
        applicant=who,
        policy=policy,
        cash=need or cash_need(),
    )


async def need_of(inp: RequestInput) -> CashNeed | None:
    async with transaction() as session:
        return await session.scalar(select(CashNeed).where(CashNeed.request_id == inp.request_id))


async def wait_for_need_state(inp: RequestInput, state: str) -> None:
    for _ in range(100):
        need = await need_of(inp)
        if need is not None and need.state == state:
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f"the need of {inp.code} is {need.state if need else None}, expected {state}")


async def pledge(inp: RequestInput, amount: int) -> str:
    code = uuid.uuid4().hex[:10].upper()
    helper = await a_helper()
    async with transaction() as session:
        await cash_ledger.pledge(session, code, inp.request_id, helper, amount)
    return code


async def move(code: str, *states: PledgeState) -> None:
    for state in states:
        async with transaction() as session:
            await cash_ledger.move_pledge(session, code, state, datetime.now(UTC))


async def tell(client: Client, inp: RequestInput) -> None:
    """What a pledge's workflow does after a change: signal the request by name."""
    await client.get_workflow_handle(workflow_id(inp.code)).signal("support_changed")
