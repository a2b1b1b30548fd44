"""The shipment pages: a warehouse's staff see what is to dispatch and what is coming, dispatch one (driver, phone,
plate) and receive one with a count per line, on a phone; officials see the shipments late or received with
differences. Thin adapters over the same use cases as the API (usecases/supply/shipments.py)."""

import re
import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request, Response
from fastapi.responses import RedirectResponse
from pydantic import ValidationError

from api.deps import CurrentPrincipal, UseCases
from domain.roles import Role
from domain.shipment_flow import ShipmentStage
from domain.shipments import SHIPMENT_CODE_PATTERN
from texts import Lang, text
from usecases.errors import InvalidInput
from usecases.relief.workflow_gateway import ActionRefused
from usecases.schemas.shipments import DispatchForm, ShipmentReceiptForm
from usecases.supply import shipments
from web.csrf import require_csrf
from web.forms import field_errors
from web.render import current_lang, render

router = APIRouter(include_in_schema=False)

ShipmentCode = Annotated[str, Path(max_length=64, pattern=SHIPMENT_CODE_PATTERN)]


def _form_key(values: dict[str, str]) -> str | None:
    """The form's own key, rendered with it: a double tap sends it twice, and the second gets the first's answer."""
    key = values.get("form_key", "")
    return key if re.fullmatch(r"[0-9a-f]{32}", key) else None


def _problems(lang: Lang, invalid: InvalidInput) -> dict[str, str]:
    found: dict[str, str] = {}
    for problem in invalid.problems:
        found.setdefault(problem.field, problem.render(lang))
    return found


@router.get("/kho/chuyen-hang")
async def list_page(request: Request, principal: CurrentPrincipal, ctx: UseCases) -> Response:
    found = await shipments.lists(ctx, principal)
    lang = current_lang(request)
    done, what = request.query_params.get("ok", ""), request.query_params.get("da", "")
    notice = text(lang, f"ship.{what}_notice", code=done) if done and what in ("dispatched", "received") else None
    return render(
        request, "shipments.html", principal=principal, outgoing=found.outgoing, incoming=found.incoming, notice=notice
    )


@router.get("/chuyen-hang/tre")
async def late_page(request: Request, principal: CurrentPrincipal, ctx: UseCases) -> Response:
    found = await shipments.lists(ctx, principal)
    return render(request, "shipments_late.html", principal=principal, rows=found.late)


async def _page(
    request: Request,
    ctx: UseCases,
    principal: CurrentPrincipal,
    code: str,
    failed: str | None = None,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
    error: str | None = None,
) -> Response:
    shipment = await shipments.read(ctx, principal, code)
    at_source = principal.role == Role.WAREHOUSE_STAFF and principal.place_code == shipment.from_place
    at_destination = principal.role == Role.WAREHOUSE_STAFF and principal.place_code == shipment.to_place
    return render(
        request, "shipment.html", principal=principal, shipment=shipment, failed=failed,
        can_dispatch=at_source and shipment.stage == ShipmentStage.PICKED,
        can_receive=at_destination and shipment.stage == ShipmentStage.IN_TRANSIT,
        values=values or {}, errors=errors or {}, status_code=status_code, error=error,
        form_key=(values or {}).get("form_key") or uuid.uuid4().hex,
    )  # fmt: skip


@router.get("/kho/chuyen-hang/{shipment_code}")
async def shipment_page(
    request: Request, shipment_code: ShipmentCode, principal: CurrentPrincipal, ctx: UseCases
) -> Response:
    return await _page(request, ctx, principal, shipment_code)


async def _refused(
    request: Request, ctx: UseCases, principal: CurrentPrincipal, code: str, refused: ActionRefused
) -> Response:
    lang = current_lang(request)
    response = await _page(request, ctx, principal, code, status_code=409, error=text(lang, f"refused.{refused.kind}"))
    response.headers["X-Refusal-Kind"] = refused.kind
    return response


@router.post("/kho/chuyen-hang/{shipment_code}/xuat", dependencies=[Depends(require_csrf)])
async def dispatch(
    request: Request, shipment_code: ShipmentCode, principal: CurrentPrincipal, ctx: UseCases
) -> Response:
    lang = current_lang(request)
    values = {k: str(v) for k, v in (await request.form()).items() if k != "csrf_token"}
    raw = {name: values.get(name, "") for name in ("driver_name", "driver_phone", "vehicle_plate")}
    try:
        form = DispatchForm.model_validate(raw)
        await shipments.dispatch(ctx, principal, shipment_code, form, _form_key(values))
    except ValidationError as invalid:
        errors = field_errors(lang, invalid)
    except InvalidInput as invalid:
        errors = _problems(lang, invalid)
    except ActionRefused as refused:
        return await _refused(request, ctx, principal, shipment_code, refused)
    else:
        return RedirectResponse(f"/kho/chuyen-hang?ok={shipment_code}&da=dispatched", status_code=303)
    return await _page(
        request, ctx, principal, shipment_code, "dispatch", values, errors, 422, text(lang, "err.invalid")
    )


@router.post("/kho/chuyen-hang/{shipment_code}/nhan", dependencies=[Depends(require_csrf)])
async def receive(
    request: Request, shipment_code: ShipmentCode, principal: CurrentPrincipal, ctx: UseCases
) -> Response:
    lang = current_lang(request)
    values = {k: str(v) for k, v in (await request.form()).items() if k != "csrf_token"}
    numbers = sorted({int(k.split("-")[1]) for k in values if k.startswith("line-") and k.split("-")[1].isdigit()})
    raw: dict[str, Any] = {
        "lines": [
            {"line_no": n, "received_quantity": values.get(f"line-{n}-received", "").replace(",", ".") or None}
            for n in numbers
        ],
        "note": values.get("note") or None,
    }
    try:
        receipt = ShipmentReceiptForm.model_validate(raw)
        await shipments.receive(ctx, principal, shipment_code, receipt, _form_key(values))
    except ValidationError as invalid:
        errors = field_errors(lang, invalid, nested=True)
    except InvalidInput as invalid:
        errors = _problems(lang, invalid)
    except ActionRefused as refused:
        return await _refused(request, ctx, principal, shipment_code, refused)
    else:
        return RedirectResponse(f"/kho/chuyen-hang?ok={shipment_code}&da=received", status_code=303)
    # Line i of the form model is row `n` of the page: name the row's field.
    for i, n in enumerate(numbers):
        for field in ("received_quantity", "line_no"):
            if f"lines.{i}.{field}" in errors:
                errors[f"line-{n}-received"] = errors.pop(f"lines.{i}.{field}")
    if "lines" in errors and numbers:
        errors[f"line-{numbers[0]}-received"] = errors.pop("lines")
    return await _page(
        request, ctx, principal, shipment_code, "receive", values, errors, 422, text(lang, "err.invalid")
    )
