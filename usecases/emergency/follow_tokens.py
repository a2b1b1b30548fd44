"""The requester's follow link: a token that opens one emergency's page, without an account.

An HMAC over the emergency's code with the settings' token secret, like a donor's link: it names nobody and
carries nothing. Whoever holds it sees the emergency as the requester does (their own description and address,
who is coming) and may confirm that help arrived.
"""

import base64
import hashlib
import hmac

from common.settings import Settings


def follow_token(settings: Settings, code: str) -> str:
    digest = hmac.new(settings.token_secret.encode(), f"emergency-follow:{code}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:24]).decode()


def opens(settings: Settings, code: str, token: str | None) -> bool:
    return token is not None and hmac.compare_digest(token.encode(), follow_token(settings, code).encode())


def follow_path(code: str, token: str) -> str:
    return f"/khan-cap/{code}?t={token}"
