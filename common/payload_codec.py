"""The Temporal payload codec: every payload (inputs, results, signals, updates, activity I/O, encoded
failure attributes) leaves the process encrypted with AES-GCM, so the Temporal server, its database and
its UI without the codec server hold only ciphertext.

A payload without our encoding marker is passed through unchanged: histories recorded before encryption
was switched on (tests/histories, and requests still running at the upgrade) keep decoding and replaying.
"""

from collections.abc import Sequence

from temporalio.api.common.v1 import Payload
from temporalio.converter import PayloadCodec

from common.crypto import KeyRing

ENCODING = b"binary/encrypted"
KEY_ID = "encryption-key-id"
_AAD = b"ansinh:temporal-payload"


class EncryptionCodec(PayloadCodec):
    def __init__(self, keys: KeyRing) -> None:
        self._keys = keys

    async def encode(self, payloads: Sequence[Payload]) -> list[Payload]:
        encoded = []
        for payload in payloads:
            key_id, blob = self._keys.encrypt(payload.SerializeToString(), _AAD)
            encoded.append(Payload(metadata={"encoding": ENCODING, KEY_ID: key_id.encode()}, data=blob))
        return encoded

    async def decode(self, payloads: Sequence[Payload]) -> list[Payload]:
        decoded = []
        for payload in payloads:
            if payload.metadata.get("encoding") != ENCODING:
                decoded.append(payload)
                continue
            key_id = payload.metadata[KEY_ID].decode()
            decoded.append(Payload.FromString(self._keys.decrypt(key_id, payload.data, _AAD)))
        return decoded
