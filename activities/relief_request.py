"""The activities of one relief request. Each is a single transaction keyed by request and step, so a
retry after a crash writes nothing twice; the notifications it stores are sent by the worker's dispatcher
(services.notifier). A failure no retry can mend is raised as non-retryable (activities.step_failures)."""

from collections.abc import Callable
from typing import Any
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession
from temporalio import activity

from activities.step_failures import classify_failures
from common.city_time import vn_date
from db.base import transaction
from domain.activity_io import (
    AdmitInput,
    AssignInput,
    AutoAssignInput,
    ConfirmDeliveryInput,
    DecisionInput,
    DispatchInput,
    DispatchOutcome,
    FailedAttemptInput,
    ReleaseBagInput,
    VerificationOutcome,
)
from domain.messages import Admission, Transition
from domain.stages import EventType, RequestKind, Stage
from services import admission as admission_service
from services import cash_needs, delivery, dispatch, entitlement, household_merge, stock_ledger, verification
from services.transitions import apply_transition, apply_transition_if_registered, recorded_stage


@activity.defn
@classify_failures
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
    return result


def _refused(t: Transition, refusal: Admission) -> Transition:
    """The transition `t` turned into the refusal the entitlement rule gave."""
    assert refusal.refusal is not None
    detail = {
        "refusal": refusal.refusal.value,
        "last_delivered_on": vn_date(refusal.last_delivered_on),
        "eligible_again_on": vn_date(refusal.eligible_again_on),
        "open_request_code": refusal.open_request_code,
    }
    return t.model_copy(
        update={
            "stage": Stage.REFUSED,
            "event": EventType.REFUSED,
            "detail": detail,
            "deadline_at": None,
            "notify_citizen": True,
            "notify_staff": False,
        }
    )


def _admission_transition(inp: AdmitInput, result: Admission) -> Transition:
    base = {"request_id": inp.request.request_id, "seq": inp.admitted_seq, "at": inp.at, "stage": result.stage}
    if result.stage == Stage.REFUSED:
        return _refused(Transition(**base, event=EventType.REFUSED), result)
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
@classify_failures
async def record_transition(t: Transition) -> None:
    async with transaction() as session:
        await apply_transition(session, t)


@activity.defn
@classify_failures
async def close_unadmitted(t: Transition) -> None:
    """Closes a registration whose admission never answered: nothing to do unless its commit went through."""
    async with transaction() as session:
        await apply_transition_if_registered(session, t)


@activity.defn
@classify_failures
async def record_verification(inp: DecisionInput) -> VerificationOutcome | None:
    """The ward's decision; with "same household" the two households merge, and the merged household's
    history may still refuse the request (a bag within the window, another request open). An approval with
    `dispatch` also goes to a free courier in the same transaction."""
    t, decision = inp.transition, inp.decision
    async with transaction() as session:
        done = await recorded_stage(session, t.request_id, t.seq)
        if done is not None:  # a retry after the commit
            household = await verification.request_household(session, t.request_id)
            sent = DispatchOutcome(bag_held=False)
            if done == Stage.AWAITING_DISPATCH:
                sent = await _send_out(session, _approval_dispatch(inp))
            return VerificationOutcome(
                stage=done,
                household_id=household or inp.household_id,
                courier_id=sent.courier_id,
                bag_held=sent.bag_held,
            )
        household_id, candidate = inp.household_id, inp.probable_duplicate_of
        if decision.approve and candidate is not None and decision.same_household:
            refusal = await entitlement.refusal(session, candidate, inp.kind, t.at)
            if refusal is not None:
                t = _refused(t, refusal)
                await apply_transition(session, t)  # releases this request's claim before the merge
            await household_merge.merge_households(session, source=household_id, target=candidate)
            household_id = candidate
        elif candidate is not None and decision.same_household is False:
            await household_merge.record_different(session, household_id, candidate, decision.actor.user_id, t.at)
        sent = DispatchOutcome(bag_held=False)
        if t.stage != Stage.REFUSED:
            if decision.approve:
                await verification.add_to_verified_list(
                    session, household_id, inp.ward_code, decision.actor.user_id, t.at
                )
            await apply_transition(session, t)
            if decision.approve:
                sent = await _send_out(session, _approval_dispatch(inp))
        if inp.kind == RequestKind.CASH_SUPPORT and t.stage.is_final:  # rejected, or refused by a merge
            await cash_needs.close_if_open(session, t.request_id, t.at)
    return VerificationOutcome(
        stage=t.stage, household_id=household_id, courier_id=sent.courier_id, bag_held=sent.bag_held
    )


def _approval_dispatch(inp: DecisionInput) -> DispatchInput:
    return DispatchInput(ward_code=inp.ward_code, bag=inp.bag, no_stock=inp.no_stock, courier=inp.dispatch)


@activity.defn
@classify_failures
async def dispatch_request(inp: DispatchInput) -> DispatchOutcome:
    async with transaction() as session:
        return await _send_out(session, inp)


async def _send_out(session: AsyncSession, inp: DispatchInput) -> DispatchOutcome:
    """Holds the request's bag if it needs one, then gives it to a free courier if dispatch is automatic."""
    if inp.bag is not None:
        if not await _hold_bag(session, inp):
            return DispatchOutcome(bag_held=False)
    courier_id = await _auto_assign(session, inp.ward_code, inp.courier) if inp.courier is not None else None
    return DispatchOutcome(bag_held=inp.bag is not None, courier_id=courier_id)


async def _hold_bag(session: AsyncSession, inp: DispatchInput) -> bool:
    assert inp.bag is not None
    no_stock = inp.no_stock
    # A retry after a commit that found no bag answers the same, though bags may have come since: the stage it
    # wrote stands, and the wait for stock that follows finds them.
    written = await recorded_stage(session, no_stock.request_id, no_stock.seq) if no_stock is not None else None
    if written == Stage.AWAITING_STOCK:
        return False
    if not await dispatch.hold_bag(session, inp.bag):
        if no_stock is not None:
            await apply_transition(session, no_stock)
        return False
    if inp.reserved is not None:
        await apply_transition(session, inp.reserved)
    return True


@activity.defn
@classify_failures
async def auto_assign_courier(inp: AutoAssignInput) -> UUID | None:
    async with transaction() as session:
        return await _auto_assign(session, inp.ward_code, inp.transition)


async def _auto_assign(session: AsyncSession, ward_code: str, t: Transition) -> UUID | None:
    """Gives the request to the ward's least loaded courier and writes `t` naming them; None if none is free.
    A retry (a killed worker, a workflow task retried elsewhere) keeps the first attempt's courier."""
    courier_id = await dispatch.courier_already_chosen(session, t.request_id, t.seq, ward_code)
    if courier_id is None:
        courier_id = await dispatch.least_loaded_courier(session, ward_code)
        if courier_id is None:
            return None
        await dispatch.set_courier(session, t.request_id, courier_id)
        await apply_transition(session, t.model_copy(update={"detail": {"courier_id": str(courier_id)}}))
    return courier_id


@activity.defn
@classify_failures
async def assign_courier(inp: AssignInput) -> None:
    async with transaction() as session:
        await dispatch.set_courier(session, inp.transition.request_id, inp.courier_id)
        await apply_transition(session, inp.transition)


@activity.defn
@classify_failures
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
        if inp.bag_of is not None:  # the bag leaves the stock with the delivery, or neither is recorded
            assert inp.proof.actor.user_id is not None
            await delivery.issue_held_bag(session, inp.bag_of, inp.proof.actor.user_id)
        await apply_transition(
            session,
            inp.transition.model_copy(
                update={"detail": {**inp.transition.detail, "recipient_matches_household": matches}}
            ),
        )
    return matches


@activity.defn
@classify_failures
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
        if inp.bag_of is not None:
            await stock_ledger.release_bag(session, inp.bag_of)
        await apply_transition(session, inp.transition)


@activity.defn
@classify_failures
async def release_bag(inp: ReleaseBagInput) -> None:
    async with transaction() as session:
        await stock_ledger.release_bag(session, inp.request_code)
        await apply_transition(session, inp.transition)


ALL: list[Callable[..., Any]] = [
    admit_request,
    record_transition,
    close_unadmitted,
    record_verification,
    auto_assign_courier,
    dispatch_request,
    assign_courier,
    confirm_delivery,
    record_failed_attempt,
    release_bag,
]
