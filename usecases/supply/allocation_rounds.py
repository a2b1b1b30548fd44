"""What the centre does with allocation rounds: see them, start today's now (or solve it again), and approve a
proposal, as it stands or with lines changed.

Only the city's officials act; they and supervisors read. Edits are checked here against the round's stored
problem, field by field, with the same rule the workflow's validator applies again (domain/allocation_round.py);
the workflow also refuses a round already approved, one with no proposal, and one that is being solved.
"""

from collections import defaultdict
from datetime import UTC, date, datetime

from temporalio.exceptions import WorkflowAlreadyStartedError

from common.city_time import CITY_TZ
from db.allocation_rounds import AllocationRoundLine
from domain.allocation import AllocationLine, LineReason
from domain.allocation_round import (
    LineEdit,
    RoundActor,
    RoundAnswer,
    RoundApproval,
    RoundInput,
    RoundResolve,
    RoundStage,
    refusal_of_edits,
)
from domain.refusals import RefusalKind
from domain.roles import Role
from services import allocation_rounds
from services.allocation_rounds import RoundRecord
from texts import Text
from usecases.context import Context
from usecases.errors import InvalidInput, NotFound
from usecases.principal import Principal
from usecases.relief.workflow_gateway import ActionRefused
from usecases.schemas.allocation_rounds import (
    ApprovalForm,
    DistrictCoverage,
    LotExpiry,
    RoundLineView,
    RoundSummary,
    RoundView,
)
from usecases.supply import allocation_round_gateway as gateway
from workflows.allocation_round import AllocationRoundWorkflow

READERS = frozenset({Role.CITY_OFFICIAL, Role.SUPERVISOR})
_NOT_FOUND = Text("err.allocation_round_not_found")


def city_today() -> date:
    return datetime.now(CITY_TZ).date()


def _require(principal: Principal, roles: frozenset[Role]) -> None:
    if principal.role not in roles:
        raise NotFound(_NOT_FOUND)


async def list_rounds(ctx: Context, principal: Principal) -> list[RoundSummary]:
    _require(principal, READERS)
    return [
        RoundSummary(
            round_date=row.round_date,
            stage=RoundStage(row.stage),
            reason=row.reason,
            escalated=row.escalated,
            updated_at=row.updated_at,
        )
        for row in await allocation_rounds.recent_rounds(ctx.session)
    ]


async def _record(ctx: Context, round_date: date) -> RoundRecord:
    record = await allocation_rounds.read_round(ctx.session, round_date)
    if record is None:
        raise NotFound(_NOT_FOUND)
    return record


async def read_round(ctx: Context, principal: Principal, round_date: date) -> RoundView:
    _require(principal, READERS)
    record = await _record(ctx, round_date)
    row, plan, problem = record.round, record.plan, record.problem
    coverage: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for d in plan.destinations if plan else ():
        coverage[d.district_code][0] += d.need_household_days
        coverage[d.district_code][1] += d.allocated_household_days
    lots = [
        LotExpiry(
            place_code=source.code,
            lot_id=lot.lot_id,
            item_code=lot.item_code,
            quantity=lot.quantity,
            expires_on=lot.expires_on,
            days_to_expiry=(lot.expires_on - round_date).days if lot.expires_on else None,
        )
        for source in (problem.sources if problem else ())
        for lot in source.lots
    ]
    return RoundView(
        round_date=row.round_date,
        stage=RoundStage(row.stage),
        reason=row.reason,
        escalated=row.escalated,
        solves=row.solves,
        approved_by=row.approved_by,
        approved_at=row.approved_at,
        solve_seconds=plan.solve_seconds if plan else None,
        proposed=[_line_view(x) for x in record.proposed],
        approved=[_line_view(x) for x in record.approved],
        needs=record.needs,
        coverage=[DistrictCoverage(district_code=k, need=v[0], allocated=v[1]) for k, v in sorted(coverage.items())],
        lots=sorted(lots, key=lambda x: (x.days_to_expiry is None, x.days_to_expiry or 0, x.item_code, x.lot_id)),
    )


def _line_view(line: AllocationRoundLine) -> RoundLineView:
    reason = allocation_rounds.line_reason(line)
    return RoundLineView(
        seq=line.seq,
        from_place=line.from_place,
        lot_id=str(line.lot_id),
        to_place=line.to_place,
        item_code=line.item_code,
        quantity=line.quantity,
        proposed=line.proposed,
        need=reason.need if reason else None,
        stock_left=reason.stock_left if reason else None,
        expires_on=reason.expires_on if reason else None,
        days_to_expiry_at_arrival=reason.days_to_expiry_at_arrival if reason else None,
        distance_km=reason.distance_km if reason else None,
        why=line.why,
        edited_by=line.edited_by,
        shipment_code=line.shipment_code,
    )


def _actor(principal: Principal) -> RoundActor:
    _require(principal, frozenset({Role.CITY_OFFICIAL}))
    assert principal.user_id is not None  # staff
    return RoundActor(role=principal.role, user_id=principal.user_id)


async def start_now(ctx: Context, principal: Principal, idempotency_key: str | None = None) -> RoundAnswer:
    """Starts today's round; if it runs already and is not approved, solves it again (the need has moved)."""
    actor = _actor(principal)
    today = city_today()
    audit = ctx.auditor(principal)
    try:
        await gateway.start(ctx.temporal, ctx.settings.task_queue, RoundInput(round_date=today))
    except WorkflowAlreadyStartedError:
        return await resolve(ctx, principal, today, idempotency_key, actor)
    await allocation_rounds.open_round(ctx.session, today, datetime.now(UTC))
    await audit.record("allocation_round_started", round_date=today.isoformat())
    return RoundAnswer(round_date=today, stage=RoundStage.SOLVING)


async def resolve(
    ctx: Context,
    principal: Principal,
    round_date: date,
    idempotency_key: str | None = None,
    actor: RoundActor | None = None,
) -> RoundAnswer:
    actor = actor or _actor(principal)
    record = await allocation_rounds.read_round(ctx.session, round_date)
    if record is None:
        raise ActionRefused(RefusalKind.BUSY, f"round {round_date.isoformat()} is starting; try again shortly")
    solves = record.round.solves
    await ctx.session.close()
    who = principal.acting_key
    update_id = f"resolve-{who}-key-{idempotency_key}" if idempotency_key else f"resolve-{who}-{solves}"
    audit = ctx.auditor(principal)
    try:
        answer = await gateway.send(
            ctx.temporal, round_date, AllocationRoundWorkflow.resolve, RoundResolve(actor=actor), update_id
        )
    except ActionRefused as refused:
        await audit.record("allocation_round_resolve_refused", round_date=round_date.isoformat(), kind=refused.kind)
        raise
    await audit.record("allocation_round_resolved", round_date=round_date.isoformat(), stage=answer.stage.value)
    return answer


async def approve(
    ctx: Context, principal: Principal, round_date: date, form: ApprovalForm, idempotency_key: str | None = None
) -> RoundAnswer:
    """The proposal, approved as it stands or with edited lines; sent twice by the same person, recorded once."""
    actor = _actor(principal)
    record = await _record(ctx, round_date)
    edits = tuple(LineEdit(lot_id=e.lot_id, to_place=e.to_place, quantity=e.quantity, why=e.why) for e in form.edits)
    problem = record.problem
    if problem is not None and record.round.stage == RoundStage.PROPOSED.value:
        lines = tuple(_as_plan_line(x) for x in record.proposed)
        refusal = refusal_of_edits(problem, lines, edits)
        if refusal is not None:
            words = Text(f"err.round_edit.{refusal.code}", **refusal.values)
            raise InvalidInput.field(refusal.field, refusal.code, words)
    solves = record.round.solves
    await ctx.session.close()
    who = principal.acting_key
    update_id = f"approve-{who}-key-{idempotency_key}" if idempotency_key else f"approve-{who}-{solves}"
    audit = ctx.auditor(principal)
    try:
        answer = await gateway.send(
            ctx.temporal,
            round_date,
            AllocationRoundWorkflow.approve,
            RoundApproval(actor=actor, edits=edits),
            update_id,
        )
    except ActionRefused as refused:
        await audit.record("allocation_round_approval_refused", round_date=round_date.isoformat(), kind=refused.kind)
        raise
    await audit.record(
        "allocation_round_approved",
        round_date=round_date.isoformat(),
        edits=len(edits),
        shipments=len(answer.shipments),
    )
    return answer


def _as_plan_line(line: AllocationRoundLine) -> AllocationLine:
    reason = allocation_rounds.line_reason(line)
    assert reason is not None  # a proposed line always carries its reason
    return AllocationLine(
        from_place=line.from_place,
        lot_id=str(line.lot_id),
        to_place=line.to_place,
        item_code=line.item_code,
        quantity=line.quantity,
        reason=LineReason.model_validate(reason),
    )
