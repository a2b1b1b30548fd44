"""Access tokens: HS256 JWTs signed with the settings' secret.

A staff token names the user and is only a pointer: the user, their role and unit are loaded from the
database on every request, so disabling an account takes effect at once. A citizen token names the
household (and the request it was opened for) and carries no personal data.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal
from uuid import UUID

import jwt

from common.settings import Settings
from domain.roles import Role

ALGORITHM = "HS256"
TokenKind = Literal["staff", "citizen"]


class InvalidToken(Exception):
    pass


@dataclass(frozen=True)
class TokenClaims:
    kind: TokenKind
    subject: UUID
    role: Role
    request_code: str | None = None


def issue_staff_token(settings: Settings, user_id: UUID, role: Role) -> str:
    return _encode(settings, {"typ": "staff", "sub": str(user_id), "role": role.value})


def issue_citizen_token(settings: Settings, household_id: UUID, request_code: str) -> str:
    return _encode(
        settings, {"typ": "citizen", "sub": str(household_id), "role": Role.CITIZEN.value, "req": request_code}
    )


def _encode(settings: Settings, claims: dict[str, str]) -> str:
    now = datetime.now(UTC)
    payload = {**claims, "iat": now, "exp": now + timedelta(minutes=settings.token_minutes)}
    return jwt.encode(payload, settings.token_secret, algorithm=ALGORITHM)


def decode_token(settings: Settings, token: str) -> TokenClaims:
    try:
        payload = jwt.decode(
            token, settings.token_secret, algorithms=[ALGORITHM], options={"require": ["exp", "sub", "typ", "role"]}
        )
        kind = payload["typ"]
        role = Role(payload["role"])
        if kind not in ("staff", "citizen") or (kind == "citizen") != (role == Role.CITIZEN):
            raise InvalidToken("token kind and role disagree")
        return TokenClaims(kind=kind, subject=UUID(payload["sub"]), role=role, request_code=payload.get("req"))
    except (jwt.PyJWTError, ValueError, KeyError) as exc:
        raise InvalidToken(str(exc)) from exc
