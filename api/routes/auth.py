"""Signing in: staff with a password, citizens with their request code and phone."""

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, status
from fastapi.security import OAuth2PasswordRequestForm
from sqlalchemy import select

from api.deps import AppSettings, DbSession
from api.schemas.lists import CitizenSessionBody, TokenAnswer
from api.security import issue_citizen_token, issue_staff_token
from common.keyed_hash import phone_hash
from db.requests import ReliefRequest
from domain.identity import normalise_phone
from domain.roles import Role
from services.staff import authenticate

router = APIRouter(tags=["auth"])

_NO_SESSION = "không tìm thấy yêu cầu với mã và số điện thoại này (no request matches this code and phone)"


@router.post("/auth/token", response_model=TokenAnswer)
async def staff_token(
    form: Annotated[OAuth2PasswordRequestForm, Depends()], session: DbSession, settings: AppSettings
) -> TokenAnswer:
    user = await authenticate(session, form.username, form.password)
    if user is None:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            detail="sai tên đăng nhập hoặc mật khẩu, hoặc tài khoản đã bị khóa (wrong username or password)",
            headers={"WWW-Authenticate": "Bearer"},
        )
    role = Role(user.role)
    return TokenAnswer(access_token=issue_staff_token(settings, user.id, role), role=role, unit_code=user.unit_code)


@router.post("/citizen/sessions", response_model=TokenAnswer)
async def citizen_session(body: CitizenSessionBody, session: DbSession, settings: AppSettings) -> TokenAnswer:
    """A citizen's session for one request: the phone given at registration must match."""
    try:
        phone = normalise_phone(body.phone)
    except ValueError:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=_NO_SESSION) from None
    row = (
        await session.execute(
            select(ReliefRequest.code, ReliefRequest.household_id).where(
                ReliefRequest.code == body.request_code.strip().upper(),
                ReliefRequest.applicant_phone_hash == phone_hash(phone),
            )
        )
    ).first()
    if row is None or row.household_id is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=_NO_SESSION)
    return TokenAnswer(
        access_token=issue_citizen_token(settings, row.household_id, row.code),
        role=Role.CITIZEN,
        household_id=row.household_id,
        request_code=row.code,
    )
