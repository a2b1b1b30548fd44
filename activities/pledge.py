"""The activities of one pledge: one short transaction per step, safe to repeat (services.pledge_steps). A move
the ledger refuses is raised as non-retryable (activities.step_failures)."""

from collections.abc import Callable
from typing import Any

from temporalio import activity

from activities.step_failures import classify_failures
from db.base import transaction
from domain.pledges import PledgeAnswer, PledgeStep
from services import pledge_steps


@activity.defn
@classify_failures
async def record_pledge_step(step: PledgeStep) -> PledgeAnswer:
    async with transaction() as session:
        return PledgeAnswer(state=await pledge_steps.record(session, step))


ALL: list[Callable[..., Any]] = [record_pledge_step]
