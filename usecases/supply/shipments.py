"""What warehouse staff and officials do with shipments: see what is to dispatch from one's warehouse and what is
coming to it, dispatch one (driver, phone, plate), receive one with a count per line; officials see those late or
received short.

A shipment is seen by the staff of its two places, the officials of either place's district, the city and
supervisors; anyone else gets NotFound, as for a code that does not exist. Only the source's staff dispatch and
only the destination's staff receive: the other end is refused OutOfScope. Input is checked field by field before
anything is sent, and the workflow's validators check it again; each refusal names its field in Vietnamese and
English.
"""

from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from domain.identity import mask_phone
from domain.refusals import RefusalKind
from domain.roles import Role
from domain.shipment_flow import (
    Dispatch,
    LineCount,
    Receipt,
    ShipmentActor,
    ShipmentAnswer,
    ShipmentStage,
    most_received,
    shown_plate,
)
from services import shipment_reads
from services.shipment_reads import ShipmentRecord, ShipmentRow
from texts import Text
from usecases.context import Context
from usecases.errors import FieldProblem, InvalidInput, NotFound
from usecases.principal import Principal
from usecases.relief.workflow_gateway import ActionRefused
from usecases.schemas.shipments import (
    DispatchForm,
    PickView,
    ShipmentLineView,
    ShipmentLists,
    ShipmentReceiptForm,
    ShipmentSummary,
    ShipmentView,
)
from usecases.supply import shipment_gateway as gateway
from usecases.supply.item_names import item_name, unit_name
from workflows.shipment import ShipmentWorkflow

_NOT_FOUND = Text("err.shipment_not_found")


def _can_see(principal: Principal, record: ShipmentRecord) -> bool:
    places = (record.source, record.destination)
    match principal.role:
        case Role.WAREHOUSE_STAFF:
            return principal.place_code is not None and principal.place_code in {p.code for p in places}
        case Role.DISTRICT_OFFICIAL:
            return principal.district_code is not None and principal.district_code in {
                record.shipment.to_district,
                record.source.district_code,
            }
        case Role.CITY_OFFICIAL | Role.SUPERVISOR:
            return True
        case _:
            return False


async def _visible(session: AsyncSession, principal: Principal, code: str) -> ShipmentRecord:
    record = await shipment_reads.shipment_by_code(session, code)
    if record is None or not _can_see(principal, record):
        raise NotFound(_NOT_FOUND)
    return record


async def lists(ctx: Context, principal: Principal) -> ShipmentLists:
    """Warehouse staff: their place's shipments to dispatch and to receive. Officials: the late ones in scope."""
    session = ctx.session
    match principal.role:
        case Role.WAREHOUSE_STAFF if principal.place_code:
            return ShipmentLists(
                outgoing=[_summary(r) for r in await shipment_reads.outgoing(session, principal.place_code)],
                incoming=[_summary(r) for r in await shipment_reads.incoming(session, principal.place_code)],
            )
        case Role.DISTRICT_OFFICIAL if principal.district_code:
            return ShipmentLists(
                late=[_summary(r) for r in await shipment_reads.late(session, principal.district_code)]
            )
        case Role.CITY_OFFICIAL | Role.SUPERVISOR:
            return ShipmentLists(late=[_summary(r) for r in await shipment_reads.late(session, None)])
        case _:
            return ShipmentLists()


async def read(ctx: Context, principal: Principal, code: str) -> ShipmentView:
    record = await _visible(ctx.session, principal, code)
    shipment = record.shipment
    at_a_place = principal.role == Role.WAREHOUSE_STAFF
    phone = shipment.driver_phone
    return ShipmentView(
        **_summary(ShipmentRow(shipment, record.source, record.destination, len(record.lines))).model_dump(),
        round_id=shipment.round_id,
        vehicle_plate=shown_plate(shipment.vehicle_plate) if shipment.vehicle_plate else None,
        driver_name=shipment.driver_name if at_a_place else None,
        driver_phone=(phone if at_a_place else mask_phone(phone)) if phone else None,
        receipt_note=shipment.receipt_note,
        items=[
            ShipmentLineView(
                line_no=line.line_no,
                item_code=item.code,
                item_name_vi=item.name_vi,
                item_name_en=item.name_en,
                unit=item.unit,
                whole_units=item.whole_units,
                ordered=line.ordered,
                picked=line.picked,
                dispatched=line.dispatched,
                received=line.received,
                picks=[PickView(lot_id=p.lot_id, quantity=p.quantity, expires_on=p.expires_on) for p in picks],
            )
            for line, item, picks in record.lines
        ],
    )


def _summary(row: ShipmentRow) -> ShipmentSummary:
    shipment = row.shipment
    return ShipmentSummary(
        code=shipment.code,
        stage=ShipmentStage(shipment.stage),
        from_place=row.source.code,
        from_name=row.source.name,
        to_place=row.destination.code,
        to_name=row.destination.name,
        picked_at=shipment.picked_at,
        dispatched_at=shipment.dispatched_at,
        received_at=shipment.received_at,
        late=shipment.late_at is not None,
        differences=shipment.differences,
        lines=row.lines,
    )


async def _at_end(
    ctx: Context, principal: Principal, code: str, end: str, stage: ShipmentStage, key: str | None
) -> ShipmentRecord:
    """The shipment, when the principal is staff of its `end` ("from" or "to") and it is at `stage`. Sent again
    with the person's key after it moved on, the workflow answers: its first answer for the same key, else a
    refusal."""
    record = await _visible(ctx.session, principal, code)
    place = record.source if end == "from" else record.destination
    if principal.role != Role.WAREHOUSE_STAFF or principal.place_code != place.code:
        raise ActionRefused(
            RefusalKind.OUT_OF_SCOPE,
            "only the source's staff dispatch it" if end == "from" else "only the destination's staff receive it",
        )
    current = ShipmentStage(record.shipment.stage)
    if current != stage and not (key is not None and _past(current, stage)):
        raise ActionRefused(
            RefusalKind.WRONG_STAGE,
            "the shipment is not picked yet"
            if current == ShipmentStage.CREATED
            else f"the shipment is {current.value}",
        )
    return record


def _past(current: ShipmentStage, stage: ShipmentStage) -> bool:
    """The shipment went on from `stage` (a dispatch is past picking, a receipt is past transit)."""
    after = {ShipmentStage.PICKED: ShipmentStage.IN_TRANSIT, ShipmentStage.IN_TRANSIT: ShipmentStage.RECEIVED}
    return after.get(stage) == current or (stage == ShipmentStage.PICKED and current == ShipmentStage.RECEIVED)


def _update_id(step: str, principal: Principal, code: str, key: str | None) -> str:
    """One person's double tap is one action; with their key, a retry after a lost answer gets the first answer."""
    who = principal.acting_key
    return f"{step}-{code}-{who}-key-{key}" if key else f"{step}-{code}-{who}"


def _actor(principal: Principal) -> ShipmentActor:
    assert principal.user_id is not None
    return ShipmentActor(role=principal.role, user_id=principal.user_id, place_code=principal.place_code)


async def dispatch(
    ctx: Context, principal: Principal, code: str, form: DispatchForm, idempotency_key: str | None = None
) -> ShipmentAnswer:
    """The source's staff hand the picked goods to a driver: the goods leave the source."""
    record = await _at_end(ctx, principal, code, "from", ShipmentStage.PICKED, idempotency_key)
    unit = (None, record.source.district_code)
    await ctx.session.close()  # no connection held while the workflow works
    action = Dispatch(
        actor=_actor(principal),
        driver_name=form.driver_name,
        driver_phone=form.driver_phone,
        vehicle_plate=form.vehicle_plate,
    )
    update_id = _update_id("dispatch", principal, code, idempotency_key)
    audit = ctx.auditor(principal)
    try:
        answer = await gateway.send(ctx.temporal, code, ShipmentWorkflow.dispatch, action, update_id)
    except ActionRefused as refused:
        await audit.record("shipment_dispatch_refused", unit=unit, shipment=code, kind=refused.kind)
        raise
    await audit.record("shipment_dispatched", unit=unit, shipment=code, update_id=update_id)
    return answer


async def receive(
    ctx: Context, principal: Principal, code: str, form: ShipmentReceiptForm, idempotency_key: str | None = None
) -> ShipmentAnswer:
    """The destination's staff count each line: everything dispatched arrives, each difference is its own movement
    and the city is told. Sent twice by the same person, it is recorded once."""
    record = await _at_end(ctx, principal, code, "to", ShipmentStage.IN_TRANSIT, idempotency_key)
    if record.shipment.stage == ShipmentStage.IN_TRANSIT.value:
        _check_counts(ctx, record, form)
    unit = (None, record.shipment.to_district)
    await ctx.session.close()
    receipt = Receipt(
        actor=_actor(principal),
        lines=tuple(LineCount(line_no=c.line_no, received_quantity=c.received_quantity) for c in form.lines),
        note=form.note,
    )
    update_id = _update_id("receipt", principal, code, idempotency_key)
    audit = ctx.auditor(principal)
    try:
        answer = await gateway.send(ctx.temporal, code, ShipmentWorkflow.receive, receipt, update_id)
    except ActionRefused as refused:
        await audit.record("shipment_receipt_refused", unit=unit, shipment=code, kind=refused.kind)
        raise
    await audit.record(
        "shipment_received", unit=unit, shipment=code, update_id=update_id, differences=answer.differences
    )
    return answer


def _check_counts(ctx: Context, record: ShipmentRecord, form: ShipmentReceiptForm) -> None:
    policy = ctx.settings.shipment_policy
    lines = {line.line_no: (line, item) for line, item, _ in record.lines}
    problems: list[FieldProblem] = []
    seen: set[int] = set()
    for i, count in enumerate(form.lines):
        field = f"lines.{i}"
        if count.line_no not in lines:
            problems.append(FieldProblem(f"{field}.line_no", "unknown_line", Text("err.unknown_shipment_line")))
            continue
        if count.line_no in seen:
            problems.append(FieldProblem(f"{field}.line_no", "line_counted_twice", Text("err.line_counted_twice")))
            continue
        seen.add(count.line_no)
        line, item = lines[count.line_no]
        most = most_received(line.dispatched or Decimal(0), policy)
        if count.received_quantity > most:
            sent = f"{line.dispatched:f}"
            words = Text("err.received_too_large", sent=sent, unit=unit_name(item), most=f"{most:f}")
            problems.append(FieldProblem(f"{field}.received_quantity", "too_large", words))
        elif item.whole_units and count.received_quantity != count.received_quantity.to_integral_value():
            words = Text("err.quantity_not_whole", item=item_name(item), unit=unit_name(item))
            problems.append(FieldProblem(f"{field}.received_quantity", "not_whole", words))
    missing = sorted(set(lines) - seen)
    if missing and not problems:
        numbers = ", ".join(map(str, missing))
        problems.append(FieldProblem("lines", "missing_lines", Text("err.missing_lines", lines=numbers)))
    if problems:
        raise InvalidInput(*problems)
