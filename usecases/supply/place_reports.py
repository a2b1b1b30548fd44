"""Places' daily reports: staff of a place file the day's counts, consumption and proposals; a second person
approves each counted difference into the ledger; officials see the day's reports of their district or the city.

Filing goes to the place's workflow of the day as a signed update (usecases/supply/place_report_gateway.py), after
the catalogue and the ledger have judged it here: nothing is sent, and nothing written, while any field is wrong.
A second filing of the same day is refused (409) naming the first; approvals are one transaction each (the
adjustment and its ledger movements), and approving an approved adjustment again writes nothing.
"""

from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

from sqlalchemy import select
from temporalio.exceptions import WorkflowAlreadyStartedError

from common.city_time import CITY_TZ
from db.geography import AdminUnit
from db.supply import SupplyItem, SupplyPlace
from domain.place_reports import (
    PLACE_REPORT_POLICY,
    REPORTING_KINDS,
    CountLine,
    PlaceReportInput,
    PlaceReportPolicy,
    ProposalInput,
    ReportActor,
    ReportFiling,
    ReportStage,
)
from domain.refusals import RefusalKind
from domain.roles import Role
from domain.supply import FOOD_BAG
from services import place_reports
from services.place_reports import AdjustmentRow
from services.stock_errors import StockError
from texts import Text
from usecases.context import Context
from usecases.errors import FieldProblem, InvalidInput, NotFound
from usecases.principal import Principal
from usecases.relief.workflow_gateway import ActionRefused
from usecases.schemas.place_reports import (
    AdjustmentView,
    DayReports,
    DistrictReports,
    PlaceReportView,
    ProposalView,
    ReportBody,
    ReportFiled,
    ReportItemLine,
    ReportRow,
)
from usecases.supply import place_report_gateway
from usecases.supply.item_names import item_name, unit_name
from usecases.supply.stock_places import Place, audit_unit, can_see_place, own_place, place_scope_clause, visible_place

APPROVER_ROLES = frozenset({Role.WAREHOUSE_STAFF, Role.DISTRICT_OFFICIAL, Role.CITY_OFFICIAL})


def city_now() -> datetime:
    return datetime.now(CITY_TZ)


def _problem(field: str, code: str, words: Text, value: object = None) -> FieldProblem:
    return FieldProblem(field, code, words, None if value is None else str(value))


def _stage(report_late: bool | None, deadline: datetime, now: datetime) -> ReportStage:
    if report_late is not None:
        return ReportStage.LATE if report_late else ReportStage.FILED
    return ReportStage.MISSING if now > deadline else ReportStage.OPEN


async def _reporting_place(ctx: Context, principal: Principal, place_code: str, *, own: bool) -> Place:
    place = await (own_place if own else visible_place)(ctx.session, principal, place_code)
    if place.kind not in REPORTING_KINDS:  # in scope, so no secret: said as what it is
        raise InvalidInput(_problem("place_code", "not_reporting", Text("err.not_reporting"), place_code))
    return place


async def _catalogue(ctx: Context) -> dict[str, SupplyItem]:
    items = await ctx.session.scalars(select(SupplyItem).order_by(SupplyItem.category, SupplyItem.code))
    return {item.code: item for item in items if item.code != FOOD_BAG}


# --- the place's form and its filing -----------------------------------------------------------------------------


async def report(
    ctx: Context,
    principal: Principal,
    place_code: str,
    day: date | None = None,
    policy: PlaceReportPolicy = PLACE_REPORT_POLICY,
) -> PlaceReportView:
    """The day's report of a place in scope: each item's ledger on-hand (and, once filed, what was counted), the
    proposals, and the place's adjustments waiting for a second person."""
    place = await _reporting_place(ctx, principal, place_code, own=False)
    day = day or city_now().date()
    session = ctx.session
    ledger = await place_reports.on_hand_by_item(session, place.code)
    filed = await place_reports.filed_report(session, place.code, day)
    counts = {c.item_code: c for c in filed.counts} if filed else {}
    catalogue = await _catalogue(ctx)
    items = [
        ReportItemLine(
            item_code=item.code,
            name_vi=item.name_vi,
            name_en=item.name_en,
            unit=item.unit,
            ledger_on_hand=counts[item.code].ledger_on_hand
            if item.code in counts
            else ledger.get(item.code, Decimal(0)),
            counted=counts[item.code].counted if item.code in counts else None,
            consumed=counts[item.code].consumed if item.code in counts else None,
        )
        for item in catalogue.values()
    ]
    proposals = [
        ProposalView(
            item_code=p.item_code,
            name_vi=catalogue[p.item_code].name_vi if p.item_code in catalogue else p.item_code,
            unit=catalogue[p.item_code].unit if p.item_code in catalogue else "",
            quantity=p.quantity,
            days=p.days,
            reason=p.reason,
        )
        for p in (filed.proposals if filed else [])
    ]
    deadline = policy.deadline(day)
    pending = await place_reports.adjustments(session, SupplyPlace.code == place.code)
    return PlaceReportView(
        place_code=place.code,
        place_name=place.name,
        district_code=place.district_code or place.unit_code,
        report_date=day,
        deadline=deadline,
        stage=_stage(filed.report.late if filed else None, deadline, city_now()),
        filed_at=filed.report.filed_at if filed else None,
        items=items,
        proposals=proposals,
        pending_adjustments=[_adjustment_view(row) for row in pending],
    )


async def file(
    ctx: Context,
    principal: Principal,
    place_code: str,
    body: ReportBody,
    idempotency_key: str | None = None,
    policy: PlaceReportPolicy = PLACE_REPORT_POLICY,
) -> ReportFiled:
    """Staff of the place file today's report; refused with the fields named, or 409 when it was filed already."""
    place = await _reporting_place(ctx, principal, place_code, own=True)
    assert principal.user_id is not None
    day = city_now().date()
    session = ctx.session
    first = await place_reports.filed_report(session, place.code, day)
    if first is not None:
        raise ActionRefused(
            RefusalKind.DUPLICATE,
            f"the report of {day.isoformat()} was filed already, at {first.report.filed_at.isoformat()}",
        )
    counts, proposals = _checked(
        body, await _catalogue(ctx), await place_reports.on_hand_by_item(session, place.code), policy
    )
    filing = ReportFiling(
        actor=ReportActor(role=principal.role, user_id=principal.user_id, place_code=principal.place_code),
        counts=counts,
        proposals=proposals,
    )
    district = place.district_code or place.unit_code
    await session.close()
    inp = PlaceReportInput(place_code=place.code, district_code=district, report_date=day, policy=policy)
    try:  # the day's workflow, in case the morning's opener has not run: started once, by whoever comes first
        await place_report_gateway.start(ctx.temporal, ctx.settings.task_queue, inp)
    except WorkflowAlreadyStartedError:
        pass
    who = principal.acting_key
    update_id = f"place-report-{who}-key-{idempotency_key}" if idempotency_key else f"place-report-{who}-{day}"
    audit = ctx.auditor(principal)
    try:
        answer = await place_report_gateway.file(ctx.temporal, place.code, day, filing, update_id)
    except ActionRefused as refused:
        await audit.record("place_report_refused", unit=audit_unit(place), place_code=place.code, kind=refused.kind)
        raise
    assert answer.report_id is not None and answer.filed_at is not None
    await audit.record(
        "place_report_filed",
        unit=audit_unit(place),
        place_code=place.code,
        report_date=day.isoformat(),
        stage=answer.stage.value,
        pending_adjustments=answer.pending_adjustments,
    )
    return ReportFiled(
        place_code=place.code,
        report_date=day,
        stage=answer.stage,
        report_id=answer.report_id,
        filed_at=answer.filed_at,
        pending_adjustments=answer.pending_adjustments,
    )


def _checked(
    body: ReportBody, catalogue: dict[str, SupplyItem], ledger: dict[str, Decimal], policy: PlaceReportPolicy
) -> tuple[tuple[CountLine, ...], tuple[ProposalInput, ...]]:
    problems: list[FieldProblem] = []
    counts: list[CountLine] = []
    proposals: list[ProposalInput] = []
    if not body.counts and not body.proposals:
        problems.append(_problem("counts", "empty_report", Text("err.empty_report")))
    seen: set[str] = set()
    for i, entry in enumerate(body.counts):
        field = f"counts.{i}"
        item = catalogue.get(entry.item_code)
        if item is None:
            problems.append(
                _problem(f"{field}.item_code", "unknown_item", Text("err.unknown_supply_item"), entry.item_code)
            )
            continue
        if item.code in seen:
            problems.append(_problem(f"{field}.item_code", "counted_twice", Text("err.item_counted_twice")))
            continue
        seen.add(item.code)
        limit = policy.count_limit(ledger.get(item.code, Decimal(0)))
        before = len(problems)
        problems += _amount(f"{field}.counted", entry.counted, item, limit)
        problems += _amount(f"{field}.consumed", entry.consumed, item, policy.max_proposal_quantity)
        if len(problems) == before:
            counts.append(CountLine(item_code=item.code, counted=entry.counted, consumed=entry.consumed))
    for i, proposal in enumerate(body.proposals):
        field = f"proposals.{i}"
        item = catalogue.get(proposal.item_code)
        before = len(problems)
        if item is None:
            problems.append(
                _problem(f"{field}.item_code", "unknown_item", Text("err.unknown_supply_item"), proposal.item_code)
            )
        elif proposal.quantity <= 0:
            problems.append(_problem(f"{field}.quantity", "not_positive", Text("err.proposal_not_positive")))
        else:
            problems += _amount(f"{field}.quantity", proposal.quantity, item, policy.max_proposal_quantity)
        if not proposal.reason:
            problems.append(_problem(f"{field}.reason", "reason_required", Text("err.proposal_reason_required")))
        if item is not None and len(problems) == before:
            proposals.append(
                ProposalInput(
                    item_code=item.code, quantity=proposal.quantity, days=proposal.days, reason=proposal.reason
                )
            )
    if problems:
        raise InvalidInput(*problems)
    return tuple(counts), tuple(proposals)


def _amount(field: str, value: Decimal, item: SupplyItem, limit: Decimal) -> list[FieldProblem]:
    if value < 0:
        return [_problem(field, "negative", Text("err.quantity_negative"), value)]
    if value > limit:
        return [_problem(field, "implausible", Text("err.count_implausible", most=f"{limit.normalize():f}"), value)]
    if item.whole_units and value != value.to_integral_value():
        words = Text("err.quantity_not_whole", item=item_name(item), unit=unit_name(item))
        return [_problem(field, "not_whole", words, value)]
    exponent = value.normalize().as_tuple().exponent
    if isinstance(exponent, int) and exponent < -3:
        return [_problem(field, "too_precise", Text("err.quantity_too_precise"), value)]
    return []


# --- adjustments approved by a second person --------------------------------------------------------------------


def _adjustment_view(row: AdjustmentRow) -> AdjustmentView:
    a = row.adjustment
    return AdjustmentView(
        id=a.id,
        place_code=a.place_code,
        place_name=row.place_name,
        report_date=row.report_date,
        item_code=a.item_code,
        name_vi=row.item.name_vi,
        unit=row.item.unit,
        ledger_on_hand=a.ledger_on_hand,
        counted=a.counted,
        difference=a.difference,
        state=a.state,
        counted_by=a.counted_by,
        approved_by=a.approved_by,
        approved_at=a.approved_at,
    )


async def pending_adjustments(ctx: Context, principal: Principal) -> list[AdjustmentView]:
    rows = await place_reports.adjustments(ctx.session, place_scope_clause(principal))
    return [_adjustment_view(row) for row in rows]


async def approve(ctx: Context, principal: Principal, adjustment_id: UUID) -> AdjustmentView:
    """A second person (another staff member of the place, or an official over it) approves a counted difference:
    it is written to the ledger, once."""
    session = ctx.session
    found = await place_reports.adjustment(session, adjustment_id)
    place = await session.get(SupplyPlace, found.place_code) if found is not None else None
    if found is None or place is None or principal.role not in APPROVER_ROLES or not can_see_place(principal, place):
        raise NotFound(Text("err.adjustment_not_found"))
    if found.counted_by == principal.user_id:
        raise InvalidInput(_problem("approved_by", "same_person", Text("err.same_person_approves")))
    unit = audit_unit(Place(place.code, place.kind, place.name, place.unit_code, place.district_code))
    assert principal.user_id is not None
    try:
        await place_reports.approve_adjustment(session, adjustment_id, principal.user_id, city_now())
    except StockError as refused:
        await session.rollback()
        await ctx.auditor(principal).record("place_report_adjustment_refused", unit=unit, code=refused.code)
        raise InvalidInput(_problem("difference", refused.code, Text("err.adjustment_insufficient_stock"))) from refused
    await ctx.auditor(principal).record(
        "place_report_adjustment_approved", unit=unit, place_code=place.code, adjustment=str(adjustment_id)
    )
    rows = await place_reports.adjustments(session, SupplyPlace.code == place.code, pending_only=False, limit=10_000)
    return next(_adjustment_view(row) for row in rows if row.adjustment.id == adjustment_id)


# --- the day's reports, for officials -----------------------------------------------------------------------------


async def day_reports(
    ctx: Context,
    principal: Principal,
    day: date | None = None,
    district_code: str | None = None,
    policy: PlaceReportPolicy = PLACE_REPORT_POLICY,
) -> DayReports:
    """Every reporting place in scope (a district official's district; the city's and supervisors' every district,
    or the one asked), by district: filed, late, missing and still open."""
    day = day or city_now().date()
    deadline = policy.deadline(day)
    now = city_now()
    scope = place_scope_clause(principal)
    if district_code is not None:
        scope = scope & (SupplyPlace.district_code == district_code)
    statuses = await place_reports.day_status(ctx.session, scope, day)
    names = {code: name for code, name in (await ctx.session.execute(select(AdminUnit.code, AdminUnit.name))).all()}
    by_district: dict[str, list[ReportRow]] = {}
    for status in statuses:
        place = status.place
        district = place.district_code or place.unit_code
        by_district.setdefault(district, []).append(
            ReportRow(
                place_code=place.code,
                place_name=place.name,
                place_kind=place.kind,
                district_code=district,
                stage=_stage(status.report.late if status.report else None, deadline, now),
                filed_at=status.report.filed_at if status.report else None,
                pending_adjustments=status.pending_adjustments,
            )
        )
    districts = []
    for code, rows in by_district.items():
        stages = [row.stage for row in rows]
        districts.append(
            DistrictReports(
                district_code=code,
                district_name=names.get(code, code),
                expected=len(rows),
                filed=sum(s.is_filed for s in stages),
                late=stages.count(ReportStage.LATE),
                missing=stages.count(ReportStage.MISSING),
                open=stages.count(ReportStage.OPEN),
                places=rows,
            )
        )
    districts.sort(key=lambda d: (-d.missing, d.district_code))
    return DayReports(report_date=day, deadline=deadline, districts=districts)
