"""Signing in: staff with a password; citizens with a one-time code sent to their phone.

Both are rate-limited per IP and per username/phone (429 with Retry-After), and audited.
"""

from datetime import UTC, datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request, status
from fastapi.security import OAuth2PasswordRequestForm

from api.deps import AppSettings, Audit, DbSession, client_ip
from api.schemas.citizen import OtpRequestBody, OtpSent, OtpVerificationBody
from api.schemas.lists import TokenAnswer
from api.security import MAX_HOUSEHOLDS, issue_citizen_token, issue_staff_token
from domain.roles import Role
from services import otp, rate_limits
from services.staff import authenticate

router = APIRouter(tags=["auth"])

_WRONG_CODE = "mã xác thực sai hoặc đã hết hạn (the code is wrong or has expired); ask for a new one"


@router.post("/auth/token", response_model=TokenAnswer)
async def staff_token(
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    request: Request,
    session: DbSession,
    settings: AppSettings,
    audit: Audit,
) -> TokenAnswer:
    limits = settings.rate_limits
    await rate_limits.hit(
        ("login_ip", client_ip(request) or "-", limits.login_per_ip),
        ("login_username", form.username.strip().lower(), limits.login_per_username),
    )
    # A name PostgreSQL cannot even compare (a NUL byte) matches nobody.
    user = await authenticate(session, form.username, form.password) if form.username.isprintable() else None
    if user is None:
        await audit.record("sign_in_failed")  # no username: it may be a password typed in the wrong box
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            detail="sai tên đăng nhập hoặc mật khẩu, hoặc tài khoản đã bị khóa (wrong username or password)",
            headers={"WWW-Authenticate": "Bearer"},
        )
    role = Role(user.role)
    await audit.record("sign_in", actor_id=user.id, actor_role=role.value)
    return TokenAnswer(access_token=issue_staff_token(settings, user.id, role), role=role, unit_code=user.unit_code)


@router.post("/citizen/otp", response_model=OtpSent, status_code=status.HTTP_202_ACCEPTED)
async def send_code(
    body: OtpRequestBody, request: Request, session: DbSession, settings: AppSettings, audit: Audit
) -> OtpSent:
    """Sends a one-time code by SMS to a phone given at registration. The answer is the same for any phone."""
    limits = settings.rate_limits
    await rate_limits.hit(
        ("otp_send_ip", client_ip(request) or "-", limits.otp_send_per_ip),
        ("otp_send_phone", body.phone, limits.otp_send_per_phone),
    )
    valid_for = timedelta(minutes=settings.otp_minutes)
    sent = await otp.send_code(session, body.phone, valid_for, datetime.now(UTC))
    await audit.record("otp_sent" if sent else "otp_unknown_phone")
    return OtpSent(
        message="nếu số điện thoại đã đăng ký, mã xác thực đã được gửi bằng SMS (if the phone is registered, "
        "a code was sent by SMS)",
        expires_in_seconds=int(valid_for.total_seconds()),
    )


@router.post("/citizen/otp/verification", response_model=TokenAnswer)
async def verify_code(
    body: OtpVerificationBody, request: Request, session: DbSession, settings: AppSettings, audit: Audit
) -> TokenAnswer:
    """A citizen token for every household whose requests carry this phone."""
    limits = settings.rate_limits
    await rate_limits.hit(
        ("otp_verify_ip", client_ip(request) or "-", limits.otp_verify_per_ip),
        ("otp_verify_phone", body.phone, limits.otp_verify_per_phone),
    )
    households = await otp.check_code(session, body.phone, body.code, settings.otp_max_attempts, datetime.now(UTC))
    if households is None:
        await audit.record("otp_failed")  # commits the counted try with it
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, detail=_WRONG_CODE)
    households = households[:MAX_HOUSEHOLDS]
    await audit.record("otp_signed_in", households=[str(h) for h in households])
    return TokenAnswer(
        access_token=issue_citizen_token(settings, households), role=Role.CITIZEN, household_ids=households
    )
