"""What the Temporal UI shows of a decoded payload: what the app shows supervisors, no more.

The codec server decrypts payloads for supervisors and the city, who see phones and ID numbers masked in the
app; the same masking applies here (a phone as 0912***678, an ID number or account number to its last four
digits), and each actor's staff id gains the staff member's name, so a history reads "who did it".
"""

import json
import uuid
from collections.abc import Callable
from typing import Any

from google.protobuf.message import DecodeError
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from temporalio.api.common.v1 import Payload

from db.staff import StaffUser
from domain.identity import mask_national_id, mask_phone

_JSON = b"json/plain"


def _mask_phone(value: str) -> str:
    return mask_phone(value) if value.startswith("+84") else _last_four(value)


def _last_four(value: str) -> str:
    return mask_national_id(value) if len(value) > 4 else "*" * len(value)


def _masking(key: str) -> Callable[[str], str] | None:
    if key.endswith("phone"):
        return _mask_phone
    if key.endswith("national_id") or key.endswith("account_number"):
        return _last_four
    return None


def _masked(value: Any, actors: set[uuid.UUID]) -> Any:
    if isinstance(value, list):
        return [_masked(v, actors) for v in value]
    if not isinstance(value, dict):
        return value
    out: dict[str, Any] = {}
    for key, v in value.items():
        mask = _masking(key)
        out[key] = mask(v) if mask is not None and isinstance(v, str) else _masked(v, actors)
        if key == "user_id" and isinstance(v, str):
            try:
                actors.add(uuid.UUID(v))
            except ValueError:
                pass
    return out


def _named(value: Any, names: dict[str, str]) -> Any:
    if isinstance(value, list):
        return [_named(v, names) for v in value]
    if not isinstance(value, dict):
        return value
    out = {key: _named(v, names) for key, v in value.items()}
    if isinstance(value.get("user_id"), str) and value["user_id"] in names:
        out["user_name"] = names[value["user_id"]]
    return out


async def masked_payloads(session: AsyncSession, payloads: list[Payload]) -> list[Payload]:
    """Decoded JSON payloads with personal numbers masked and actors named; any other payload as it is."""
    documents: dict[int, Any] = {}
    actors: set[uuid.UUID] = set()
    for i, payload in enumerate(payloads):
        if payload.metadata.get("encoding") != _JSON:
            continue
        try:
            documents[i] = _masked(json.loads(payload.data), actors)
        except (ValueError, DecodeError):
            continue
    names: dict[str, str] = {}
    if actors:
        rows = await session.execute(select(StaffUser.id, StaffUser.full_name).where(StaffUser.id.in_(actors)))
        names = {str(user_id): full_name for user_id, full_name in rows.all()}
    out = []
    for i, payload in enumerate(payloads):
        if i not in documents:
            out.append(payload)
            continue
        data = json.dumps(_named(documents[i], names), ensure_ascii=False, separators=(",", ":")).encode()
        out.append(Payload(metadata=dict(payload.metadata), data=data))
    return out
