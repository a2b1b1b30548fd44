"""A string column stored encrypted (AES-GCM, the settings' key ring), read back in clear.

Services read and write plain strings; only the database, its backups and its logs see ciphertext. A
value stored before encryption (no prefix) is read as it is, and is encrypted the next time it is
written. Encrypted values cannot be compared in SQL: match on the keyed hash columns instead.
"""

import base64
from typing import Any

from sqlalchemy import Dialect, Text
from sqlalchemy.types import TypeDecorator

from common.crypto import default_key_ring

PREFIX = "enc:"


class EncryptedString(TypeDecorator[str]):
    impl = Text
    cache_ok = True

    def __init__(self, purpose: str, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The column's name, bound into the ciphertext: a value copied to another column does not decrypt.
        self.purpose = purpose

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        key_id, blob = default_key_ring().encrypt(value.encode(), self.purpose.encode())
        return f"{PREFIX}{key_id}:{base64.b64encode(blob).decode()}"

    def process_result_value(self, value: str | None, dialect: Dialect) -> str | None:
        if value is None or not value.startswith(PREFIX):
            return value
        key_id, _, encoded = value.removeprefix(PREFIX).partition(":")
        return default_key_ring().decrypt(key_id, base64.b64decode(encoded), self.purpose.encode()).decode()
