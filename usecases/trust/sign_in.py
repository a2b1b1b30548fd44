"""Signing in: staff with a password; citizens with a one-time code sent to their phone.

Both are rate-limited per IP and per username/phone (RateLimited with its wait), and audited. A wrong code says
how many tries are left, and a new code waits `otp_resend_seconds` after the last: the same for any phone.
"""

from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from common.limits import RateLimits
from db.staff import StaffUser
from domain.roles import Role
from services import otp, rate_limits
from services.staff import authenticate
from texts import Lang, Text, text
from usecases.context import Context
from usecases.errors import Unauthenticated
from usecases.schemas.citizen import OtpRequestBody, OtpSent, OtpVerificationBody
from usecases.schemas.lists import TokenAnswer
from usecases.trust.tokens import MAX_HOUSEHOLDS, issue_citizen_token, issue_staff_token


class WrongCode(Unauthenticated):
    """A one-time code that signed nobody in; `tries_left` on the phone's live code (0: ask for a new one)."""

    def __init__(self, tries_left: int) -> None:
        super().__init__(Text("track.wrong_tries", tries=tries_left) if tries_left else Text("track.no_tries"))
        self.tries_left = tries_left


async def checked_password(
    session: AsyncSession, limits: RateLimits, ip: str | None, username: str, password: str
) -> StaffUser | None:
    """The staff member these credentials name, or None. Failures are counted per username at one address, and
    per address: someone guessing from elsewhere slows themselves, never the owner; a shared office address takes
    hundreds of failures before it waits (RateLimited)."""
    ip = ip or "-"
    failures = (
        ("login_failures_user_ip", f"{username.strip().lower()}|{ip}", limits.login_failures_per_username_ip),
        ("login_failures_ip", ip, limits.login_failures_per_ip),
    )
    await rate_limits.check(*failures)
    # A name PostgreSQL cannot even compare (a NUL byte) matches nobody.
    user = await authenticate(session, username, password) if username.isprintable() else None
    if user is None:
        await rate_limits.hit(*failures)
    return user


async def staff_sign_in(ctx: Context, username: str, password: str) -> TokenAnswer:
    user = await checked_password(ctx.session, ctx.settings.rate_limits, ctx.client_ip, username, password)
    audit = ctx.auditor(None)
    if user is None:
        await audit.record("sign_in_failed")  # no username: it may be a password typed in the wrong box
        raise Unauthenticated(Text("err.wrong_password"))
    role = Role(user.role)
    await audit.record("sign_in", actor_id=user.id, actor_role=role.value)
    return TokenAnswer(access_token=issue_staff_token(ctx.settings, user.id, role), role=role, unit_code=user.unit_code)


async def send_code(ctx: Context, body: OtpRequestBody, lang: Lang) -> OtpSent:
    """Sends a one-time code by SMS to a phone given at registration. The answer is the same for any phone, in the
    caller's language."""
    settings = ctx.settings
    limits = settings.rate_limits
    await rate_limits.hit(
        ("otp_send_ip", ctx.client_ip or "-", limits.otp_send_per_ip),
        ("otp_send_phone", body.phone, limits.otp_send_per_phone),
    )
    valid_for = timedelta(minutes=settings.otp_minutes)
    resend_after = timedelta(seconds=settings.otp_resend_seconds)
    sent = await otp.send_code(ctx.session, body.phone, valid_for, resend_after, datetime.now(UTC))
    await ctx.auditor(None).record("otp_sent" if sent else "otp_unknown_phone")
    return OtpSent(
        message=text(lang, "otp.sent"),
        expires_in_seconds=int(valid_for.total_seconds()),
        tries=settings.otp_max_attempts,
        resend_after_seconds=settings.otp_resend_seconds,
    )


async def verify_code(ctx: Context, body: OtpVerificationBody) -> TokenAnswer:
    """A citizen token for every household whose requests carry this phone."""
    settings = ctx.settings
    limits = settings.rate_limits
    await rate_limits.hit(
        ("otp_verify_ip", ctx.client_ip or "-", limits.otp_verify_per_ip),
        ("otp_verify_phone", body.phone, limits.otp_verify_per_phone),
    )
    now = datetime.now(UTC)
    checked = await otp.check_code(ctx.session, body.phone, body.code, settings.otp_max_attempts, now)
    audit = ctx.auditor(None)
    if not checked.households:
        await audit.record("otp_failed")  # commits the counted try with it
        raise WrongCode(checked.tries_left)
    households = checked.households[:MAX_HOUSEHOLDS]
    await audit.record("otp_signed_in", households=[str(h) for h in households])
    return TokenAnswer(
        access_token=issue_citizen_token(settings, households), role=Role.CITIZEN, household_ids=households
    )
