"""The allocation round's activity inputs: each names the round's day, and the solve number where a retry must
not overwrite a later solve."""

from datetime import date, datetime
from uuid import UUID

from pydantic import BaseModel, ConfigDict

from domain.allocation import AllocationPlan
from domain.allocation_round import AllocationRoundPolicy, ApprovedLine, RoundStage


class _Step(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    round_date: date
    at: datetime


class PrepareRound(_Step):
    solve: int
    policy: AllocationRoundPolicy


class RecordPlan(_Step):
    solve: int
    plan: AllocationPlan


class RecordStage(_Step):
    stage: RoundStage
    reason: str | None = None
    escalated: bool = False


class RecordApproval(_Step):
    actor_id: UUID
    lines: tuple[ApprovedLine, ...]
