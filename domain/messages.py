"""Workflow input, result, updates and state of a relief request: one typed model per message.

The API builds these, the workflow validates and keeps them, the activities receive them.
"""

from datetime import date, datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, SerializerFunctionWrapHandler, model_serializer

from domain.cash import CashNeedRequest
from domain.policy import Policy
from domain.roles import Role
from domain.stages import EscalationLevel, EventType, RefusalReason, RequestKind, Stage
from texts.lang import Lang


class _Message(BaseModel):
    model_config = ConfigDict(frozen=True)


class Applicant(_Message):
    full_name: str
    national_id: str
    phone: str
    address: str
    household_size: int


class RequestInput(_Message):
    """Everything the workflow needs to run one request; the applicant's data goes on to the database."""

    request_id: UUID
    code: str
    kind: RequestKind
    ward_code: str
    district_code: str
    applicant: Applicant
    policy: Policy = Field(default_factory=Policy)
    cash: CashNeedRequest | None = None  # a cash_support request's need
    lang: Lang = "vi"  # the household's language: its messages are written in it

    @model_serializer(mode="wrap")
    def _without_cash_for_bags(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        """A request of another kind serializes exactly as before cash needs existed."""
        data: dict[str, Any] = handler(self)
        if self.cash is None:
            data.pop("cash", None)
        return data


class Actor(_Message):
    """Who sends an update, as the API authenticated them. The validator checks them again."""

    user_id: UUID | None = None  # None for a citizen, who is identified by household
    role: Role
    ward_code: str | None = None
    district_code: str | None = None
    household_id: UUID | None = None


class Admission(_Message):
    """The duplicate check's answer, given back to the citizen in the registration call."""

    stage: Stage
    household_id: UUID | None = None
    refusal: RefusalReason | None = None
    last_delivered_on: date | None = None
    eligible_again_on: date | None = None
    open_request_code: str | None = None
    household_verified: bool = False
    # Another household that looks like this one (shared phone or address, similar name): the ward decides.
    probable_duplicate_of: UUID | None = None


class HumanAction(_Message):
    """What a person does to a request, sent by the application as an update: who, and the application's
    signature over the whole action (domain/action_signing.py), which the workflow checks."""

    actor: Actor
    signature: str | None = None


class VerificationDecision(HumanAction):
    approve: bool
    reason: str | None = Field(None, max_length=500)
    # Required when the request has a probable duplicate: the two households are one (merge) or not.
    same_household: bool | None = None


class CourierAssignment(HumanAction):
    courier_id: UUID
    courier_ward_code: str


class DeliveryProof(HumanAction):
    photo_path: str
    photo_sha256: str
    recipient_national_id: str
    recipient_phone: str
    latitude: float | None = None
    longitude: float | None = None
    # Who received it when not a member of the household (a relationship or a reason); older proofs have none.
    recipient_relationship: str | None = Field(None, max_length=300)

    @model_serializer(mode="wrap")
    def _without_absent_relationship(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        """A proof without a relationship serializes (and so is signed and stored) exactly as before it existed."""
        data: dict[str, Any] = handler(self)
        if self.recipient_relationship is None:
            data.pop("recipient_relationship", None)
        return data


class FailedAttempt(HumanAction):
    reason: str = Field(min_length=3, max_length=500)


class Cancellation(HumanAction):
    reason: str | None = Field(None, max_length=500)


class StockArrival(_Message):
    """Bags were assembled (or arrived) at a ward's point: a request waiting there for one checks again now.
    Repeating it only repeats the check, so it carries no key."""

    place_code: str


class StepRetry(HumanAction):
    """A supervisor's request to run again the database step a request is waiting on."""


class UpdateResult(_Message):
    """What an official or courier is told after a decision: where the request now stands."""

    stage: Stage
    escalation: EscalationLevel
    attempts: int = 0
    recipient_matches_household: bool | None = None


class Transition(_Message):
    """One stage change, projected into PostgreSQL: the request row, one event, maybe a notification.

    `seq` is the workflow's own counter, so a retried activity writes the same event once.
    """

    request_id: UUID
    seq: int
    at: datetime
    stage: Stage
    event: EventType
    escalation: EscalationLevel = EscalationLevel.WARD
    deadline_at: datetime | None = None
    actor_id: UUID | None = None
    detail: dict[str, str | int | bool | None] = Field(default_factory=dict)
    notify_citizen: bool = False
    notify_staff: bool = False


class RequestState(BaseModel):
    """The whole state of a running request, returned by the workflow's query for the detail view."""

    stage: Stage = Stage.REGISTERED
    escalation: EscalationLevel = EscalationLevel.WARD
    household_id: UUID | None = None
    admission: Admission | None = None
    verification_round: int = 0
    courier_id: UUID | None = None
    attempts: int = 0
    # The request's bag at its ward's point: held while dispatched; `bag_round` counts the reservations it made.
    bag_held: bool = False
    bag_round: int = 0
    deadline_at: datetime | None = None
    overdue: bool = False
    seq: int = 0
    # A database step failed for good and waits for a supervisor's retry_step (None: never happened, so the
    # search attribute was never set).
    needs_attention: bool | None = None
    failed_step: str | None = None
    # A cash request's support stage: its need published, then withdrawn (no new pledges) until its live pledges
    # end; the stage it closes in when no money was confirmed; the amounts last read.
    need_published: bool = False
    need_withdrawn: bool = False
    unsupported_ends_as: Stage | None = None
    amount_pledged: int = 0
    amount_confirmed: int = 0


class RequestResult(_Message):
    stage: Stage
    refusal: RefusalReason | None = None
