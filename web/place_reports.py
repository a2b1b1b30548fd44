"""The daily report pages: a place's staff file the day's counts, consumption and proposals on a phone; a second
person approves a counted difference; officials see the day's reports by district, missing ones first. The same
use cases as the API's (usecases/supply/place_reports.py); forms work without JavaScript.

The report form has a row per item (`count-<item>`, `used-<item>`: what was counted and consumed; the ledger's
on-hand beside them) and a few proposal rows (`prop-<n>-item`, `-quantity`, `-days`, `-reason`). A refused form
comes back with each wrong field named and the values as typed."""

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Form, Query, Request, Response
from fastapi.responses import RedirectResponse
from pydantic import ValidationError

from api.deps import CurrentPrincipal, UseCases
from domain.place_reports import REPORTING_KINDS
from domain.refusals import RefusalKind
from texts import text
from usecases.context import Context
from usecases.errors import InvalidInput
from usecases.principal import Principal
from usecases.relief.workflow_gateway import ActionRefused
from usecases.schemas.place_reports import ReportBody
from usecases.schemas.text import CODE_PATTERN
from usecases.supply import place_reports
from usecases.supply.stock_places import visible_place
from web.csrf import require_csrf
from web.forms import field_errors
from web.render import current_lang, render
from web.stock import _place_code, format_quantity

router = APIRouter(include_in_schema=False)

FORM_PATH = "/kho/bao-cao"
DAY_PATH = "/bao-cao-kho"
PROPOSAL_ROWS = 3
# The body's field of a proposal → the form's.
PROPOSAL_FIELDS = {"item_code": "item", "quantity": "quantity", "days": "days", "reason": "reason"}
# Where an approval sends its approver back: the form they came from, nowhere else.
BACK_PATHS = (FORM_PATH, DAY_PATH)


async def _form_page(
    request: Request,
    principal: Principal,
    ctx: Context,
    *,
    status_code: int = 200,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    notice: str | None = None,
    error: str | None = None,
) -> Response:
    place_code = _place_code(principal)
    place = await visible_place(ctx.session, principal, place_code)
    if place.kind not in {k.value for k in REPORTING_KINDS}:
        return render(request, "place_report_form.html", principal=principal, report=None, place_name=place.name)
    report = await place_reports.report(ctx, principal, place_code)
    return render(
        request,
        "place_report_form.html",
        principal=principal,
        status_code=status_code,
        report=report,
        place_name=place.name,
        rows=range(1, PROPOSAL_ROWS + 1),
        errors=errors or {},
        values=values or {},
        notice=notice,
        error=error,
        qty=format_quantity,
        back=FORM_PATH,
    )


@router.get(FORM_PATH)
async def form_page(request: Request, principal: CurrentPrincipal, ctx: UseCases) -> Response:
    lang = current_lang(request)
    notice = None
    if request.query_params.get("xong"):
        notice = text(lang, "report.filed_notice")
    elif request.query_params.get("duyet"):
        notice = text(lang, "report.approved_notice")
    return await _form_page(request, principal, ctx, notice=notice)


def _body(values: dict[str, str], items: list[str]) -> tuple[dict[str, Any], dict[str, str], dict[str, str]]:
    """The form as the API's body; the body's field paths → the form's names; a count left out of a used row."""
    counts: list[dict[str, str]] = []
    names: dict[str, str] = {}
    missing: dict[str, str] = {}
    for item in items:
        counted = values.get(f"count-{item}", "").replace(",", ".")
        consumed = values.get(f"used-{item}", "").replace(",", ".")
        if not counted:
            if consumed:
                missing[f"count-{item}"] = "count_required"
            continue
        names[f"counts.{len(counts)}.counted"] = f"count-{item}"
        names[f"counts.{len(counts)}.consumed"] = f"used-{item}"
        names[f"counts.{len(counts)}.item_code"] = f"count-{item}"
        counts.append({"item_code": item, "counted": counted, **({"consumed": consumed} if consumed else {})})
    proposals: list[dict[str, str]] = []
    for n in range(1, PROPOSAL_ROWS + 1):
        row = {f: values.get(f"prop-{n}-{f}", "") for f in ("item", "quantity", "days", "reason")}
        if not (row["item"] or row["quantity"] or row["reason"]):
            continue
        i = len(proposals)
        names |= {f"proposals.{i}.{f}": f"prop-{n}-{g}" for f, g in PROPOSAL_FIELDS.items()}
        proposals.append(
            {"item_code": row["item"], "quantity": row["quantity"].replace(",", ".") or "0", "reason": row["reason"]}
            | ({"days": row["days"]} if row["days"] else {})
        )
    return {"counts": counts, "proposals": proposals}, names, missing


@router.post(FORM_PATH, dependencies=[Depends(require_csrf)])
async def file(request: Request, principal: CurrentPrincipal, ctx: UseCases) -> Response:
    lang = current_lang(request)
    values = {k: str(v).strip() for k, v in (await request.form()).items() if k != "csrf_token"}
    place_code = _place_code(principal)
    place = await visible_place(ctx.session, principal, place_code)
    if place.kind not in {k.value for k in REPORTING_KINDS}:
        return await _form_page(request, principal, ctx, status_code=422)
    items = [line.item_code for line in (await place_reports.report(ctx, principal, place_code)).items]
    raw, names, missing = _body(values, items)
    errors = {name: text(lang, "report.count_required") for name in missing}
    try:
        if not errors:
            body = ReportBody.model_validate(raw)
            await place_reports.file(ctx, principal, place_code, body, values.get("form_key") or None)
            return RedirectResponse(f"{FORM_PATH}?xong=1", status_code=303)
    except ValidationError as invalid:
        errors = field_errors(lang, invalid, nested=True)
    except InvalidInput as invalid:
        errors = {p.field: p.render(lang) for p in invalid.problems}
    except ActionRefused as refused:
        # Filed already (the page's heading says when), or another refusal of the day's workflow.
        key = "err.report_filed_already" if refused.kind == RefusalKind.DUPLICATE else f"refused.{refused.kind}"
        return await _form_page(request, principal, ctx, status_code=409, values=values, error=text(lang, key))
    errors = {names.get(field, field): message for field, message in errors.items()}
    return await _form_page(request, principal, ctx, status_code=422, errors=errors, values=values)


@router.get(DAY_PATH)
async def day_page(
    request: Request,
    principal: CurrentPrincipal,
    ctx: UseCases,
    quan: Annotated[str | None, Query(max_length=16, pattern=CODE_PATTERN)] = None,
) -> Response:
    day = await place_reports.day_reports(ctx, principal, district_code=quan or None)
    pending = await place_reports.pending_adjustments(ctx, principal)
    notice = text(current_lang(request), "report.approved_notice") if request.query_params.get("duyet") else None
    return render(
        request,
        "place_reports_day.html",
        principal=principal,
        day=day,
        pending=pending,
        district_code=quan,
        notice=notice,
        qty=format_quantity,
        back=DAY_PATH,
    )


@router.post(f"{DAY_PATH}/dieu-chinh/{{adjustment_id}}/duyet", dependencies=[Depends(require_csrf)])
async def approve(
    request: Request,
    adjustment_id: UUID,
    principal: CurrentPrincipal,
    ctx: UseCases,
    back: Annotated[str, Form(max_length=40)] = DAY_PATH,
) -> Response:
    lang = current_lang(request)
    try:
        await place_reports.approve(ctx, principal, adjustment_id)
    except InvalidInput as refused:
        message = " ".join(p.render(lang) for p in refused.problems)
        return render(
            request, "error.html", principal=principal, status_code=422, title=text(lang, "report.not_approved"),
            message=message,
        )  # fmt: skip
    return RedirectResponse(f"{back if back in BACK_PATHS else DAY_PATH}?duyet=1", status_code=303)
