"""A cash request's need, around the ledger (services.cash_ledger): opened by the admission step, read and
closed by the request's workflow.

The account number and holder name reach the database from the workflow's (encrypted) input only; what goes
back to the workflow is amounts and states, so nothing of the account enters its history in any form.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from common.keyed_hash import keyed_hash
from common.person_names import name_key, names_match
from db.cash import CashNeed
from db.households import Household
from domain.activity_io import SupportTotals
from domain.cash import CashNeedRequest, NeedState, PayoutMethod, SituationCategory
from domain.messages import RequestInput
from services import cash_ledger


def account_hash(bank_bin: str, account_number: str) -> str:
    """The keyed hash an account is matched by (the same account named for many households is flagged)."""
    return keyed_hash("account", f"{bank_bin}:{account_number}")


def holder_matches(holder_name: str, applicant_name: str) -> bool:
    """The holder is the applicant, as officials compare names (no diacritics, any order, one typo)."""
    return names_match(name_key(holder_name), name_key(applicant_name))


async def open_for_request(session: AsyncSession, req: RequestInput, household_id: UUID) -> None:
    """Writes the request's need, pending until the ward verifies it; a retried admission writes it once."""
    cash: CashNeedRequest | None = req.cash
    assert cash is not None, "a cash request carries its need"
    await cash_ledger.open_need(
        session,
        cash_ledger.NewNeed(
            request_id=req.request_id,
            household_id=household_id,
            ward_code=req.ward_code,
            district_code=req.district_code,
            amount_asked=cash.amount_vnd,
            situation=cash.situation,
            payout_method=cash.payout_method,
            bank_bin=cash.bank_bin,
            account_number=cash.account_number,
            account_hash=account_hash(cash.bank_bin, cash.account_number),
            holder_name=cash.holder_name,
            holder_matches_applicant=holder_matches(cash.holder_name, req.applicant.full_name),
            consent_to_publish=cash.consent_to_publish,
        ),
    )


async def support_totals(session: AsyncSession, request_id: UUID) -> SupportTotals:
    totals = await cash_ledger.totals(session, request_id)
    return SupportTotals(asked=totals.amount_asked, pledged=totals.amount_pledged, confirmed=totals.amount_confirmed)


async def close_if_open(session: AsyncSession, request_id: UUID, at: datetime) -> None:
    """Closes the need of a request that ended before any pledge could be made (a refused registration has
    none): no window starts, since nothing was confirmed."""
    exists = await session.scalar(select(CashNeed.request_id).where(CashNeed.request_id == request_id))
    if exists is not None:
        await cash_ledger.close_need(session, request_id, at, timedelta(0))


@dataclass(frozen=True)
class NeedRecord:
    """A request's need as the ward and the household read it (the account number in clear: callers mask it)."""

    amount_asked: int
    amount_pledged: int
    amount_confirmed: int
    situation: SituationCategory
    payout_method: PayoutMethod
    bank_bin: str
    account_number: str
    holder_name: str
    holder_matches_applicant: bool
    state: NeedState
    public_ref: str
    # Other households (not merged into one another) whose needs name the same account.
    households_on_account: int


async def need_record(session: AsyncSession, request_id: UUID) -> NeedRecord | None:
    need = await session.get(CashNeed, request_id)
    if need is None:
        return None
    households = await session.scalar(
        select(func.count(func.distinct(func.coalesce(Household.merged_into, Household.id))))
        .select_from(CashNeed)
        .join(Household, Household.id == CashNeed.household_id)
        .where(CashNeed.account_hash == need.account_hash)
    )
    return NeedRecord(
        amount_asked=need.amount_asked,
        amount_pledged=need.amount_pledged,
        amount_confirmed=need.amount_confirmed,
        situation=SituationCategory(need.situation),
        payout_method=PayoutMethod(need.payout_method),
        bank_bin=need.bank_bin,
        account_number=need.account_number,
        holder_name=need.holder_name,
        holder_matches_applicant=need.holder_matches_applicant,
        state=NeedState(need.state),
        public_ref=need.public_ref,
        households_on_account=households or 0,
    )
