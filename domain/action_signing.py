"""People's actions carry the API's signature, and the workflow refuses one that does not.

Whoever reaches Temporal's frontend can send an update with any actor in it: the workflow's scope checks trust
the actor the message names. So the application signs each human action it sends (HMAC-SHA256 over the request's
code, the update's name and the whole action, with a key the API and the workers hold, ACTION_KEYS), and every
validator refuses an action whose signature is missing or wrong before anything is written.

Keys have ids, so a city rotates them: new actions are signed with ACTION_KEY_ID, and any key still listed
verifies. The keys are loaded once per process at start-up (`load`), outside workflow code; validators only read
them, which is deterministic.
"""

import base64
import hashlib
import hmac
import json
from collections.abc import Mapping

from pydantic import BaseModel

_keys: dict[str, bytes] = {}
_signing_key_id: str | None = None


def load(keys: Mapping[str, str], signing_key_id: str) -> None:
    """The process's keys, by id (base64), and the id new actions are signed with."""
    global _signing_key_id
    _keys.clear()
    _keys.update({key_id: base64.b64decode(value) for key_id, value in keys.items()})
    _signing_key_id = signing_key_id


def loaded() -> bool:
    return _signing_key_id is not None


def _digest(key: bytes, code: str, update: str, action: BaseModel) -> str:
    body = action.model_dump(mode="json", exclude={"signature"})
    message = json.dumps([code, update, body], sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hmac.new(key, message.encode(), hashlib.sha256).hexdigest()


def signature(code: str, update: str, action: BaseModel) -> str:
    if _signing_key_id is None or _signing_key_id not in _keys:
        raise RuntimeError("no action signing key loaded: call domain.action_signing.load at start-up")
    return f"{_signing_key_id}:{_digest(_keys[_signing_key_id], code, update, action)}"


def is_signed(code: str, update: str, action: BaseModel, signed: str | None) -> bool:
    if not signed or ":" not in signed:
        return False
    key_id, digest = signed.split(":", 1)
    key = _keys.get(key_id)
    return key is not None and hmac.compare_digest(digest, _digest(key, code, update, action))
