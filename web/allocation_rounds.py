"""The centre's allocation round pages: the rounds and "start one now"; a round's proposal as a table with its
reasons, need against allocation by district and the lots by days to expiry as bars, the need's breakdown per
destination, and the form that approves it (each line's quantity can be changed, with a reason, and a line added).
The same use cases as the API's (usecases/supply/allocation_rounds.py); no script needed."""

import uuid
from datetime import date
from decimal import Decimal, InvalidOperation

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import RedirectResponse
from markupsafe import Markup
from pydantic import ValidationError

from api.deps import CurrentPrincipal, UseCases
from domain.roles import Role
from texts import Lang, text
from usecases.context import Context
from usecases.errors import InvalidInput
from usecases.principal import Principal
from usecases.relief.workflow_gateway import ActionRefused
from usecases.schemas.allocation_rounds import ApprovalForm, RoundView
from usecases.supply import allocation_rounds
from web.charts import bar_chart
from web.csrf import require_csrf
from web.forms import field_errors
from web.render import current_lang, render
from web.stock import format_quantity

router = APIRouter(include_in_schema=False)
BASE = "/trung-tam/phan-bo"


@router.get(BASE)
async def rounds_page(request: Request, principal: CurrentPrincipal, ctx: UseCases) -> Response:
    rounds = await allocation_rounds.list_rounds(ctx, principal)
    return render(request, "allocation_rounds.html", principal=principal, rounds=rounds, can_act=_can_act(principal))


@router.post(BASE, dependencies=[Depends(require_csrf)])
async def start_now(request: Request, principal: CurrentPrincipal, ctx: UseCases) -> Response:
    try:
        answer = await allocation_rounds.start_now(ctx, principal)
    except ActionRefused as refused:
        rounds = await allocation_rounds.list_rounds(ctx, principal)
        error = refused.render(current_lang(request))
        return render(
            request,
            "allocation_rounds.html",
            principal=principal,
            rounds=rounds,
            can_act=True,
            error=error,
            status_code=409,
            headers={"X-Refusal-Kind": refused.kind},
        )
    return RedirectResponse(f"{BASE}/{answer.round_date.isoformat()}", status_code=303)


@router.get(BASE + "/{round_date}")
async def round_page(request: Request, round_date: date, principal: CurrentPrincipal, ctx: UseCases) -> Response:
    return await _round_page(request, ctx, principal, round_date)


@router.post(BASE + "/{round_date}/duyet", dependencies=[Depends(require_csrf)])
async def approve(request: Request, round_date: date, principal: CurrentPrincipal, ctx: UseCases) -> Response:
    lang = current_lang(request)
    form = await request.form()
    values = {k: str(v).strip() for k, v in form.items() if k != "csrf_token"}
    view = await allocation_rounds.read_round(ctx, principal, round_date)
    edits, inputs = _edits(view, values)
    try:
        body = ApprovalForm.model_validate({"edits": edits})
        await allocation_rounds.approve(ctx, principal, round_date, body, values.get("form_key") or None)
    except ValidationError as invalid:
        errors = _by_input(field_errors(lang, invalid, nested=True), inputs)
        return await _round_page(request, ctx, principal, round_date, values, errors, 422, text(lang, "err.invalid"))
    except InvalidInput as invalid:
        errors = _by_input({p.field: p.render(lang) for p in invalid.problems}, inputs)
        return await _round_page(request, ctx, principal, round_date, values, errors, 422, text(lang, "err.invalid"))
    except ActionRefused as refused:
        error = refused.render(lang)
        return await _round_page(
            request, ctx, principal, round_date, values, status_code=409, error=error, refusal=refused.kind
        )
    return RedirectResponse(f"{BASE}/{round_date.isoformat()}?xong=duyet", status_code=303)


@router.post(BASE + "/{round_date}/giai-lai", dependencies=[Depends(require_csrf)])
async def solve_again(request: Request, round_date: date, principal: CurrentPrincipal, ctx: UseCases) -> Response:
    try:
        await allocation_rounds.resolve(ctx, principal, round_date)
    except ActionRefused as refused:
        error = refused.render(current_lang(request))
        return await _round_page(
            request, ctx, principal, round_date, status_code=409, error=error, refusal=refused.kind
        )
    return RedirectResponse(f"{BASE}/{round_date.isoformat()}?xong=giai-lai", status_code=303)


def _can_act(principal: Principal) -> bool:
    return principal.role == Role.CITY_OFFICIAL


def _edits(view: RoundView, values: dict[str, str]) -> tuple[list[dict[str, str]], list[str]]:
    """Each proposed line whose quantity was changed, and the added line if one was filled in; beside them, the
    input each came from (`line-3`, `new`), so a refusal is shown where it was typed."""
    edits: list[dict[str, str]] = []
    inputs: list[str] = []
    for line in view.proposed:
        typed = values.get(f"line-{line.seq}-quantity", "").replace(",", ".")
        if not typed or _same(typed, line.quantity):
            continue
        why = values.get(f"line-{line.seq}-why", "")
        edits.append({"lot_id": line.lot_id, "to_place": line.to_place, "quantity": typed, "why": why})
        inputs.append(f"line-{line.seq}")
    if any(values.get(f"new-{k}") for k in ("lot", "to", "quantity")):
        edits.append(
            {
                "lot_id": values.get("new-lot", ""),
                "to_place": values.get("new-to", ""),
                "quantity": values.get("new-quantity", "").replace(",", ".") or "0",
                "why": values.get("new-why", ""),
            }
        )
        inputs.append("new")
    return edits, inputs


def _same(typed: str, quantity: Decimal) -> bool:
    try:
        return Decimal(typed) == quantity
    except InvalidOperation:
        return False


_INPUT_NAMES = {"lot_id": "lot", "to_place": "to", "quantity": "quantity", "why": "why"}


def _by_input(errors: dict[str, str], inputs: list[str]) -> dict[str, str]:
    """`edits.1.quantity` → `line-3-quantity` (or `new-quantity`): the field the official typed into."""
    shown: dict[str, str] = {}
    for field, message in errors.items():
        parts = field.split(".")
        if len(parts) == 3 and parts[0] == "edits" and parts[1].isdigit() and int(parts[1]) < len(inputs):
            field = f"{inputs[int(parts[1])]}-{_INPUT_NAMES.get(parts[2], 'quantity')}"
        shown.setdefault(field, message)
    return shown


async def _round_page(
    request: Request,
    ctx: Context,
    principal: Principal,
    round_date: date,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
    error: str | None = None,
    refusal: str | None = None,
) -> Response:
    view = await allocation_rounds.read_round(ctx, principal, round_date)
    lang = current_lang(request)
    done = request.query_params.get("xong", "")
    notice = text(lang, f"round.done.{done}") if done in ("duyet", "giai-lai") else None
    return render(
        request,
        "allocation_round.html",
        principal=principal,
        status_code=status_code,
        headers={"X-Refusal-Kind": refusal} if refusal else None,
        view=view,
        can_act=_can_act(principal),
        values=values or {},
        # A fresh key, except after a refusal: nothing was done under it, and its retry is the same approval.
        form_key=(values or {}).get("form_key") or uuid.uuid4().hex,
        errors=errors or {},
        error=error,
        notice=notice,
        qty=format_quantity,
        coverage_chart=_coverage_chart(view, lang),
        expiry_chart=_expiry_chart(view),
    )


def _coverage_chart(view: RoundView, lang: Lang) -> Markup:
    """Need against allocation by district, in household-days: two bars a district."""
    rows: list[tuple[str, int, str]] = []
    for c in view.coverage:
        rows.append((f"{c.district_code} · {text(lang, 'round.need')}", round(c.need), "open"))
        rows.append((f"{c.district_code} · {text(lang, 'round.allocated')}", round(c.allocated), "delivered"))
    return bar_chart(rows)


def _expiry_chart(view: RoundView) -> Markup:
    """Lots by days to expiry, the soonest first: how much of each item would spoil first if it stayed."""
    rows = [
        (
            f"{lot.item_code} · {lot.days_to_expiry} d",
            round(lot.quantity),
            "refused" if lot.days_to_expiry <= 2 else "closed",
        )
        for lot in view.lots
        if lot.days_to_expiry is not None
    ][:20]
    return bar_chart(rows)
