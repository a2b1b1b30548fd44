"""Community helpers sign in with a one-time code sent to their phone, and say the name households see: a person's,
or a help group's (kind "group"). Rate-limited per IP and per phone like citizens' codes, and audited."""

from datetime import UTC, datetime, timedelta

from domain.roles import Role
from services import community_helpers, otp, rate_limits
from texts import Lang, text
from usecases.context import Context
from usecases.principal import helper_principal
from usecases.schemas.citizen import OtpSent
from usecases.schemas.lists import TokenAnswer
from usecases.schemas.pledges import HelperCodeRequest, HelperSignIn
from usecases.trust.sign_in import WrongCode
from usecases.trust.tokens import issue_helper_token


async def send_code(ctx: Context, body: HelperCodeRequest, lang: Lang) -> OtpSent:
    settings = ctx.settings
    limits = settings.rate_limits
    await rate_limits.hit(
        ("helper_otp_send_ip", ctx.client_ip or "-", limits.otp_send_per_ip),
        ("helper_otp_send_phone", body.phone, limits.otp_send_per_phone),
    )
    valid_for = timedelta(minutes=settings.otp_minutes)
    await otp.send_helper_code(
        ctx.session, body.phone, valid_for, timedelta(seconds=settings.otp_resend_seconds), datetime.now(UTC)
    )
    await ctx.auditor(None).record("helper_otp_sent")
    return OtpSent(
        message=text(lang, "community.code_sent"),
        expires_in_seconds=int(valid_for.total_seconds()),
        tries=settings.otp_max_attempts,
        resend_after_seconds=settings.otp_resend_seconds,
    )


async def verify_code(ctx: Context, body: HelperSignIn) -> TokenAnswer:
    """A helper's token; the helper is created on their first sign-in, and keeps their pledges after."""
    settings = ctx.settings
    limits = settings.rate_limits
    await rate_limits.hit(
        ("helper_otp_verify_ip", ctx.client_ip or "-", limits.otp_verify_per_ip),
        ("helper_otp_verify_phone", body.phone, limits.otp_verify_per_phone),
    )
    right, tries_left = await otp.check_helper_code(
        ctx.session, body.phone, body.code, settings.otp_max_attempts, datetime.now(UTC)
    )
    if not right:
        await ctx.auditor(None).record("helper_otp_failed")  # commits the counted try with it
        raise WrongCode(tries_left)
    helper_id = await community_helpers.signed_in(ctx.session, body.phone, body.kind, body.display_name)
    await ctx.auditor(helper_principal(helper_id)).record("helper_signed_in", helper=str(helper_id), kind=body.kind)
    return TokenAnswer(access_token=issue_helper_token(settings, helper_id), role=Role.COMMUNITY_HELPER)
