"""Allocation rounds: the centre's officials start today's, read a round's proposal with its reasons and the
need's breakdown, solve it again, and approve it (with edited lines); supervisors read. Thin adapters over
usecases/supply/allocation_rounds.py."""

from datetime import date

from fastapi import APIRouter, status

from api.deps import CurrentPrincipal, IdempotencyKey, UseCases
from domain.allocation_round import RoundAnswer
from usecases.schemas.allocation_rounds import ApprovalForm, RoundSummary, RoundView
from usecases.supply import allocation_rounds

router = APIRouter(tags=["allocation rounds"])


@router.get("/allocation-rounds", response_model=list[RoundSummary])
async def list_rounds(principal: CurrentPrincipal, ctx: UseCases) -> list[RoundSummary]:
    """The latest rounds, newest first."""
    return await allocation_rounds.list_rounds(ctx, principal)


@router.post("/allocation-rounds", status_code=status.HTTP_202_ACCEPTED, response_model=RoundAnswer)
async def start_now(principal: CurrentPrincipal, ctx: UseCases, key: IdempotencyKey = None) -> RoundAnswer:
    """Starts today's round now, or solves it again if it runs and is not approved."""
    return await allocation_rounds.start_now(ctx, principal, key)


@router.get("/allocation-rounds/{round_date}", response_model=RoundView)
async def read(round_date: date, principal: CurrentPrincipal, ctx: UseCases) -> RoundView:
    return await allocation_rounds.read_round(ctx, principal, round_date)


@router.post("/allocation-rounds/{round_date}/approval", response_model=RoundAnswer)
async def approve(
    round_date: date, form: ApprovalForm, principal: CurrentPrincipal, ctx: UseCases, key: IdempotencyKey = None
) -> RoundAnswer:
    """Approves the proposal, as it stands or with edited lines; the approved lines are shipped."""
    return await allocation_rounds.approve(ctx, principal, round_date, form, key)


@router.post("/allocation-rounds/{round_date}/solve-again", response_model=RoundAnswer)
async def solve_again(
    round_date: date, principal: CurrentPrincipal, ctx: UseCases, key: IdempotencyKey = None
) -> RoundAnswer:
    """Computes the need and solves the round again (a failed round, or a proposal to refresh)."""
    return await allocation_rounds.resolve(ctx, principal, round_date, key)
