"""The database steps of a cash request's support stage (workflows.relief_support). Each writes the need's new
state and the request's stage change in one transaction keyed by the transition, so a retry writes once; what
they return is amounts, never the account or its holder."""

from collections.abc import Callable
from typing import Any
from uuid import UUID

from temporalio import activity

from activities.step_failures import classify_failures
from db.base import transaction
from domain.activity_io import CloseSupportInput, SupportTotals
from domain.cash import NeedState
from domain.messages import Transition
from domain.stages import Stage
from services import cash_ledger, cash_needs
from services.transitions import apply_transition


@activity.defn
@classify_failures
async def publish_need(t: Transition) -> None:
    """The verified need appears to helpers (the household consented at registration)."""
    async with transaction() as session:
        await cash_ledger.set_need_state(session, t.request_id, NeedState.PUBLISHED, t.at)
        await apply_transition(session, t)


@activity.defn
@classify_failures
async def read_support(request_id: UUID) -> SupportTotals:
    async with transaction() as session:
        return await cash_needs.support_totals(session, request_id)


@activity.defn
@classify_failures
async def withdraw_need(t: Transition) -> SupportTotals:
    """No new pledges (the publication's deadline passed, or the request is cancelled); live ones run on."""
    async with transaction() as session:
        await cash_ledger.set_need_state(session, t.request_id, NeedState.WITHDRAWN, t.at)
        await apply_transition(session, t)
        return await cash_needs.support_totals(session, t.request_id)


@activity.defn
@classify_failures
async def close_support(inp: CloseSupportInput) -> Stage:
    """Closes the need and ends the request: supported when money was confirmed (the household's cash window
    starts), otherwise as `unsupported` says. A retry closes nothing twice and writes the same stage."""
    request_id = inp.supported.request_id
    async with transaction() as session:
        totals = await cash_ledger.close_need(session, request_id, inp.supported.at, inp.window)
        t = inp.supported if totals.amount_confirmed > 0 else inp.unsupported
        await apply_transition(session, t)
    return t.stage


@activity.defn
@classify_failures
async def record_final(t: Transition) -> None:
    """A cash request that ends outside its support stage (expired or cancelled in verification): its need closes
    with the stage change, so no list or pledge finds it open."""
    async with transaction() as session:
        await apply_transition(session, t)
        await cash_needs.close_if_open(session, t.request_id, t.at)


ALL: list[Callable[..., Any]] = [publish_need, read_support, withdraw_need, close_support, record_final]
