"""The activity of one emergency: one short transaction per step, safe to repeat (services.emergency_steps). A move
the database refuses is raised as non-retryable (activities.step_failures)."""

from collections.abc import Callable
from typing import Any

from temporalio import activity

from activities.step_failures import classify_failures
from db.base import transaction
from domain.emergency_messages import EmergencyAnswer, EmergencyStep
from services import emergency_steps


@activity.defn
@classify_failures
async def record_emergency_step(step: EmergencyStep) -> EmergencyAnswer:
    async with transaction() as session:
        return EmergencyAnswer(state=await emergency_steps.record(session, step))


ALL: list[Callable[..., Any]] = [record_emergency_step]
