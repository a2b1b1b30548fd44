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


class BagRequest(_Input):
    """The bag a dispatch holds first: one at the request's ward's point, for this reservation round."""

    request_code: str
    round: int
    ward_code: str


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
    # A food bag taken from stock: an approval holds one in the same transaction, or writes `no_stock`.
    bag: BagRequest | None = None
    no_stock: Transition | None = None


class VerificationOutcome(_Input):
    """Where the decision left the request, and its household (another one after a merge); the courier
    when the approval was dispatched in the same step; whether it holds its bag."""

    stage: Stage
    household_id: UUID
    courier_id: UUID | None = None
    bag_held: bool = False


class DispatchInput(_Input):
    """Sends a verified request on its way in one transaction: holds its bag (if `bag`) and gives it to a free
    courier (if `courier`). With no bag free, `no_stock` is written (entering awaiting_stock) and nothing else;
    with one held, `reserved` (leaving awaiting_stock)."""

    ward_code: str
    bag: BagRequest | None = None
    no_stock: Transition | None = None
    reserved: Transition | None = None
    courier: Transition | None = None


class DispatchOutcome(_Input):
    bag_held: bool
    courier_id: UUID | None = None


class ReleaseBagInput(_Input):
    """A stage change that leaves the request's held bag behind (cancelled, expired, back to the ward): the bag
    goes back on the ward point's shelf in the same transaction."""

    request_code: str
    transition: Transition


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
    bag_of: str | None = None  # the request code whose held bag is issued with the delivery


class FailedAttemptInput(_Input):
    courier_id: UUID
    reason: str
    attempts: int
    transition: Transition
    bag_of: str | None = None  # the request code whose held bag goes back when the request returns to the ward


class SupportTotals(_Input):
    """A cash need's amounts as the ledger holds them: `pledged` counts live and confirmed pledges."""

    asked: int
    pledged: int
    confirmed: int

    @property
    def live(self) -> int:
        """Pledged and not yet confirmed: money that may still arrive."""
        return self.pledged - self.confirmed

    @property
    def fully_confirmed(self) -> bool:
        return self.confirmed >= self.asked


class CloseSupportInput(_Input):
    """Closes a cash need (no pledge after this) and writes `supported` if any money was confirmed, else
    `unsupported` (both carry the same sequence number: one is written)."""

    supported: Transition
    unsupported: Transition
    window: timedelta
