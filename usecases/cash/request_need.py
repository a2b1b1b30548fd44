"""A cash request's need, read by its household and by the officials in its scope (the same scope as the request
itself). The account number is shown masked; the full number only on an explicit reading by an official, which
the audit log records with who and when."""

from domain.banks import bank_by_bin
from domain.cash import NeedState
from services import cash_needs
from services.cash_needs import NeedRecord
from usecases.access import request_not_found, visible_request
from usecases.context import Context
from usecases.errors import InvalidInput
from usecases.principal import Principal
from usecases.schemas.cash_request import CashNeedView, RevealedAccount


def mask_account(number: str) -> str:
    return "•••• " + number[-4:]


async def need_view(ctx: Context, principal: Principal, code: str) -> CashNeedView | None:
    """The request's need, or None for a request without one (a food bag, a refused registration)."""
    record = await visible_request(ctx.session, principal, code)
    need = await cash_needs.need_record(ctx.session, record.request.id)
    if need is None:
        return None
    if principal.is_staff:
        await ctx.auditor(principal).record("read_cash_need", record.request)
    threshold = ctx.settings.cash_policy.shared_account_households
    return _view(need, threshold if principal.is_official else None)


async def reveal_account(ctx: Context, principal: Principal, code: str) -> RevealedAccount:
    """The full account number, for an official in scope; recorded before it is returned."""
    record = await visible_request(ctx.session, principal, code)
    if not principal.is_official:
        raise request_not_found(code)
    need = await cash_needs.need_record(ctx.session, record.request.id)
    if need is None:
        raise InvalidInput.field("code", "no_cash_need", input=code)
    await ctx.auditor(principal).record("read_account_number", record.request)
    return RevealedAccount(account_number=need.account_number, holder_name=need.holder_name)


def _view(need: NeedRecord, shared_threshold: int | None) -> CashNeedView:
    bank = bank_by_bin(need.bank_bin)
    return CashNeedView(
        amount_asked_vnd=need.amount_asked,
        amount_pledged_vnd=need.amount_pledged,
        amount_confirmed_vnd=need.amount_confirmed,
        situation=need.situation,
        payout_method=need.payout_method,
        bank_name=bank.short_name if bank else need.bank_bin,
        account_masked=mask_account(need.account_number),
        holder_name=need.holder_name,
        holder_matches_applicant=need.holder_matches_applicant,
        state=need.state,
        public_ref=need.public_ref if need.state == NeedState.PUBLISHED else None,
        households_on_account=need.households_on_account if shared_threshold is not None else None,
        shared_account_flagged=shared_threshold is not None and need.households_on_account >= shared_threshold,
    )
