"""The activities of one relief request. Each is a single transaction keyed by request and step, so a
retry after a crash writes nothing twice; notifications go to the provider after the commit."""

from collections.abc import Callable
from typing import Any
from uuid import UUID

from temporalio import activity

from common.city_time import vn_date
from db.base import transaction
from domain.activity_io import (
    AdmitInput,
    AssignInput,
    AutoAssignInput,
    ConfirmDeliveryInput,
    DecisionInput,
    FailedAttemptInput,
)
from domain.messages import Admission, Transition
from domain.stages import EventType, Stage
from services import admission as admission_service
from services import delivery, dispatch, notifier, verification
from services.status_text import refusal_text
from services.transitions import apply_transition


@activity.defn
async def admit_request(inp: AdmitInput) -> Admission:
    req = inp.request
    async with transaction() as session:
        new = await admission_service.register_request(session, req, inp.at)
        # A retry after the commit finds the answer stored, and gives the same one.
        result = None if new else await admission_service.stored_admission(session, req.request_id)
        if result is None:
            registered = Transition(
                request_id=req.request_id,
                seq=inp.registered_seq,
                at=inp.at,
                stage=Stage.REGISTERED,
                event=EventType.REGISTERED,
            )
            await apply_transition(session, registered)
            result = await admission_service.admit(session, req, inp.at)
            await apply_transition(session, _admission_transition(inp, result))
    await notifier.deliver_pending(req.request_id)
    return result


def _admission_transition(inp: AdmitInput, result: Admission) -> Transition:
    base = {"request_id": inp.request.request_id, "seq": inp.admitted_seq, "at": inp.at, "stage": result.stage}
    if result.stage == Stage.REFUSED:
        assert result.refusal is not None
        detail = {
            "refusal": result.refusal.value,
            "last_delivered_on": vn_date(result.last_delivered_on),
            "eligible_again_on": vn_date(result.eligible_again_on),
            "open_request_code": result.open_request_code,
            "reason_text": refusal_text(result),
        }
        return Transition(**base, event=EventType.REFUSED, detail=detail, notify_citizen=True)
    if result.stage == Stage.AWAITING_DISPATCH:
        return Transition(
            **base, event=EventType.VERIFICATION_SKIPPED, deadline_at=inp.dispatch_deadline, notify_citizen=True
        )
    return Transition(
        **base,
        event=EventType.VERIFICATION_REQUESTED,
        deadline_at=inp.verification_deadline,
        notify_citizen=True,
        notify_staff=True,
    )


@activity.defn
async def record_transition(t: Transition) -> None:
    async with transaction() as session:
        await apply_transition(session, t)
    await notifier.deliver_pending(t.request_id)


@activity.defn
async def record_verification(inp: DecisionInput) -> None:
    async with transaction() as session:
        if inp.decision.approve:
            await verification.add_to_verified_list(
                session, inp.household_id, inp.ward_code, inp.decision.actor.user_id, inp.transition.at
            )
        await apply_transition(session, inp.transition)
    await notifier.deliver_pending(inp.transition.request_id)


@activity.defn
async def auto_assign_courier(inp: AutoAssignInput) -> UUID | None:
    async with transaction() as session:
        courier_id = await dispatch.least_loaded_courier(session, inp.ward_code)
        if courier_id is None:
            return None
        await dispatch.set_courier(session, inp.transition.request_id, courier_id)
        await apply_transition(session, inp.transition.model_copy(update={"detail": {"courier_id": str(courier_id)}}))
    await notifier.deliver_pending(inp.transition.request_id)
    return courier_id


@activity.defn
async def assign_courier(inp: AssignInput) -> None:
    async with transaction() as session:
        await dispatch.set_courier(session, inp.transition.request_id, inp.courier_id)
        await apply_transition(session, inp.transition)
    await notifier.deliver_pending(inp.transition.request_id)


@activity.defn
async def confirm_delivery(inp: ConfirmDeliveryInput) -> bool:
    """Ledger row, claim release and the delivered stage: one transaction (the 14-day rule reads it)."""
    async with transaction() as session:
        matches = await delivery.record_delivery(
            session,
            request_id=inp.transition.request_id,
            household_id=inp.household_id,
            kind=inp.kind,
            proof=inp.proof,
            window=inp.entitlement_window,
            at=inp.transition.at,
        )
        await apply_transition(
            session,
            inp.transition.model_copy(
                update={"detail": {**inp.transition.detail, "recipient_matches_household": matches}}
            ),
        )
    await notifier.deliver_pending(inp.transition.request_id)
    return matches


@activity.defn
async def record_failed_attempt(inp: FailedAttemptInput) -> None:
    async with transaction() as session:
        await delivery.record_failed_attempt(
            session,
            request_id=inp.transition.request_id,
            seq=inp.transition.seq,
            courier_id=inp.courier_id,
            reason=inp.reason,
            attempts=inp.attempts,
            at=inp.transition.at,
        )
        await apply_transition(session, inp.transition)
    await notifier.deliver_pending(inp.transition.request_id)


ALL: list[Callable[..., Any]] = [
    admit_request,
    record_transition,
    record_verification,
    auto_assign_courier,
    assign_courier,
    confirm_delivery,
    record_failed_attempt,
]
