"""An emergency's workflow messages: its input, people's actions, the steps its activity writes, its answer.

Nothing here names the requester, their phone or address: the workflow knows the emergency by its code and id,
the people by their ids.
"""

from datetime import datetime
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from domain.emergency import EmergencyEvent, EmergencyPolicy, EmergencyState
from domain.roles import Role


class _Message(BaseModel):
    model_config = ConfigDict(frozen=True)


class EmergencyInput(_Message):
    emergency_id: UUID
    code: str
    ward_code: str
    district_code: str
    policy: EmergencyPolicy = Field(default_factory=EmergencyPolicy)


class EmergencyActor(_Message):
    """Who acts, as the application authenticated them; the validator checks them again. The requester, who has
    no account, is a citizen the application vouches for (their follow link)."""

    role: Role
    user_id: UUID | None = None  # a ward official or the SOS team (city officials)
    helper_id: UUID | None = None
    ward_code: str | None = None
    district_code: str | None = None


class EmergencyAction(_Message):
    """claim, fulfil (with the claimer's note), confirm, close and hide (with the ward's reason)."""

    actor: EmergencyActor
    note: str | None = Field(None, max_length=500)
    signature: str | None = None


class EmergencyAnswer(_Message):
    state: EmergencyState


class EmergencyStep(_Message):
    """One event, written once (keyed by seq): its move (`to`, None for an escalation) and who acted."""

    emergency_id: UUID
    code: str
    seq: int
    at: datetime
    event: EmergencyEvent
    to: EmergencyState | None = None
    helper_id: UUID | None = None
    staff_id: UUID | None = None
    note: str | None = None
