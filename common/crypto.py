"""AES-GCM with keys by id: one key ring for Temporal payloads and for encrypted database columns.

New data is encrypted with the current key id; anything encrypted under an older id still decrypts while
that key stays in the ring, which is how a key is rotated (add the new key, switch the id, re-encrypt at
leisure, then drop the old key). The associated data binds a ciphertext to its purpose, so a column value
cannot be replayed as a Temporal payload or the other way round.
"""

import base64
import binascii
import os
from functools import lru_cache

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from common.settings import Settings, get_settings

NONCE_BYTES = 12


class UnknownKey(LookupError):
    pass


class KeyRing:
    def __init__(self, keys: dict[str, bytes], current: str) -> None:
        if current not in keys:
            raise UnknownKey(f"the current key id {current!r} is not in the key ring")
        for key_id, key in keys.items():
            if len(key) != 32:
                raise ValueError(f"key {key_id!r} must be 32 bytes (AES-256), not {len(key)}")
        self._ciphers = {key_id: AESGCM(key) for key_id, key in keys.items()}
        self.current = current

    @classmethod
    def from_settings(cls, settings: Settings) -> "KeyRing":
        keys = {}
        for key_id, encoded in settings.payload_keys.items():
            try:
                keys[key_id] = base64.b64decode(encoded, validate=True)
            except binascii.Error as exc:
                raise ValueError(f"PAYLOAD_KEYS[{key_id!r}] is not base64") from exc
        return cls(keys, settings.payload_key_id)

    def encrypt(self, plaintext: bytes, associated_data: bytes) -> tuple[str, bytes]:
        """(key id, nonce + ciphertext + tag) under the current key."""
        nonce = os.urandom(NONCE_BYTES)
        return self.current, nonce + self._ciphers[self.current].encrypt(nonce, plaintext, associated_data)

    def decrypt(self, key_id: str, blob: bytes, associated_data: bytes) -> bytes:
        cipher = self._ciphers.get(key_id)
        if cipher is None:
            raise UnknownKey(f"no key with id {key_id!r} in the key ring")
        return cipher.decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], associated_data)


@lru_cache
def default_key_ring() -> KeyRing:
    return KeyRing.from_settings(get_settings())
