"""A pledge's steps as its workflow writes them: the move, the messages of the people concerned, and what an
expiry costs the helper, in one transaction.

Each step is safe to repeat: the move is the ledger's (a pledge already there is left as it is), the messages are
keyed by (pledge, seq, audience), and the helper's expiry is counted only by the transaction that moved the pledge
to expired. A helper whose pledges keep expiring is slowed (no new pledge until `slowed_until`), then flagged to
the city (CashPolicy).
"""

import uuid
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from db.cash import CashNeed, CommunityHelper, Pledge
from db.geography import AdminUnit
from db.notifications import Notification
from db.requests import ReliefRequest
from domain.cash import CashPolicy, PledgeState, vnd
from domain.pledges import PledgeEvent, PledgeStep
from domain.refusals import RuleViolation
from services import cash_ledger
from services.notices import STAFF_LANG, has_notice, notice
from texts import Lang, normalise_lang

# Audiences of a pledge's messages besides the staff levels ("ward", "city").
HELPER_AUDIENCE = "helper"
HOUSEHOLD_AUDIENCE = "citizen"


async def record(session: AsyncSession, step: PledgeStep) -> PledgeState:
    """Writes the step once and answers the pledge's state. A move the ledger refuses (the workflow's validator
    let through something the database does not allow) can never succeed: RuleViolation."""
    pledge = (await session.execute(select(Pledge).where(Pledge.id == step.pledge_id).with_for_update())).scalar_one()
    state = PledgeState(pledge.state)
    if step.to is not None and state != step.to:
        try:
            moved = await cash_ledger.move_pledge(
                session, step.code, step.to, step.at, decided_by=step.decided_by, note=step.note
            )
        except cash_ledger.PledgeMoveRefused as refused:
            raise RuleViolation(f"pledge {step.code} is {refused.state.value}: not {refused.wanted.value}") from None
        if moved.state == PledgeState.EXPIRED:
            await _count_expiry(session, pledge, step)
        state = moved.state
    await notify(session, pledge, step.seq, step.event, step.at, step.policy)
    return state


async def announce(session: AsyncSession, code: str, at: datetime, policy: CashPolicy, lang: Lang) -> uuid.UUID:
    """The new pledge's first messages (seq 1, before its workflow's steps), in the pledge's own transaction, with
    the helper's language (`lang`) kept for every later one; returns the pledge's id."""
    pledge = (await session.execute(select(Pledge).where(Pledge.code == code))).scalar_one()
    pledge.lang = lang
    await notify(session, pledge, 1, PledgeEvent.PLEDGED, at, policy)
    return pledge.id


async def notify(
    session: AsyncSession, pledge: Pledge, seq: int, event: PledgeEvent, at: datetime, policy: CashPolicy
) -> None:
    """The event's messages to each audience, once per (pledge, seq, audience)."""
    need = await session.get(CashNeed, pledge.request_id)
    assert need is not None
    values = {"code": pledge.code, "amount": pledge.amount, "hours": _hours(policy)}
    household: Lang = STAFF_LANG
    if has_notice(f"notice.citizen.pledge.{event.value}"):  # in the language the household registered in
        household = normalise_lang(
            await session.scalar(select(ReliefRequest.lang).where(ReliefRequest.id == need.request_id))
        )
    langs: dict[str, Lang] = {"helper": normalise_lang(pledge.lang), "citizen": household, "ward": STAFF_LANG}
    for audience, lang in langs.items():
        key = f"notice.{audience}.pledge.{event.value}"
        if has_notice(key):
            unit = need.ward_code if audience == "ward" else None
            message = notice(lang, key, {**values, "amount": vnd(pledge.amount, lang)})
            await _store(session, pledge.id, seq, audience, unit, event.value, message, at)


async def _count_expiry(session: AsyncSession, pledge: Pledge, step: PledgeStep) -> None:
    policy = step.policy
    expired = await session.scalar(
        update(CommunityHelper)
        .where(CommunityHelper.id == pledge.helper_id)
        .values(expired_pledges=CommunityHelper.expired_pledges + 1)
        .returning(CommunityHelper.expired_pledges)
    )
    assert expired is not None
    if expired >= policy.helper_expiries_to_slow:
        await session.execute(
            update(CommunityHelper)
            .where(CommunityHelper.id == pledge.helper_id)
            .values(slowed_until=step.at + policy.helper_slowed_for)
        )
    if expired >= policy.helper_expiries_to_flag:
        flagged = await session.scalar(
            update(CommunityHelper)
            .where(CommunityHelper.id == pledge.helper_id, CommunityHelper.flagged_at.is_(None))
            .values(flagged_at=step.at)
            .returning(CommunityHelper.id)
        )
        if flagged is not None:
            city = await _city_of(session, pledge.request_id)
            message = notice(STAFF_LANG, "notice.staff.helper_flagged", {"code": pledge.code, "expired": expired})
            await _store(session, pledge.id, step.seq, "city", city, "helper_flagged", message, step.at)


async def _city_of(session: AsyncSession, request_id: uuid.UUID) -> str | None:
    district = await session.scalar(select(CashNeed.district_code).where(CashNeed.request_id == request_id))
    return await session.scalar(select(AdminUnit.parent_code).where(AdminUnit.code == district))


async def _store(
    session: AsyncSession,
    pledge_id: uuid.UUID,
    seq: int,
    audience: str,
    unit_code: str | None,
    event: str,
    message: str,
    at: datetime,
) -> None:
    await session.execute(
        insert(Notification)
        .values(
            id=uuid.uuid4(),
            pledge_id=pledge_id,
            seq=seq,
            audience=audience,
            unit_code=unit_code,
            event=event,
            message=message,
            created_at=at,
        )
        .on_conflict_do_nothing()
    )


def _hours(policy: CashPolicy) -> int:
    return int(policy.pledge_transfer_within.total_seconds() // 3600)
