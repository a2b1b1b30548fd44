"""The donation pages: a donor announces goods without an account and follows them by the link they get; warehouse
staff see what is due at their place and record, on a phone, what arrived. Thin adapters over the same use cases as
the API (usecases/supply/donations.py); the follow link's token is checked there."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request, Response
from fastapi.responses import RedirectResponse
from pydantic import ValidationError
from sqlalchemy import select

from api.deps import CurrentPrincipal, MaybePrincipal, UseCases
from api.params import RequestCode
from db.supply import SupplyItem, SupplyPlace
from domain.donations import DonationStage
from domain.supply import FOOD_BAG, PlaceKind
from texts import Lang, text
from usecases.errors import InvalidInput
from usecases.relief.workflow_gateway import ActionRefused
from usecases.schemas.donations import DonationForm, DonorCancellationForm, ReceiptForm
from usecases.supply import donations
from usecases.supply.donation_tokens import follow_path
from web.csrf import require_csrf
from web.forms import field_errors
from web.render import current_lang, render

router = APIRouter(include_in_schema=False)

ANNOUNCED_LINES = 4  # rows on the form; the API takes up to 50
_PAGE_PLACES = (PlaceKind.CITY_WAREHOUSE.value, PlaceKind.DISTRICT_WAREHOUSE.value)


async def _choices(ctx: UseCases) -> tuple[list[SupplyPlace], list[SupplyItem]]:
    """The warehouses a donor picks from (ward points take goods through the API) and the donatable items."""
    places = (
        await ctx.session.scalars(
            select(SupplyPlace).where(SupplyPlace.kind.in_(_PAGE_PLACES), SupplyPlace.active).order_by(SupplyPlace.code)
        )
    ).all()
    items = (
        await ctx.session.scalars(select(SupplyItem).where(SupplyItem.code != FOOD_BAG).order_by(SupplyItem.code))
    ).all()
    return list(places), list(items)


def _problems(lang: Lang, invalid: InvalidInput) -> dict[str, str]:
    found: dict[str, str] = {}
    for problem in invalid.problems:
        found.setdefault(problem.field, problem.render(lang))
    return found


def _blank(value: Any) -> Any:
    return None if value in ("", None) else value


@router.get("/quyen-gop")
async def announce_page(request: Request, ctx: UseCases, principal: MaybePrincipal) -> Response:
    places, items = await _choices(ctx)
    return render(
        request, "donation_announce.html", principal=principal, places=places, items=items, values={}, errors={},
        rows=range(1, ANNOUNCED_LINES + 1),
    )  # fmt: skip


@router.post("/quyen-gop", dependencies=[Depends(require_csrf)])
async def announce(request: Request, ctx: UseCases, principal: MaybePrincipal) -> Response:
    lang = current_lang(request)
    values = {k: str(v) for k, v in (await request.form()).items() if k != "csrf_token"}
    lines = []
    for n in range(1, ANNOUNCED_LINES + 1):
        if values.get(f"line-{n}-item"):
            lines.append(
                {
                    "item_code": values[f"line-{n}-item"],
                    "quantity": values.get(f"line-{n}-quantity", "").replace(",", ".") or None,
                    "expires_on": _blank(values.get(f"line-{n}-expiry")),
                    "estimated_value_vnd": _blank(values.get(f"line-{n}-value", "").replace(".", "")),
                }
            )
    raw = {
        "donor": {
            "kind": values.get("kind"),
            "origin": values.get("origin"),
            "name": values.get("name", ""),
            "contact_name": _blank(values.get("contact_name")),
            "phone": values.get("phone", ""),
            "email": _blank(values.get("email")),
        },
        "place_code": values.get("place_code", ""),
        "expected_on": values.get("expected_on") or None,
        "lines": lines,
    }
    errors: dict[str, str]
    try:
        answer = await donations.announce(ctx, DonationForm.model_validate(raw), lang)
        return RedirectResponse(answer.follow_url, status_code=303)
    except ValidationError as invalid:
        errors = field_errors(lang, invalid, nested=True)
    except InvalidInput as invalid:
        errors = _problems(lang, invalid)
    # Line i of the form model is row `n` of the page: name the row's fields.
    rows = [n for n in range(1, ANNOUNCED_LINES + 1) if values.get(f"line-{n}-item")]
    for i, n in enumerate(rows):
        for field, name in (("item_code", "item"), ("quantity", "quantity"), ("expires_on", "expiry"),
                            ("estimated_value_vnd", "value")):  # fmt: skip
            if f"lines.{i}.{field}" in errors:
                errors[f"line-{n}-{name}"] = errors.pop(f"lines.{i}.{field}")
    if "lines" in errors:
        errors["line-1-item"] = errors.pop("lines")
    for field in ("kind", "origin", "name", "contact_name", "phone", "email"):
        if f"donor.{field}" in errors:
            errors[field] = errors.pop(f"donor.{field}")
    places, items = await _choices(ctx)
    return render(
        request, "donation_announce.html", principal=principal, places=places, items=items, values=values,
        errors=errors, rows=range(1, ANNOUNCED_LINES + 1), status_code=422, error=text(lang, "err.invalid"),
    )  # fmt: skip


@router.get("/quyen-gop/{donation_code}")
async def follow_page(
    request: Request, donation_code: RequestCode, ctx: UseCases, principal: MaybePrincipal
) -> Response:
    token = request.query_params.get("t")
    followed = await donations.follow(ctx, donation_code, token)
    notice = text(current_lang(request), "don.cancelled_notice") if request.query_params.get("huy") else None
    return render(
        request, "donation_follow.html", principal=principal, donation=followed.donation,
        destinations=followed.destinations, token=token, notice=notice,
    )  # fmt: skip


@router.post("/quyen-gop/{donation_code}/huy", dependencies=[Depends(require_csrf)])
async def cancel(
    request: Request,
    donation_code: RequestCode,
    ctx: UseCases,
    token: Annotated[str, Form(max_length=100)] = "",
    reason: Annotated[str, Form(max_length=300)] = "",
) -> Response:
    lang = current_lang(request)
    try:
        form = DonorCancellationForm(token=token, reason=reason or None)
    except ValidationError:
        return render(request, "error.html", status_code=404, title=text(lang, "error.404"), message="")
    try:
        await donations.cancel(ctx, donation_code, form)
    except ActionRefused as refused:
        return render(
            request, "error.html", status_code=409, title=text(lang, "error.generic"),
            message=text(lang, f"refused.{refused.kind}"),
        )  # fmt: skip
    return RedirectResponse(follow_path(donation_code, token) + "&huy=1", status_code=303)


@router.get("/kho/quyen-gop")
async def due_page(request: Request, principal: CurrentPrincipal, ctx: UseCases) -> Response:
    rows = await donations.due(ctx, principal)
    done, lots = request.query_params.get("ok", ""), request.query_params.get("lots", "0")
    notice = text(current_lang(request), "don.received_notice", code=done, lots=lots) if done else None
    return render(request, "donation_due.html", principal=principal, rows=rows, notice=notice)


async def _receipt_page(
    request: Request,
    ctx: UseCases,
    principal: CurrentPrincipal,
    code: str,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
    error: str | None = None,
) -> Response:
    donation = await donations.read(ctx, principal, code)
    can_receive = principal.place_code == donation.place_code and donation.stage == DonationStage.ANNOUNCED
    return render(
        request, "donation_receive.html", principal=principal, donation=donation, can_receive=can_receive,
        values=values or {}, errors=errors or {}, status_code=status_code, error=error,
    )  # fmt: skip


@router.get("/kho/quyen-gop/{donation_code}")
async def receipt_page(
    request: Request, donation_code: RequestCode, principal: CurrentPrincipal, ctx: UseCases
) -> Response:
    return await _receipt_page(request, ctx, principal, donation_code)


@router.post("/kho/quyen-gop/{donation_code}/nhan", dependencies=[Depends(require_csrf)])
async def receive(request: Request, donation_code: RequestCode, principal: CurrentPrincipal, ctx: UseCases) -> Response:
    lang = current_lang(request)
    values = {k: str(v) for k, v in (await request.form()).items() if k != "csrf_token"}
    numbers = sorted({int(k.split("-")[1]) for k in values if k.startswith("line-") and k.split("-")[1].isdigit()})
    raw = {
        "lines": [
            {
                "line_no": n,
                "received_quantity": values.get(f"line-{n}-quantity", "").replace(",", ".") or None,
                "inspection": values.get(f"line-{n}-inspection"),
                "rejection_reason": _blank(values.get(f"line-{n}-reason")),
                "expires_on": _blank(values.get(f"line-{n}-expiry")),
            }
            for n in numbers
        ]
    }
    errors: dict[str, str]
    try:
        answer = await donations.receive(ctx, principal, donation_code, ReceiptForm.model_validate(raw))
        return RedirectResponse(f"/kho/quyen-gop?ok={donation_code}&lots={answer.lots}", status_code=303)
    except ValidationError as invalid:
        errors = field_errors(lang, invalid, nested=True)
    except InvalidInput as invalid:
        errors = _problems(lang, invalid)
    except ActionRefused as refused:
        return await _receipt_page(
            request,
            ctx,
            principal,
            donation_code,
            values,
            status_code=409,
            error=text(lang, f"refused.{refused.kind}"),
        )
    names = {"received_quantity": "quantity", "inspection": "inspection", "rejection_reason": "reason",
             "expires_on": "expiry", "line_no": "quantity"}  # fmt: skip
    for i, n in enumerate(numbers):
        for field, name in names.items():
            if f"lines.{i}.{field}" in errors:
                errors[f"line-{n}-{name}"] = errors.pop(f"lines.{i}.{field}")
    return await _receipt_page(
        request, ctx, principal, donation_code, values, errors, status_code=422, error=text(lang, "err.invalid")
    )
