"""What donors and warehouse staff do with a donation: announce it (no account: a follow link), follow it and see
where its goods went, cancel it before it arrives; see what is due at one's warehouse and record what arrived.

Input is checked against the catalogue here, field by field, before anything is written or sent, and each refusal
names its field with a stable code and the catalogue's words; the donation's workflow checks the receipt again in
its validator. Out of scope answers like a missing code (NotFound).
"""

import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from common.city_time import CITY_TZ
from db.supply import SupplyItem
from domain.donations import (
    MOST_VALUE_VND,
    AnnouncedLine,
    DonationActor,
    DonationAnswer,
    DonationInput,
    DonationReceipt,
    DonationStage,
    DonorCancellation,
    Inspection,
    LineReceipt,
    most_quantity,
)
from domain.roles import Role
from domain.supply import FOOD_BAG, PlaceKind
from services import donation_reads, donation_trace, donations, rate_limits
from services.donation_reads import DonationRecord
from texts import Lang, Text
from usecases.context import Context
from usecases.errors import FieldProblem, InvalidInput, NotFound
from usecases.principal import Principal
from usecases.relief.workflow_gateway import ActionRefused, new_request_code
from usecases.schemas.donations import (
    Destination,
    DonationAnnounced,
    DonationForm,
    DonationLineView,
    DonationSummary,
    DonationView,
    DonorCancellationForm,
    DonorFollow,
    ReceiptForm,
)
from usecases.supply import donation_gateway as gateway
from usecases.supply.donation_tokens import follow_path, follow_token, opens
from usecases.supply.item_names import item_name, unit_name
from workflows.donation import DonationWorkflow

# Goods are brought where they are stored: the city's and districts' warehouses, and wards' distribution points.
RECEIVING_KINDS = frozenset({PlaceKind.CITY_WAREHOUSE, PlaceKind.DISTRICT_WAREHOUSE, PlaceKind.WARD_POINT})
ANNOUNCE_AHEAD = timedelta(days=60)
_NOT_FOUND = Text("err.donation_not_found")


def city_today() -> date:
    return datetime.now(CITY_TZ).date()


# --- the donor -----------------------------------------------------------------------------------------------


async def announce(ctx: Context, form: DonationForm, lang: Lang) -> DonationAnnounced:
    """Records the donation and starts its workflow, in one unit: if the workflow cannot start, nothing stays.
    Rate-limited per IP and per phone (RateLimited). `lang`: the donor's (the page's, or Accept-Language's), for
    every message about the donation."""
    limits = ctx.settings.rate_limits
    await rate_limits.hit(
        ("donation_ip", ctx.client_ip or "-", limits.donation_per_ip),
        ("donation_phone", form.donor.phone, limits.donation_per_phone),
    )
    session = ctx.session
    place = await donation_reads.place(session, form.place_code)
    catalogue = await donation_reads.items(session, {line.item_code for line in form.lines})
    _check_announcement(form, place is not None and PlaceKind(place.kind) in RECEIVING_KINDS, catalogue)
    assert place is not None and place.district_code is not None
    donation_id, code, now = uuid.uuid4(), new_request_code(), datetime.now(UTC)
    lines = [
        donations.NewLine(uuid.uuid4(), line.item_code, line.quantity, line.expires_on, line.estimated_value_vnd)
        for line in form.lines
    ]
    donor = form.donor
    await donations.record_announcement(
        session,
        donation_id=donation_id,
        code=code,
        donor=donations.DonorContact(
            donor.kind, donor.origin, donor.name, donor.phone, donor.contact_name, donor.email
        ),
        place=place,
        district_code=place.district_code,
        expected_on=form.expected_on,
        lines=lines,
        at=now,
        lang=lang,
    )
    inp = DonationInput(
        donation_id=donation_id,
        code=code,
        place_code=place.code,
        district_code=place.district_code,
        due_at=datetime.combine(form.expected_on, datetime.min.time(), CITY_TZ).astimezone(UTC),
        lines=tuple(
            AnnouncedLine(
                line_id=line.line_id,
                line_no=number,
                item_code=line.item_code,
                perishable=catalogue[line.item_code].perishable,
                whole_units=catalogue[line.item_code].whole_units,
            )
            for number, line in enumerate(lines, start=1)
        ),
        policy=ctx.settings.donation_policy,
    )
    await gateway.start(ctx.temporal, ctx.settings.task_queue, inp)
    await ctx.auditor(None).record("donation_announced", unit=(place.unit_code, place.district_code), donation=code)
    token = follow_token(ctx.settings, code)
    return DonationAnnounced(
        code=code, stage=DonationStage.ANNOUNCED, follow_token=token, follow_url=follow_path(code, token)
    )


def _check_announcement(form: DonationForm, place_receives: bool, catalogue: dict[str, SupplyItem]) -> None:
    problems: list[FieldProblem] = []
    if not place_receives:
        problems.append(FieldProblem("place_code", "unknown_place", Text("err.unknown_receiving_place")))
    today = city_today()
    if form.expected_on < today:
        problems.append(FieldProblem("expected_on", "in_the_past", Text("err.donation_day_passed")))
    elif form.expected_on > today + ANNOUNCE_AHEAD:
        ahead = Text("err.donation_too_far_ahead", days=ANNOUNCE_AHEAD.days)
        problems.append(FieldProblem("expected_on", "too_far", ahead))
    for i, line in enumerate(form.lines):
        item = catalogue.get(line.item_code)
        if item is None or item.code == FOOD_BAG:
            problems.append(FieldProblem(f"lines.{i}.item_code", "unknown_item", Text("err.unknown_supply_item")))
            continue
        problems += _quantity_problems(f"lines.{i}.quantity", line.quantity, item)
        if item.perishable and line.expires_on is None:
            problems.append(_expiry_required(f"lines.{i}.expires_on", item))
        if line.expires_on is not None and line.expires_on < form.expected_on:
            problems.append(
                FieldProblem(f"lines.{i}.expires_on", "expires_before_arrival", Text("err.expires_before_arrival"))
            )
        if line.estimated_value_vnd is not None and line.estimated_value_vnd > MOST_VALUE_VND:
            problems.append(
                FieldProblem(f"lines.{i}.estimated_value_vnd", "too_large", Text("err.estimated_value_too_large"))
            )
    if problems:
        raise InvalidInput(*problems)


def _quantity_problems(field: str, quantity: Decimal, item: SupplyItem) -> list[FieldProblem]:
    most = most_quantity(item.unit)
    if quantity > most:
        return [FieldProblem(field, "too_large", Text("err.quantity_too_large_line", most=most, unit=unit_name(item)))]
    if item.whole_units and quantity != quantity.to_integral_value():
        return [
            FieldProblem(field, "not_whole", Text("err.quantity_not_whole", item=item_name(item), unit=unit_name(item)))
        ]
    return []


def _expiry_required(field: str, item: SupplyItem) -> FieldProblem:
    return FieldProblem(field, "expiry_required", Text("err.expiry_required_perishable", item=item_name(item)))


async def follow(ctx: Context, code: str, token: str | None) -> DonorFollow:
    """The donor's page: the donation, and where its goods went, by district and institution."""
    record = await _by_token(ctx, code, token)
    reached = await donation_trace.destinations(ctx.session, record.donation.id)
    return DonorFollow(
        donation=_view(record),
        destinations=[Destination.model_validate(r, from_attributes=True) for r in reached],
    )


async def cancel(ctx: Context, code: str, form: DonorCancellationForm) -> DonationAnswer:
    record = await _by_token(ctx, code, form.token)
    await ctx.session.close()  # no connection held while the workflow works
    cancellation = DonorCancellation(actor=DonationActor(), reason=form.reason)
    audit = ctx.auditor(None)
    unit = (record.place.unit_code, record.donation.district_code)
    try:
        answer = await gateway.send(ctx.temporal, code, DonationWorkflow.cancel, cancellation, f"cancel-{code}")
    except ActionRefused as refused:
        await audit.record("donation_cancel_refused", unit=unit, donation=code, kind=refused.kind)
        raise
    await audit.record("donation_cancelled", unit=unit, donation=code)
    return answer


async def _by_token(ctx: Context, code: str, token: str | None) -> DonationRecord:
    record = await donation_reads.donation_by_code(ctx.session, code) if opens(ctx.settings, code, token) else None
    if record is None:
        raise NotFound(_NOT_FOUND)
    return record


# --- warehouse staff and officials ----------------------------------------------------------------------------


def can_see(principal: Principal, record: DonationRecord) -> bool:
    match principal.role:
        case Role.WAREHOUSE_STAFF:
            return principal.place_code is not None and principal.place_code == record.donation.place_code
        case Role.WARD_OFFICIAL | Role.DISTRICT_OFFICIAL:
            return principal.district_code is not None and principal.district_code == record.donation.district_code
        case Role.CITY_OFFICIAL | Role.SUPERVISOR:
            return True
        case _:
            return False


async def visible_donation(session: AsyncSession, principal: Principal, code: str) -> DonationRecord:
    record = await donation_reads.donation_by_code(session, code)
    if record is None or not can_see(principal, record):
        raise NotFound(_NOT_FOUND)
    return record


async def read(ctx: Context, principal: Principal, code: str) -> DonationView:
    return _view(await visible_donation(ctx.session, principal, code))


async def due(ctx: Context, principal: Principal) -> list[DonationSummary]:
    """What the caller's warehouse expects: announced donations, the earliest day first."""
    if principal.place_code is None:
        return []
    rows = await donation_reads.due_at_place(ctx.session, principal.place_code)
    return [
        DonationSummary(code=r.code, stage=r.stage, expected_on=r.expected_on, lines=r.lines, items=r.items)
        for r in rows
    ]


async def receive(
    ctx: Context, principal: Principal, code: str, form: ReceiptForm, idempotency_key: str | None = None
) -> DonationAnswer:
    """Staff of the donation's warehouse record each line's count and inspection; accepted lines become lots.
    Sent twice by the same person (a double tap, a retry with their key), it is recorded once."""
    record = await visible_donation(ctx.session, principal, code)
    if principal.role != Role.WAREHOUSE_STAFF or principal.place_code != record.donation.place_code:
        raise NotFound(_NOT_FOUND)
    receipt = DonationReceipt(
        actor=DonationActor(role=principal.role, user_id=principal.user_id, place_code=principal.place_code),
        # With their key, a person's retry after a lost answer gets the first answer from the workflow.
        lines=_checked_receipt(record, form, retry=idempotency_key is not None),
    )
    unit = (record.place.unit_code, record.donation.district_code)
    seq = record.donation.stage_seq
    await ctx.session.close()
    who = principal.acting_key
    update_id = f"receipt-{who}-key-{idempotency_key}" if idempotency_key else f"receipt-{who}-{seq}"
    audit = ctx.auditor(principal)
    try:
        answer = await gateway.send(ctx.temporal, code, DonationWorkflow.receive, receipt, update_id)
    except ActionRefused as refused:
        await audit.record("donation_receipt_refused", unit=unit, donation=code, kind=refused.kind)
        raise
    await audit.record("donation_receipt", unit=unit, donation=code, update_id=update_id, stage=answer.stage.value)
    return answer


def _checked_receipt(record: DonationRecord, form: ReceiptForm, retry: bool) -> tuple[LineReceipt, ...]:
    lines = {line.line_no: (line, item) for line, item in record.lines}
    problems: list[FieldProblem] = []
    seen: set[int] = set()
    receipts: list[LineReceipt] = []
    today = city_today()
    for i, entry in enumerate(form.lines):
        field = f"lines.{i}"
        if entry.line_no not in lines:
            problems.append(FieldProblem(f"{field}.line_no", "unknown_line", Text("err.unknown_donation_line")))
            continue
        if entry.line_no in seen:
            problems.append(FieldProblem(f"{field}.line_no", "line_received_twice", Text("err.line_received_twice")))
            continue
        seen.add(entry.line_no)
        line, item = lines[entry.line_no]
        if line.inspection is not None and not retry:
            problems.append(FieldProblem(f"{field}.line_no", "line_received_twice", Text("err.line_received_already")))
            continue
        expires_on = entry.expires_on or line.expires_on
        if entry.inspection == Inspection.REJECTED:
            if not entry.rejection_reason:
                problems.append(
                    FieldProblem(f"{field}.rejection_reason", "reason_required", Text("err.rejection_reason_required"))
                )
        else:
            if entry.received_quantity <= 0:
                problems.append(
                    FieldProblem(f"{field}.received_quantity", "not_positive", Text("err.accepted_not_positive"))
                )
            else:
                problems += _quantity_problems(f"{field}.received_quantity", entry.received_quantity, item)
            if item.perishable and expires_on is None:
                problems.append(_expiry_required(f"{field}.expires_on", item))
            elif expires_on is not None and expires_on < today:
                problems.append(FieldProblem(f"{field}.expires_on", "expired", Text("err.goods_expired")))
        receipts.append(
            LineReceipt(
                line_id=line.id,
                received_quantity=entry.received_quantity,
                inspection=entry.inspection,
                rejection_reason=entry.rejection_reason,
                expires_on=expires_on if entry.inspection == Inspection.ACCEPTED else None,
            )
        )
    missing = sorted(set(lines) - seen)
    if missing and not problems:
        problems.append(
            FieldProblem("lines", "missing_lines", Text("err.missing_lines", lines=", ".join(map(str, missing))))
        )
    if problems:
        raise InvalidInput(*problems)
    return tuple(receipts)


def _view(record: DonationRecord) -> DonationView:
    donation = record.donation
    return DonationView(
        code=donation.code,
        stage=DonationStage(donation.stage),
        place_code=record.place.code,
        place_name=record.place.name,
        district_code=donation.district_code,
        expected_on=donation.expected_on,
        announced_at=donation.announced_at,
        received_at=donation.received_at,
        lines=[
            DonationLineView(
                line_no=line.line_no,
                item_code=item.code,
                item_name_vi=item.name_vi,
                item_name_en=item.name_en,
                unit=item.unit,
                perishable=item.perishable,
                whole_units=item.whole_units,
                announced_quantity=line.announced_quantity,
                expires_on=line.expires_on,
                estimated_value_vnd=line.estimated_value_vnd,
                received_quantity=line.received_quantity,
                inspection=Inspection(line.inspection) if line.inspection else None,
                rejection_reason=line.rejection_reason,
            )
            for line, item in record.lines
        ],
    )
