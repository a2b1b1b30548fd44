"""Signing in: staff with a password; citizens with a one-time code sent to their phone
(usecases/trust/sign_in.py: rate-limited, audited)."""

from typing import Annotated

from fastapi import APIRouter, Depends, Request, status
from fastapi.security import OAuth2PasswordRequestForm

from api.deps import UseCases
from api.errors import request_lang
from usecases.schemas.citizen import OtpRequestBody, OtpSent, OtpVerificationBody
from usecases.schemas.lists import TokenAnswer
from usecases.trust import sign_in

router = APIRouter(tags=["auth"])


@router.post("/auth/token", response_model=TokenAnswer)
async def staff_token(form: Annotated[OAuth2PasswordRequestForm, Depends()], ctx: UseCases) -> TokenAnswer:
    return await sign_in.staff_sign_in(ctx, form.username, form.password)


@router.post("/citizen/otp", response_model=OtpSent, status_code=status.HTTP_202_ACCEPTED)
async def send_code(body: OtpRequestBody, ctx: UseCases, request: Request) -> OtpSent:
    """Sends a one-time code by SMS to a phone given at registration. The answer is the same for any phone."""
    return await sign_in.send_code(ctx, body, request_lang(request))


@router.post("/citizen/otp/verification", response_model=TokenAnswer)
async def verify_code(body: OtpVerificationBody, ctx: UseCases) -> TokenAnswer:
    """A citizen token for every household whose requests carry this phone."""
    return await sign_in.verify_code(ctx, body)
