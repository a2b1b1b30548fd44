"""Citizens sign in with a one-time code sent to the phone they registered with; community helpers with one sent
to any phone (their challenges are keyed apart, so one kind of code never signs in the other).

The code is six random digits, kept only as a keyed hash bound to its challenge, valid for minutes,
used once, and dead after a few wrong tries; a new code replaces the old one, and not before the resend wait.
Whether the phone is known is never revealed: an unknown phone gets a challenge too (a code nobody is sent), so
its tries are counted, its tries left told and its resend wait kept exactly as a known phone's; only the SMS differs.
"""

import hmac
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, union, update
from sqlalchemy.ext.asyncio import AsyncSession

from common.keyed_hash import keyed_hash, phone_hash
from db.households import Household, HouseholdMember
from db.otp import OtpChallenge
from db.requests import ReliefRequest, RequestEvent
from domain.stages import EventType
from services.rate_limits import RateLimited
from services.sms import provider


@dataclass(frozen=True)
class CodeCheck:
    households: list[uuid.UUID]  # empty: the code did not sign anyone in
    tries_left: int


def _code_hash(challenge_id: uuid.UUID, code: str) -> str:
    return keyed_hash("otp", f"{challenge_id}:{code}")


async def households_of_phone(session: AsyncSession, phone_e164: str) -> list[uuid.UUID]:
    """The households that have this phone on file (the household's or a member's, from the registration that
    created it or the ward's list), or whose request with this phone a ward approved. A phone typed into someone
    else's registration is not attached to their household: that would open its requests to whoever typed it."""
    tel = phone_hash(phone_e164)
    on_file = union(
        select(Household.id.label("id")).where(Household.phone_hash == tel),
        select(HouseholdMember.household_id.label("id")).where(HouseholdMember.phone_hash == tel),
        select(ReliefRequest.household_id.label("id"))
        .join(RequestEvent, RequestEvent.request_id == ReliefRequest.id)
        .where(ReliefRequest.applicant_phone_hash == tel, RequestEvent.event == EventType.APPROVED.value),
    ).subquery()
    rows = await session.scalars(select(on_file.c.id).where(on_file.c.id.is_not(None)))
    return sorted(set(rows))


async def send_code(
    session: AsyncSession, phone_e164: str, valid_for: timedelta, resend_after: timedelta, now: datetime
) -> bool:
    """Starts a new challenge for the phone, and sends its code if the phone is known; returns whether an SMS went
    (never shown to the caller). RateLimited until `resend_after` has passed since the phone's last challenge."""
    code = await _new_challenge(session, phone_hash(phone_e164), valid_for, resend_after, now)
    if not await households_of_phone(session, phone_e164):
        return False
    await _send(session, phone_e164, code, valid_for)
    return True


def helper_challenge_key(phone_e164: str, purpose: str = "helper") -> str:
    """Community helpers' codes are challenges of their own: a citizen's code never signs in a helper. So are the
    codes that prove an emergency's phone (`purpose` "emergency"): neither opens the other."""
    return keyed_hash(f"otp-{purpose}", phone_e164)


async def send_helper_code(
    session: AsyncSession,
    phone_e164: str,
    valid_for: timedelta,
    resend_after: timedelta,
    now: datetime,
    purpose: str = "helper",
) -> None:
    """A code to any phone that wants to help (helpers need no registration first), or to post an emergency
    (a neighbour may post for someone), with the same waits."""
    code = await _new_challenge(session, helper_challenge_key(phone_e164, purpose), valid_for, resend_after, now)
    await _send(session, phone_e164, code, valid_for)


async def _new_challenge(
    session: AsyncSession, tel_hash: str, valid_for: timedelta, resend_after: timedelta, now: datetime
) -> str:
    # One sender per phone at a time: two taps cannot both pass the wait.
    await session.execute(select(func.pg_advisory_xact_lock(func.hashtext(f"otp:{tel_hash}"))))
    last = await session.scalar(select(func.max(OtpChallenge.created_at)).where(OtpChallenge.phone_hash == tel_hash))
    if last is not None and now - last < resend_after:
        raise RateLimited("otp_resend_phone", max(1, int((last + resend_after - now).total_seconds())))
    # One live code per phone: the newest replaces any earlier one.
    await session.execute(
        update(OtpChallenge)
        .where(OtpChallenge.phone_hash == tel_hash, OtpChallenge.used_at.is_(None), OtpChallenge.expires_at > now)
        .values(expires_at=now)
    )
    code = f"{secrets.randbelow(1_000_000):06d}"
    challenge_id = uuid.uuid4()
    session.add(
        OtpChallenge(
            id=challenge_id,
            phone_hash=tel_hash,
            code_hash=_code_hash(challenge_id, code),
            expires_at=now + valid_for,
            attempts=0,
            created_at=now,
        )
    )
    return code


async def _send(session: AsyncSession, phone_e164: str, code: str, valid_for: timedelta) -> None:
    minutes = int(valid_for.total_seconds() // 60)
    await provider().send(
        session, phone_e164, f"Ma xac thuc An Sinh: {code}. Het han sau {minutes} phut. Khong chia se ma nay."
    )


async def check_code(session: AsyncSession, phone_e164: str, code: str, max_attempts: int, now: datetime) -> CodeCheck:
    """The phone's households if the code is right, and the tries left on its live challenge (0 without one).
    The caller commits either way, so a wrong try is counted."""
    challenge = await _live_challenge(session, phone_hash(phone_e164), now)
    if challenge is None or challenge.attempts >= max_attempts:
        return CodeCheck([], 0)
    if hmac.compare_digest(challenge.code_hash, _code_hash(challenge.id, code)):
        households = await households_of_phone(session, phone_e164)
        if households:
            challenge.used_at = now
            return CodeCheck(households, max_attempts - challenge.attempts)
    # A right guess of an unknown phone's unsent code counts as wrong, like any other.
    challenge.attempts += 1
    return CodeCheck([], max_attempts - challenge.attempts)


async def check_helper_code(
    session: AsyncSession, phone_e164: str, code: str, max_attempts: int, now: datetime, purpose: str = "helper"
) -> tuple[bool, int]:
    """Whether the helper's (or the emergency poster's) code is right, and the tries left (counted like a
    citizen's)."""
    challenge = await _live_challenge(session, helper_challenge_key(phone_e164, purpose), now)
    if challenge is None or challenge.attempts >= max_attempts:
        return False, 0
    if hmac.compare_digest(challenge.code_hash, _code_hash(challenge.id, code)):
        challenge.used_at = now
        return True, max_attempts - challenge.attempts
    challenge.attempts += 1
    return False, max_attempts - challenge.attempts


async def _live_challenge(session: AsyncSession, tel_hash: str, now: datetime) -> OtpChallenge | None:
    return await session.scalar(
        select(OtpChallenge)
        .where(OtpChallenge.phone_hash == tel_hash, OtpChallenge.used_at.is_(None), OtpChallenge.expires_at > now)
        .order_by(OtpChallenge.created_at.desc())
        .limit(1)
        .with_for_update()
    )
