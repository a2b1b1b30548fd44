"""CSRF protection of every page form: a random per-browser nonce in an HttpOnly, SameSite=Strict cookie, and
in each form an HMAC of it under the server's secret. A forged cross-site form can neither read the cookie
nor compute the token; the nonce is renewed at sign-in, so a token planted before it is worthless after."""

import hashlib
import hmac
import secrets
from typing import Annotated

from fastapi import Form, HTTPException, Request, status

from api.deps import AppSettings
from common.settings import Settings

CSRF_COOKIE = "an_sinh_csrf"
CSRF_FIELD = "csrf_token"


def new_nonce() -> str:
    return secrets.token_urlsafe(32)


def form_token(settings: Settings, nonce: str) -> str:
    return hmac.new(settings.token_secret.encode(), f"csrf|{nonce}".encode(), hashlib.sha256).hexdigest()


async def require_csrf(
    request: Request, settings: AppSettings, csrf_token: Annotated[str, Form(max_length=128)] = ""
) -> None:
    """A dependency of every POST page route."""
    nonce = request.cookies.get(CSRF_COOKIE)
    if not nonce or not hmac.compare_digest(form_token(settings, nonce), csrf_token):
        raise HTTPException(status.HTTP_403_FORBIDDEN, detail="csrf")
