"""What helpers, households and wards do with pledges: pledge to a published need, read one's pledge (with the
account and its VietQR code while it is unpaid), say it was paid or release it; the household says whether the
money arrived; the ward decides a dispute or an unconfirmed pledge.

The amount is checked here, field by field, before anything is written; the ledger (migration 0013) refuses
over-funding under concurrent pledges all the same. Out of scope answers like a missing code (NotFound). A second
confirmation of a confirmed pledge (or a second "not arrived") answers the first's result and writes nothing.
"""

from datetime import UTC, datetime
from uuid import UUID

from domain.banks import bank_by_bin
from domain.cash import NeedState, PledgeState, grouped
from domain.pledges import PledgeAction, PledgeActor, PledgeAnswer, PledgeInput, WardResolution
from domain.roles import Role
from domain.vietqr import transfer_payload
from services import cash_ledger, community_helpers, pledge_reads, pledge_steps, rate_limits
from services.pledge_reads import PledgeRecord
from services.rate_limits import RateLimited
from texts import Lang, Text
from usecases.access import may_act_for_ward
from usecases.cash import pledge_gateway as gateway
from usecases.context import Context
from usecases.errors import InvalidInput, NotFound
from usecases.principal import Principal
from usecases.relief.workflow_gateway import new_request_code
from usecases.schemas.pledges import HelperPledge, PaymentDetails, PledgeBody, PledgeView, WardDecisionBody, WardPledge
from workflows.pledge import PledgeWorkflow

_NO_NEED = Text("err.pledge.need_not_open")
_NO_PLEDGE = Text("err.pledge.not_found")


def reference(code: str) -> str:
    """The transfer's content the household sees on its statement."""
    return f"ANSINH {code}"


# --- the helper ----------------------------------------------------------------------------------------------


async def pledge(ctx: Context, principal: Principal, need_ref: str, body: PledgeBody, lang: Lang) -> HelperPledge:
    """Holds the amount against the need and starts the pledge's workflow, in one unit: if the workflow cannot
    start, nothing stays. Refused, naming the field, below the policy's smallest pledge or above what remains;
    RateLimited for a helper who pledges too often or was slowed for letting pledges expire. `lang`: the helper's
    (the page's, or the Accept-Language's), for every message to them about it."""
    helper_id = _helper(principal)
    session, policy, limits = ctx.session, ctx.settings.cash_policy, ctx.settings.rate_limits
    need = await pledge_reads.need_by_ref(session, need_ref)
    if need is None or need.state != NeedState.PUBLISHED:
        raise NotFound(_NO_NEED)
    amount = body.amount_vnd
    if amount < policy.min_pledge_vnd:
        minimum = grouped(policy.min_pledge_vnd)
        raise InvalidInput.field(
            "amount_vnd", "below_minimum", Text("err.pledge.below_minimum", minimum=minimum), amount
        )
    if amount > need.remaining:
        raise _above_remaining(amount, need.remaining)
    now = datetime.now(UTC)
    slowed = await community_helpers.slowed_until(session, helper_id, now)
    if slowed is not None:
        raise RateLimited("pledge_helper_slowed", max(1, int((slowed - now).total_seconds())))
    await rate_limits.hit(
        ("pledge_phone", str(helper_id), limits.pledge_per_phone),
        ("pledge_ip", ctx.client_ip or "-", limits.pledge_per_ip),
    )
    code = new_request_code()
    try:
        await cash_ledger.pledge(session, code, need.request_id, helper_id, amount)
    except cash_ledger.OverFunded as over:  # another helper's pledge came first
        raise _above_remaining(amount, over.remaining) from None
    except cash_ledger.NeedNotOpen:
        raise NotFound(_NO_NEED) from None
    pledge_id = await pledge_steps.announce(session, code, now, policy, lang)
    inp = PledgeInput(
        pledge_id=pledge_id,
        code=code,
        request_id=need.request_id,
        request_code=need.request_code,
        helper_id=helper_id,
        household_id=need.household_id,
        amount=amount,
        ward_code=need.ward_code,
        district_code=need.district_code,
        policy=policy,
    )
    await gateway.start(ctx.temporal, ctx.settings.task_queue, inp)
    await ctx.auditor(principal).record(
        "pledged", unit=(need.ward_code, need.district_code), pledge=code, amount=amount
    )  # commits the pledge, its messages and the entry together
    record = await pledge_reads.pledge_by_code(session, code)
    assert record is not None
    return HelperPledge(**_view(record, ctx).model_dump())


async def my_pledges(ctx: Context, principal: Principal) -> list[PledgeView]:
    return [_view(r, ctx) for r in await pledge_reads.helper_pledges(ctx.session, _helper(principal))]


async def my_pledge(ctx: Context, principal: Principal, code: str) -> HelperPledge:
    """The helper's pledge; while it is unpaid, with the account to pay and its VietQR code. Every reading of the
    account is audited before it is returned."""
    record = await _helpers_pledge(ctx, principal, code)
    view = HelperPledge(**_view(record, ctx).model_dump())
    if record.state != PledgeState.PLEDGED:
        return view
    account = await pledge_reads.payout_account(ctx.session, record.request_id)
    await ctx.auditor(principal).record(
        "account_number_read", unit=(record.ward_code, record.district_code), pledge=code
    )
    bank = bank_by_bin(account.bank_bin)
    try:
        payload: str | None = transfer_payload(account.bank_bin, account.account_number, record.amount, view.reference)
    except ValueError:  # an account the bank list does not know the shape of: typed by hand from the details
        payload = None
    return view.model_copy(
        update={
            "payment": PaymentDetails(
                bank_bin=account.bank_bin,
                bank_name=bank.name if bank is not None else account.bank_bin,
                holder_name=account.holder_name,
                account_number=account.account_number,
                amount_vnd=record.amount,
                reference=view.reference,
                qr_payload=payload,
            )
        }
    )


async def report_transferred(ctx: Context, principal: Principal, code: str) -> PledgeAnswer:
    record = await _helpers_pledge(ctx, principal, code)
    answer = await _send(ctx, principal, record, PledgeWorkflow.transferred, PledgeAction(actor=_actor(principal)))
    await ctx.auditor(principal).record(
        "pledge_transferred", unit=(record.ward_code, record.district_code), pledge=code
    )
    return answer


async def release(ctx: Context, principal: Principal, code: str) -> PledgeAnswer:
    record = await _helpers_pledge(ctx, principal, code)
    answer = await _send(ctx, principal, record, PledgeWorkflow.release, PledgeAction(actor=_actor(principal)))
    await ctx.auditor(principal).record("pledge_released", unit=(record.ward_code, record.district_code), pledge=code)
    return answer


# --- the household -------------------------------------------------------------------------------------------


async def household_pledges(ctx: Context, principal: Principal, request_code: str) -> list[PledgeView]:
    """The pledges to the household's need (its request page): the household's own, or an official's in scope."""
    rows = [
        r
        for r in await pledge_reads.household_pledges_by_code(ctx.session, request_code)
        if _household_may_answer(principal, r) or _ward_may_decide(principal, r)
    ]
    return [_view(r, ctx) for r in rows]


async def household_answer(
    ctx: Context, principal: Principal, code: str, arrived: bool, note: str | None = None
) -> PledgeAnswer:
    """The household's "Đã nhận được" (arrived) or "Chưa nhận được". Said again, it answers the first's result."""
    record = await pledge_reads.pledge_by_code(ctx.session, code)
    if record is None or not _household_may_answer(principal, record):
        raise NotFound(_NO_PLEDGE)
    already = PledgeState.CONFIRMED if arrived else PledgeState.DISPUTED
    if record.state == already:
        return PledgeAnswer(state=already)
    update = PledgeWorkflow.confirm if arrived else PledgeWorkflow.not_arrived
    answer = await _send(ctx, principal, record, update, PledgeAction(actor=_actor(principal), note=note))
    await ctx.auditor(principal).record(
        "pledge_confirmed" if arrived else "pledge_not_arrived",
        unit=(record.ward_code, record.district_code),
        pledge=code,
    )
    return answer


# --- the ward ------------------------------------------------------------------------------------------------


async def awaiting_ward(ctx: Context, principal: Principal) -> list[WardPledge]:
    """Disputed pledges and those paid but unconfirmed, in the official's ward, district or city."""
    ward = principal.ward_code if principal.role == Role.WARD_OFFICIAL else None
    district = principal.district_code if principal.role == Role.DISTRICT_OFFICIAL else None
    if ward is None and district is None and principal.role != Role.CITY_OFFICIAL:
        return []
    rows = await pledge_reads.awaiting_ward(ctx.session, ward, district)
    asked_before = datetime.now(UTC) - ctx.settings.cash_policy.confirm_ward_after
    return [
        WardPledge(
            **_view(r, ctx).model_dump(),
            request_code=r.request_code,
            household_id=r.household_id,
            note=r.note,
            decidable=r.state == PledgeState.DISPUTED
            or (r.transferred_at is not None and r.transferred_at <= asked_before),
        )
        for r in rows
    ]


async def resolve(ctx: Context, principal: Principal, code: str, body: WardDecisionBody) -> PledgeAnswer:
    record = await pledge_reads.pledge_by_code(ctx.session, code)
    if record is None or not _ward_may_decide(principal, record):
        raise NotFound(_NO_PLEDGE)
    action = WardResolution(actor=_actor(principal), arrived=body.arrived, note=body.note)
    answer = await _send(ctx, principal, record, PledgeWorkflow.resolve, action)
    await ctx.auditor(principal).record(
        "pledge_resolved", unit=(record.ward_code, record.district_code), pledge=code, arrived=body.arrived
    )
    return answer


# --- shared --------------------------------------------------------------------------------------------------


def _above_remaining(amount: int, remaining: int) -> InvalidInput:
    return InvalidInput.field("amount_vnd", "above_remaining", input=amount, remaining=grouped(remaining))


def _helper(principal: Principal) -> UUID:
    if principal.role != Role.COMMUNITY_HELPER or principal.helper_id is None:
        raise NotFound(_NO_NEED)
    return principal.helper_id


async def _helpers_pledge(ctx: Context, principal: Principal, code: str) -> PledgeRecord:
    record = await pledge_reads.pledge_by_code(ctx.session, code)
    if record is None or principal.helper_id is None or record.helper_id != principal.helper_id:
        raise NotFound(_NO_PLEDGE)
    return record


def _household_may_answer(principal: Principal, record: PledgeRecord) -> bool:
    if principal.role != Role.CITIZEN or record.household_id not in principal.household_ids:
        return False
    return principal.request_code in (None, record.request_code)  # a registration's token: its request only


def _ward_may_decide(principal: Principal, record: PledgeRecord) -> bool:
    return principal.is_official and may_act_for_ward(principal, record.ward_code, record.district_code)


def _actor(principal: Principal) -> PledgeActor:
    return PledgeActor(
        role=principal.role,
        user_id=principal.user_id,
        helper_id=principal.helper_id,
        household_ids=tuple(sorted(principal.household_ids)),
        ward_code=principal.ward_code,
        district_code=principal.district_code,
    )


async def _send(
    ctx: Context, principal: Principal, record: PledgeRecord, update: gateway.PledgeUpdate, action: PledgeAction
) -> PledgeAnswer:
    name: str = getattr(update, "__name__")  # noqa: B009 - the update's name, as the workflow registers it
    # One person's double tap is one action; another person's is judged on its own (architecture §8).
    update_id = f"{record.code}:{name}:{principal.acting_key}"
    return await gateway.send(ctx.temporal, record.code, update, action, update_id)


def _view(record: PledgeRecord, ctx: Context) -> PledgeView:
    policy = ctx.settings.cash_policy
    return PledgeView(
        code=record.code,
        state=record.state,
        amount_vnd=record.amount,
        reference=reference(record.code),
        need_ref=record.need_ref,
        ward_code=record.ward_code,
        district_code=record.district_code,
        pledged_at=record.created_at,
        pay_by=record.created_at + policy.pledge_transfer_within if record.state == PledgeState.PLEDGED else None,
        transferred_at=record.transferred_at,
        closed_at=record.closed_at,
    )
