"""Entries of the audit log as officials and the city read them."""

from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict


class AuditRow(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    at: datetime
    actor_id: UUID | None
    actor_role: str
    action: str
    request_code: str | None
    ward_code: str | None
    district_code: str | None
    ip: str | None
    detail: dict[str, Any]
