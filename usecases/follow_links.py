"""A follow link: a token that opens one thing's page (a donation, an emergency) without an account.

An HMAC over the thing's code with the settings' token secret and a purpose of its own, so one link never opens
another kind of page. It names nobody, carries nothing and does not expire: whoever holds it sees the page as the
person who made it does.
"""

import base64
import hashlib
import hmac
from dataclasses import dataclass

from common.settings import Settings


@dataclass(frozen=True)
class FollowLink:
    purpose: str  # "donation-follow": signed into the token
    page: str  # the page's path before the code: "/quyen-gop"

    def token(self, settings: Settings, code: str) -> str:
        signed = f"{self.purpose}:{code}".encode()
        return base64.urlsafe_b64encode(
            hmac.new(settings.token_secret.encode(), signed, hashlib.sha256).digest()[:24]
        ).decode()

    def opens(self, settings: Settings, code: str, token: str | None) -> bool:
        return token is not None and hmac.compare_digest(token.encode(), self.token(settings, code).encode())

    def path(self, code: str, token: str) -> str:
        return f"{self.page}/{code}?t={token}"
