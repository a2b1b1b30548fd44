"""What claimers, requesters and wards do with an emergency: claim it, say it was brought, confirm it arrived,
close it with a reason, hide it.

A community helper claims any open emergency; a ward official, a district official or the city's SOS team (city
officials) one in their scope (out of scope answers like a missing code). A second claim, or fulfilling someone
else's claim, is a 4xx naming the emergency, and nothing is written; the workflow's validator refuses them all
the same if two arrive at once. A claimer whose claims kept lapsing is slowed (RateLimited with the wait).
"""

from datetime import UTC, datetime
from uuid import UUID

from db.emergencies import Emergency
from domain.emergency import EmergencyState
from domain.emergency_messages import EmergencyAction, EmergencyActor, EmergencyAnswer
from domain.help_groups import GroupState
from domain.roles import Role
from services import emergencies, emergency_reads, help_groups, rate_limits
from services.rate_limits import RateLimited
from texts import Text
from usecases.context import Context
from usecases.emergency import gateway
from usecases.emergency.follow_tokens import opens
from usecases.errors import FieldProblem, InvalidInput, NotFound
from usecases.principal import Principal
from usecases.schemas.emergencies import EmergencyNote, EmergencyReason
from workflows.emergency import EmergencyWorkflow

NO_EMERGENCY = Text("err.emergency.not_found")
FIELD = "emergency_code"


def path_problem(kind: str, code: str) -> InvalidInput:
    """The emergency in the path cannot take this action: the words are the code's ("err.<kind>")."""
    return InvalidInput(FieldProblem(FIELD, kind, Text(f"err.{kind}"), code, location="path"))


def may_act_as_ward(principal: Principal, row: Emergency) -> bool:
    """The emergency's ward officials, its district's, and the city's SOS team."""
    match principal.role:
        case Role.WARD_OFFICIAL:
            return principal.ward_code == row.ward_code
        case Role.DISTRICT_OFFICIAL:
            return principal.district_code == row.district_code
        case Role.CITY_OFFICIAL:
            return True
        case _:
            return False


def is_claimer(principal: Principal, row: Emergency) -> bool:
    if principal.helper_id is not None:
        return row.claimed_by_helper == principal.helper_id
    return principal.user_id is not None and row.claimed_by_staff == principal.user_id


async def visible(ctx: Context, principal: Principal, code: str) -> Emergency:
    """An emergency a helper may act on (any not hidden), or an official in scope."""
    row = await emergency_reads.by_code(ctx.session, code)
    if row is None:
        raise NotFound(NO_EMERGENCY)
    if principal.role == Role.COMMUNITY_HELPER and row.state != EmergencyState.HIDDEN.value:
        return row
    if principal.is_official and may_act_as_ward(principal, row):
        return row
    raise NotFound(NO_EMERGENCY)


async def claim(ctx: Context, principal: Principal, code: str) -> EmergencyAnswer:
    row = await visible(ctx, principal, code)
    if row.state != EmergencyState.OPEN.value:
        if is_claimer(principal, row) and row.state == EmergencyState.CLAIMED.value:
            return EmergencyAnswer(state=EmergencyState.CLAIMED)  # the same person's second tap
        raise path_problem("already_claimed", code)
    policy = ctx.settings.emergency_policy
    if principal.helper_id is not None:
        await _within_group_coverage(ctx, principal.helper_id, row)
        now = datetime.now(UTC)
        count, last = await emergencies.lapses(ctx.session, principal.helper_id)
        slowed = emergencies.slowed_until(count, last, now, policy)
        if slowed is not None:
            raise RateLimited("emergency_claimer_slowed", max(1, int((slowed - now).total_seconds())))
        await rate_limits.hit(("emergency_claim_helper", str(principal.helper_id), policy.claim_per_helper))
    # A claim after a lapsed one is a new decision: the releases count keeps the update IDs apart.
    answer = await _send(ctx, principal, row, EmergencyWorkflow.claim, None, f"claim{row.releases}")
    await ctx.auditor(principal).record("emergency_claimed", unit=(row.ward_code, row.district_code), emergency=code)
    return answer


async def _within_group_coverage(ctx: Context, helper_id: UUID, row: Emergency) -> None:
    """A verified help group's account claims for the group, so only within the group's coverage; a person, or a
    group not (or no longer) verified, claims as a person anywhere in the city."""
    group = await help_groups.group_of_helper(ctx.session, helper_id)
    if group is None or group.state != GroupState.VERIFIED.value:
        return
    if not await help_groups.covers(ctx.session, group.id, row.ward_code):
        raise path_problem("outside_coverage", row.code)


async def fulfil(ctx: Context, principal: Principal, code: str, body: EmergencyNote) -> EmergencyAnswer:
    row = await visible(ctx, principal, code)
    if not is_claimer(principal, row):
        raise path_problem("not_your_claim", code)
    if row.state == EmergencyState.FULFILLED.value:
        return EmergencyAnswer(state=EmergencyState.FULFILLED)
    answer = await _send(ctx, principal, row, EmergencyWorkflow.fulfil, body.note, f"fulfil{row.releases}")
    await ctx.auditor(principal).record("emergency_fulfilled", unit=(row.ward_code, row.district_code), emergency=code)
    return answer


async def confirm(ctx: Context, code: str, token: str | None) -> EmergencyAnswer:
    """The requester's "help arrived", through their follow link. Said again, it answers the first's result."""
    row = await emergency_reads.by_code(ctx.session, code)
    if row is None or not opens(ctx.settings, code, token) or row.state == EmergencyState.HIDDEN.value:
        raise NotFound(NO_EMERGENCY)
    if row.state == EmergencyState.CONFIRMED.value:
        return EmergencyAnswer(state=EmergencyState.CONFIRMED)
    requester = Principal(role=Role.CITIZEN)
    answer = await _send(ctx, requester, row, EmergencyWorkflow.confirm, None, "confirm")
    await ctx.auditor(None).record("emergency_confirmed", unit=(row.ward_code, row.district_code), emergency=code)
    return answer


async def close(ctx: Context, principal: Principal, code: str, body: EmergencyReason) -> EmergencyAnswer:
    return await _ward_action(ctx, principal, code, body, EmergencyWorkflow.close, "emergency_closed")


async def hide(ctx: Context, principal: Principal, code: str, body: EmergencyReason) -> EmergencyAnswer:
    return await _ward_action(ctx, principal, code, body, EmergencyWorkflow.hide, "emergency_hidden")


async def _ward_action(
    ctx: Context,
    principal: Principal,
    code: str,
    body: EmergencyReason,
    update: gateway.EmergencyUpdate,
    audited_as: str,
) -> EmergencyAnswer:
    row = await emergency_reads.by_code(ctx.session, code)
    if row is None or not (principal.is_official and may_act_as_ward(principal, row)):
        raise NotFound(NO_EMERGENCY)
    answer = await _send(ctx, principal, row, update, body.reason, "ward")
    await ctx.auditor(principal).record(
        audited_as, unit=(row.ward_code, row.district_code), emergency=code, reason=body.reason
    )
    return answer


async def _send(
    ctx: Context,
    principal: Principal,
    row: Emergency,
    update: gateway.EmergencyUpdate,
    note: str | None,
    step: str,
) -> EmergencyAnswer:
    name: str = getattr(update, "__name__")  # noqa: B009 - the update's name, as the workflow registers it
    actor = EmergencyActor(
        role=principal.role,
        user_id=principal.user_id,
        helper_id=principal.helper_id,
        ward_code=principal.ward_code,
        district_code=principal.district_code,
    )
    # One person's double tap is one action; another person's is judged on its own (architecture §8).
    update_id = f"{row.code}:{name}:{step}:{principal.acting_key}"
    return await gateway.send(ctx.temporal, row.code, update, EmergencyAction(actor=actor, note=note), update_id)
