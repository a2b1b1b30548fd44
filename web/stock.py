"""Stock pages: the warehouse staff's place on a phone (assemble bags, count a lot, write off, transfer, issue), the
officials' stock by place and item, and the public's totals. The same use cases as the API's (usecases/supply/).

Each action form carries a hidden key made when the form was drawn: sent twice (a double tap, a reload of the
answer) it is one action. A refused form comes back with the error summary at the top and each wrong field named,
in the reader's language, and the values as typed."""

import uuid
from collections.abc import Awaitable, Callable
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import RedirectResponse
from pydantic import BaseModel, ValidationError

from api.deps import CurrentPrincipal, MaybePrincipal, UseCases
from domain.supply import ASSEMBLY_KINDS
from texts import Text, text
from usecases.context import Context
from usecases.errors import InvalidInput, NotFound
from usecases.principal import Principal
from usecases.schemas.stock import (
    AssemblyBody,
    CountBody,
    IssueBody,
    StockActionResult,
    TransferBody,
    WriteOffBody,
)
from usecases.schemas.text import CODE_PATTERN
from usecases.supply import stock, stock_views
from web.csrf import require_csrf
from web.forms import field_errors
from web.render import current_lang, render

router = APIRouter(include_in_schema=False)

Action = Callable[[Context, Principal, str, Any, str | None], Awaitable[StockActionResult]]

# form name → (path, body, use case)
FORMS: dict[str, tuple[str, type[BaseModel], Action]] = {
    "assembly": ("/kho/dong-tui", AssemblyBody, stock.assemble),
    "count": ("/kho/kiem-ke", CountBody, stock.count),
    "write_off": ("/kho/huy", WriteOffBody, stock.write_off),
    "transfer": ("/kho/chuyen", TransferBody, stock.transfer),
    "issue": ("/kho/xuat", IssueBody, stock.issue),
}
FORM_KEY = "form_key"


def format_quantity(value: Decimal) -> str:
    """10.000 → "10", 2.500 → "2.5": the ledger's three decimals only where they say something."""
    return f"{value.normalize():f}"


def _place_code(principal: Principal) -> str:
    if principal.place_code is None:
        raise NotFound(Text("err.account_without_place"))
    return principal.place_code


async def _place_page(
    request: Request,
    principal: Principal,
    ctx: Context,
    *,
    status_code: int = 200,
    failed: str | None = None,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    notice: str | None = None,
) -> Response:
    place_code = _place_code(principal)
    detail = await stock_views.place(ctx, principal, place_code)
    places, institutions = await stock_views.destinations(ctx, principal, place_code)
    # A fresh key per form, except the refused one's: nothing was done under it, and its retry is the same action.
    keys = {name: uuid.uuid4().hex for name in FORMS}
    if failed is not None and values is not None:
        keys[failed] = values.get(FORM_KEY) or keys[failed]
    return render(
        request,
        "stock_place.html",
        principal=principal,
        status_code=status_code,
        place=detail,
        can_assemble=detail.kind in {k.value for k in ASSEMBLY_KINDS},
        places=places,
        institutions=institutions,
        keys=keys,
        forms={name: path for name, (path, _, _) in FORMS.items()},
        failed=failed,
        errors=errors or {},
        values=values or {},
        notice=notice,
        qty=format_quantity,
    )


@router.get("/kho")
async def place_page(request: Request, principal: CurrentPrincipal, ctx: UseCases) -> Response:
    done = request.query_params.get("xong", "")
    notice = text(current_lang(request), f"stock.done.{done}") if done in FORMS else None
    return await _place_page(request, principal, ctx, notice=notice)


async def _submit(request: Request, principal: Principal, ctx: Context, name: str) -> Response:
    _, model, action = FORMS[name]
    lang = current_lang(request)
    form = await request.form()
    values = {k: str(form.get(k, "")).strip() for k in (*model.model_fields, FORM_KEY)}
    try:
        # An empty field is a missing one: "Please fill this in", not "not a number".
        body = model.model_validate({k: v for k, v in values.items() if v and k != FORM_KEY})
    except ValidationError as invalid:
        errors = field_errors(lang, invalid)
        return await _place_page(request, principal, ctx, status_code=422, failed=name, errors=errors, values=values)
    try:
        await action(ctx, principal, _place_code(principal), body, values[FORM_KEY] or None)
    except InvalidInput as refused:
        errors = {p.field: p.render(lang) for p in refused.problems}
        return await _place_page(request, principal, ctx, status_code=422, failed=name, errors=errors, values=values)
    return RedirectResponse(f"/kho?xong={name}", status_code=303)


def _form_route(name: str) -> None:
    path = FORMS[name][0]

    async def submit(request: Request, principal: CurrentPrincipal, ctx: UseCases) -> Response:
        return await _submit(request, principal, ctx, name)

    router.add_api_route(path, submit, methods=["POST"], dependencies=[Depends(require_csrf)], name=f"stock_{name}")


for _name in FORMS:
    _form_route(_name)


@router.get("/ton-kho")
async def overview_page(
    request: Request,
    principal: CurrentPrincipal,
    ctx: UseCases,
    quan: Annotated[str | None, Query(max_length=16, pattern=CODE_PATTERN)] = None,
) -> Response:
    board = await stock_views.overview(ctx, principal, quan or None)
    return render(
        request, "stock_overview.html", principal=principal, board=board, district_code=quan, qty=format_quantity
    )


@router.get("/hang-cuu-tro")
async def public_page(request: Request, principal: MaybePrincipal, ctx: UseCases) -> Response:
    totals = await stock_views.public_totals(ctx)
    return render(request, "stock_public.html", principal=principal, totals=totals, qty=format_quantity)
