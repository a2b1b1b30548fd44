"""A cash request's need: its household and the officials in scope read it with the account masked; an official
reads the full account number by an explicit, audited call."""

from fastapi import APIRouter

from api.deps import CurrentPrincipal, UseCases
from api.params import RequestCode
from usecases.cash import request_need
from usecases.schemas.cash_request import CashNeedView, RevealedAccount

router = APIRouter(prefix="/requests", tags=["cash support"])


@router.get("/{code}/cash-need", response_model=CashNeedView | None)
async def cash_need(code: RequestCode, principal: CurrentPrincipal, ctx: UseCases) -> CashNeedView | None:
    """The need's amounts (asked, pledged, confirmed), situation, bank and masked account; null for a request of
    another kind."""
    return await request_need.need_view(ctx, principal, code)


@router.post("/{code}/cash-need/account-reading", response_model=RevealedAccount)
async def read_account(code: RequestCode, principal: CurrentPrincipal, ctx: UseCases) -> RevealedAccount:
    """The full account number, for an official in scope; the audit log records who read it and when."""
    return await request_need.reveal_account(ctx, principal, code)
