"""Rows of the lists: inbox, a courier's round, supervision, counts, staff messages, units, tokens."""

from datetime import date, datetime
from uuid import UUID

from pydantic import BaseModel, Field

from domain.roles import Role
from domain.stages import EscalationLevel, RequestKind, Stage


class RequestRow(BaseModel):
    code: str
    kind: RequestKind
    stage: Stage
    escalation: EscalationLevel
    ward_code: str
    district_code: str
    registered_at: datetime
    updated_at: datetime
    deadline_at: datetime | None
    overdue: bool
    attempts: int
    # The inbox's rows (officials) also say who and where, and when it is due as a day and an hour.
    applicant_name: str | None = None
    address: str | None = None
    household_size: int | None = None
    probable_duplicate: bool = False
    due_on: date | None = None
    due_before_hour: int | None = None


class DeliveryRow(BaseModel):
    code: str
    applicant_name: str
    address: str
    applicant_phone_masked: str
    household_size: int
    ward_code: str
    deadline_at: datetime | None
    attempts: int


class StageCount(BaseModel):
    district_code: str
    stage: Stage
    count: int


class StaffNotificationRow(BaseModel):
    request_code: str | None  # None: a message about a supply place's stock
    place_code: str | None = None
    event: str
    audience: str
    message: str
    created_at: datetime


class Unit(BaseModel):
    code: str
    name: str
    level: str
    parent_code: str | None


class MapPlace(BaseModel):
    """A district's or ward's name at its centre, for a map without tiles."""

    code: str
    name: str
    level: str
    lat: float = Field(validation_alias="latitude")
    lon: float = Field(validation_alias="longitude")


class TokenAnswer(BaseModel):
    access_token: str
    token_type: str = "bearer"
    role: Role
    unit_code: str | None = None
    household_ids: list[UUID] = []
    request_code: str | None = None
