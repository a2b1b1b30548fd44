"""The donor's follow link: a token that opens one donation's page, without an account.

Signed with the settings' token secret (HMAC over the donation's code), like the citizen's request token
(usecases/trust/tokens.py), but it names no person, carries nothing, and does not expire: a donor follows their
goods for months. Whoever holds it sees the donation, its lines and where the goods went (no personal data of
anyone), and may cancel it before it arrives.
"""

import base64
import hashlib
import hmac

from common.settings import Settings


def follow_token(settings: Settings, code: str) -> str:
    digest = hmac.new(settings.token_secret.encode(), f"donation-follow:{code}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:24]).decode()


def opens(settings: Settings, code: str, token: str | None) -> bool:
    return token is not None and hmac.compare_digest(token.encode(), follow_token(settings, code).encode())


def follow_path(code: str, token: str) -> str:
    return f"/quyen-gop/{code}?t={token}"
