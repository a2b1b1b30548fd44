"""Keyed hashes of normalised national IDs and phones: what we match on instead of the numbers."""

import hashlib
import hmac

from common.settings import get_settings


def keyed_hash(kind: str, normalised_value: str) -> str:
    key = get_settings().identity_hmac_key.encode()
    return hmac.new(key, f"{kind}:{normalised_value}".encode(), hashlib.sha256).hexdigest()


def national_id_hash(national_id: str) -> str:
    return keyed_hash("national_id", national_id)


def phone_hash(phone_e164: str) -> str:
    return keyed_hash("phone", phone_e164)
