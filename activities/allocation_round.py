"""The allocation round's activities: compute the need and the problem, solve it, and store what the workflow
decided. Each write is keyed by the round's day and its solve number (services/allocation_rounds.py), so a
retry writes nothing twice; the solve itself is pure and runs off the event loop."""

import asyncio
from collections.abc import Callable
from typing import Any

from temporalio import activity

from activities.step_failures import classify_failures
from db.base import transaction
from domain.allocation import AllocationPlan, AllocationProblem
from domain.allocation_round_steps import PrepareRound, RecordApproval, RecordPlan, RecordStage
from services import allocation_need, allocation_rounds, allocation_solver


@activity.defn
@classify_failures
async def prepare_allocation_round(inp: PrepareRound) -> AllocationProblem:
    """The need per destination and the city warehouses' lots, stored with the round, as the solver's problem."""
    async with transaction() as session:
        prepared = await allocation_need.prepare(session, inp.round_date, inp.at, inp.policy)
        await allocation_rounds.record_problem(
            session, inp.round_date, inp.solve, prepared.needs, prepared.problem, inp.at
        )
    return prepared.problem


@activity.defn
async def solve_allocation_round(problem: AllocationProblem) -> AllocationPlan:
    return await asyncio.to_thread(allocation_solver.solve, problem)


@activity.defn
@classify_failures
async def record_allocation_plan(inp: RecordPlan) -> None:
    async with transaction() as session:
        await allocation_rounds.record_plan(session, inp.round_date, inp.solve, inp.plan, inp.at)


@activity.defn
@classify_failures
async def record_allocation_round_stage(inp: RecordStage) -> None:
    async with transaction() as session:
        await allocation_rounds.record_stage(session, inp.round_date, inp.stage, inp.reason, inp.escalated, inp.at)


@activity.defn
@classify_failures
async def record_allocation_approval(inp: RecordApproval) -> None:
    async with transaction() as session:
        await allocation_rounds.record_approval(session, inp.round_date, inp.actor_id, inp.lines, inp.at)


ALL: list[Callable[..., Any]] = [
    prepare_allocation_round,
    solve_allocation_round,
    record_allocation_plan,
    record_allocation_round_stage,
    record_allocation_approval,
]
