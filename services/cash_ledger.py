"""The cash ledger: a household's need, and the pledges held against it.

Each function takes the caller's session and writes inside its transaction. The rules are the database's
(migration 0013): a new pledge only to a published need, live and confirmed pledges never above what was asked,
a pledge only along its allowed moves. This module turns those refusals into CashErrors, and makes each write
safe to repeat (a retried activity or a double-tapped button writes once).
"""

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

import psycopg
from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import Range, insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from db.cash import CashNeed, Pledge
from domain.cash import NeedState, PayoutMethod, PledgeState, SituationCategory


class CashError(Exception):
    """A refusal of the ledger's rules, with what the caller needs to say why (the words are the use case's)."""

    field = "amount"
    code = "cash_refused"


class OverFunded(CashError):
    code = "above_remaining"

    def __init__(self, remaining: int) -> None:
        super().__init__(f"above what remains: {remaining}")
        self.remaining = remaining


class NeedNotOpen(CashError):
    field = "request_code"
    code = "need_not_open"


class PledgeMoveRefused(CashError):
    field = "pledge"
    code = "pledge_closed"

    def __init__(self, state: PledgeState, wanted: PledgeState) -> None:
        super().__init__(f"{state.value} cannot become {wanted.value}")
        self.state, self.wanted = state, wanted


@dataclass(frozen=True)
class NeedTotals:
    amount_asked: int
    amount_pledged: int  # live and confirmed pledges
    amount_confirmed: int
    state: NeedState

    @property
    def remaining(self) -> int:
        """What helpers may still pledge."""
        return self.amount_asked - self.amount_pledged

    @property
    def fully_confirmed(self) -> bool:
        return self.amount_confirmed >= self.amount_asked


@dataclass(frozen=True)
class PledgeRow:
    code: str
    request_id: uuid.UUID
    helper_id: uuid.UUID
    amount: int
    state: PledgeState


@dataclass(frozen=True)
class NewNeed:
    request_id: uuid.UUID
    household_id: uuid.UUID | None
    ward_code: str
    district_code: str
    amount_asked: int
    situation: SituationCategory
    payout_method: PayoutMethod
    bank_bin: str
    account_number: str
    account_hash: str
    holder_name: str
    holder_matches_applicant: bool
    consent_to_publish: bool


async def open_need(session: AsyncSession, need: NewNeed) -> None:
    """Records the need once, pending until the ward verifies it."""
    await session.execute(
        insert(CashNeed)
        .values(
            request_id=need.request_id,
            household_id=need.household_id,
            ward_code=need.ward_code,
            district_code=need.district_code,
            amount_asked=need.amount_asked,
            situation=need.situation.value,
            payout_method=need.payout_method.value,
            bank_bin=need.bank_bin,
            account_number=need.account_number,
            account_hash=need.account_hash,
            holder_name=need.holder_name,
            holder_matches_applicant=need.holder_matches_applicant,
            consent_to_publish=need.consent_to_publish,
        )
        .on_conflict_do_nothing(index_elements=["request_id"])
    )


async def totals(session: AsyncSession, request_id: uuid.UUID) -> NeedTotals:
    row = (
        await session.execute(
            select(CashNeed.amount_asked, CashNeed.amount_pledged, CashNeed.amount_confirmed, CashNeed.state).where(
                CashNeed.request_id == request_id
            )
        )
    ).one()
    return NeedTotals(row.amount_asked, row.amount_pledged, row.amount_confirmed, NeedState(row.state))


async def set_need_state(session: AsyncSession, request_id: uuid.UUID, state: NeedState, at: datetime) -> None:
    """Publishes or withdraws a need that is not closed; closing is `close_need`'s."""
    if state == NeedState.CLOSED:
        raise ValueError("a need closes with close_need")
    values: dict[str, object] = {"state": state.value}
    if state == NeedState.PUBLISHED:
        values["published_at"] = at
    await session.execute(
        update(CashNeed)
        .where(CashNeed.request_id == request_id, CashNeed.state != NeedState.CLOSED.value)
        .values(**values)
    )


async def close_need(session: AsyncSession, request_id: uuid.UUID, at: datetime, window: timedelta) -> NeedTotals:
    """No new pledges; a need with money confirmed starts the household's cash window. Closing again changes
    nothing (the first close's moment stands)."""
    need = (
        await session.execute(select(CashNeed).where(CashNeed.request_id == request_id).with_for_update())
    ).scalar_one()
    if need.state != NeedState.CLOSED.value:
        need.state = NeedState.CLOSED.value
        need.closed_at = at
        if need.amount_confirmed > 0 and need.household_id is not None:
            need.entitled_period = Range(at, at + window, bounds="[)")
        await session.flush()
    return NeedTotals(need.amount_asked, need.amount_pledged, need.amount_confirmed, NeedState(need.state))


async def pledge(
    session: AsyncSession, code: str, request_id: uuid.UUID, helper_id: uuid.UUID, amount: int
) -> PledgeRow:
    """Holds `amount` against the need; the same code again returns the pledge already made. Refused with
    OverFunded when it would take the need past what was asked (concurrent pledges queue on the need's row),
    with NeedNotOpen when the need is not published."""
    if amount <= 0:
        raise ValueError("a pledge's amount is positive")
    existing = await _pledge(session, code)
    if existing is not None:
        return existing
    try:
        async with session.begin_nested():
            session.add(Pledge(code=code, request_id=request_id, helper_id=helper_id, amount=amount))
            await session.flush()
    except IntegrityError as exc:
        constraint = _constraint(exc)
        if constraint.endswith("never_over_funded"):
            raise OverFunded((await totals(session, request_id)).remaining) from None
        if constraint == "pledge_need_published":
            raise NeedNotOpen() from None
        raise
    return PledgeRow(code, request_id, helper_id, amount, PledgeState.PLEDGED)


async def move_pledge(
    session: AsyncSession,
    code: str,
    to: PledgeState,
    at: datetime,
    *,
    decided_by: uuid.UUID | None = None,
    note: str | None = None,
) -> PledgeRow:
    """Moves the pledge to `to`; a pledge already there is returned as it is (a retry), any other move the
    database does not allow is refused with PledgeMoveRefused and writes nothing."""
    row = (await session.execute(select(Pledge).where(Pledge.code == code).with_for_update())).scalar_one()
    current = PledgeState(row.state)
    if current == to:
        return _row(row)
    try:
        async with session.begin_nested():
            row.state = to.value
            if to == PledgeState.TRANSFERRED:
                row.transferred_at = at
            if to.is_final:
                row.closed_at = at
            if decided_by is not None:
                row.decided_by = decided_by
            if note is not None:
                row.note = note[:500]
            await session.flush()
    except IntegrityError as exc:
        if _constraint(exc) == "pledge_moves":
            await session.refresh(row)
            raise PledgeMoveRefused(current, to) from None
        raise
    return _row(row)


async def _pledge(session: AsyncSession, code: str) -> PledgeRow | None:
    row = (await session.execute(select(Pledge).where(Pledge.code == code))).scalar_one_or_none()
    return _row(row) if row is not None else None


def _row(row: Pledge) -> PledgeRow:
    return PledgeRow(row.code, row.request_id, row.helper_id, row.amount, PledgeState(row.state))


def _constraint(exc: IntegrityError) -> str:
    cause = exc.orig
    return (cause.diag.constraint_name or "") if isinstance(cause, psycopg.Error) else ""
