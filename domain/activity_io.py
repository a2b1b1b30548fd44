"""Inputs of the activities of a relief request. Each carries the Transition it projects, so the
business write and its stage change commit in one transaction."""

from datetime import datetime, timedelta
from uuid import UUID

from pydantic import BaseModel, ConfigDict

from domain.messages import DeliveryProof, RequestInput, Transition, VerificationDecision
from domain.stages import RequestKind, Stage


class _Input(BaseModel):
    model_config = ConfigDict(frozen=True)


class AdmitInput(_Input):
    request: RequestInput
    at: datetime
    verification_deadline: datetime
    dispatch_deadline: datetime
    registered_seq: int
    admitted_seq: int


class DecisionInput(_Input):
    household_id: UUID
    ward_code: str
    decision: VerificationDecision
    transition: Transition
    kind: RequestKind = RequestKind.FOOD_BAG
    probable_duplicate_of: UUID | None = None
    # With automatic dispatch: the courier's stage change, written in the same transaction as an approval
    # when a courier is free.
    dispatch: Transition | None = None


class VerificationOutcome(_Input):
    """Where the decision left the request, and its household (another one after a merge); the courier
    when the approval was dispatched in the same step."""

    stage: Stage
    household_id: UUID
    courier_id: UUID | None = None


class AutoAssignInput(_Input):
    ward_code: str
    transition: Transition  # written only when a courier is found


class AssignInput(_Input):
    courier_id: UUID
    transition: Transition


class ConfirmDeliveryInput(_Input):
    household_id: UUID
    kind: RequestKind
    proof: DeliveryProof
    entitlement_window: timedelta
    transition: Transition


class FailedAttemptInput(_Input):
    courier_id: UUID
    reason: str
    attempts: int
    transition: Transition
