"""Access tokens: HS256 JWTs signed with the settings' secret, short-lived (TOKEN_MINUTES).

A staff token names the user and is only a pointer: the user, their role and unit are loaded from the
database on every request, so disabling an account takes effect at once. A citizen token names the
households it covers (and the request it was issued for, at registration) and carries no personal data; a community
helper's names the helper, checked on every request the same way.
"""

import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any, Literal
from uuid import UUID

import jwt

from common.settings import Settings
from domain.roles import Role

ALGORITHM = "HS256"
TokenKind = Literal["staff", "citizen", "helper"]
MAX_HOUSEHOLDS = 20  # a phone shared by more households than this is not a citizen's session
# The pages (web/) keep the same token in this cookie (HttpOnly, SameSite=Strict); the API never reads it,
# so a cross-site form cannot act on the API with it, and every page form carries a CSRF token.
SESSION_COOKIE = "an_sinh_session"


class InvalidToken(Exception):
    pass


@dataclass(frozen=True)
class TokenClaims:
    kind: TokenKind
    subject: UUID
    role: Role
    request_code: str | None = None
    household_ids: list[UUID] = field(default_factory=list)
    issued_at: int = 0  # seconds since the epoch


def issue_staff_token(settings: Settings, user_id: UUID, role: Role) -> str:
    return _encode(settings, {"typ": "staff", "sub": str(user_id), "role": role.value})


def issue_citizen_token(settings: Settings, household_ids: list[UUID], request_code: str | None = None) -> str:
    claims: dict[str, Any] = {
        "typ": "citizen",
        "sub": str(household_ids[0]),
        "role": Role.CITIZEN.value,
        "hh": [str(h) for h in household_ids[:MAX_HOUSEHOLDS]],
    }
    if request_code:
        claims["req"] = request_code
    return _encode(settings, claims)


def issue_helper_token(settings: Settings, helper_id: UUID) -> str:
    """A community helper's token: the helper's id only (no phone, no name)."""
    return _encode(settings, {"typ": "helper", "sub": str(helper_id), "role": Role.COMMUNITY_HELPER.value})


def _encode(settings: Settings, claims: dict[str, Any]) -> str:
    now = datetime.now(UTC)
    payload = {**claims, "iat": now, "exp": now + timedelta(minutes=settings.token_minutes)}
    return jwt.encode(payload, settings.token_secret, algorithm=ALGORITHM)


def decode_token(settings: Settings, token: str) -> TokenClaims:
    """The claims of one of our unexpired tokens; InvalidToken otherwise."""
    claims, expires_at = _verified_claims(settings.token_secret, token)
    if expires_at <= time.time():  # PyJWT's own rule: expired once now reaches exp
        raise InvalidToken("Signature has expired")
    return claims


# A token's signature and claims never change, so a token checked once is not decoded again (PyJWT's checks were
# a tenth of a citizen's status read); its expiry is checked on every request. Keyed by the secret too; a refused
# token raises and is never cached. The cached claims are shared: callers read them, never change them.
@lru_cache(maxsize=4096)
def _verified_claims(secret: str, token: str) -> tuple[TokenClaims, int]:
    try:
        payload = jwt.decode(token, secret, algorithms=[ALGORITHM], options={"require": ["exp", "sub", "typ", "role"]})
        kind = payload["typ"]
        role = Role(payload["role"])
        if (
            kind not in ("staff", "citizen", "helper")
            or (kind == "citizen") != (role == Role.CITIZEN)
            or (kind == "helper") != (role == Role.COMMUNITY_HELPER)
        ):
            raise InvalidToken("token kind and role disagree")
        subject = UUID(payload["sub"])
        households = [UUID(h) for h in payload.get("hh", [])] if kind == "citizen" else []
        if kind == "citizen" and not households:
            households = [subject]
        claims = TokenClaims(
            kind=kind,
            subject=subject,
            role=role,
            request_code=payload.get("req"),
            household_ids=households,
            issued_at=int(payload.get("iat", 0)),
        )
        return claims, payload["exp"]
    except (jwt.PyJWTError, ValueError, KeyError, TypeError) as exc:
        raise InvalidToken(str(exc)) from exc
