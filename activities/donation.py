"""The activities of one donation: short transactions keyed by donation and step (services.donations), so a retry
writes nothing twice. A failure no retry can mend (a rule broken, the database refusing the write) is raised as
non-retryable (activities.step_failures)."""

from collections.abc import Callable
from typing import Any

from temporalio import activity

from activities.step_failures import classify_failures
from db.base import transaction
from domain.donations import DonationAnswer, DonationStep, StockDonationInput
from services import donations


@activity.defn
@classify_failures
async def record_donation_step(step: DonationStep) -> bool:
    async with transaction() as session:
        return await donations.record_step(session, step)


@activity.defn
@classify_failures
async def stock_donation(inp: StockDonationInput) -> DonationAnswer:
    """Counts, inspection, a lot per accepted line, the stage and the donor's message: one transaction."""
    async with transaction() as session:
        return await donations.stock(session, inp)


ALL: list[Callable[..., Any]] = [record_donation_step, stock_donation]
