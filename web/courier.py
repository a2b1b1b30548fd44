"""The courier's round (ordered by address) and their two actions: proof of delivery with a photo from the
phone's camera, or a failed attempt. The upload is capped while it streams (api.uploads) and the photo is
re-encoded by the same use case as the API's (usecases/relief/actions.py)."""

from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Request, Response, UploadFile
from fastapi.responses import RedirectResponse
from pydantic import TypeAdapter, ValidationError

from api.deps import CurrentPrincipal, UseCases
from api.params import RequestCode
from api.uploads import CappedUploadRoute
from domain.identity import NationalId, VietnamesePhone
from texts import text
from texts.validation import field_message
from usecases.errors import InvalidInput
from usecases.relief import actions, work_lists
from usecases.relief.work_lists import Page
from usecases.relief.workflow_gateway import ActionRefused
from usecases.schemas.actions import FailedAttemptBody
from web.csrf import require_csrf
from web.delivery_blocks import stated_recipient
from web.forms import field_errors
from web.render import current_lang, render
from web.request_page import refused_page, show

router = APIRouter(include_in_schema=False, route_class=CappedUploadRoute)

_national_id: TypeAdapter[str] = TypeAdapter(NationalId)
_phone: TypeAdapter[str] = TypeAdapter(VietnamesePhone)


@router.get("/giao-hang")
async def round_page(request: Request, principal: CurrentPrincipal, ctx: UseCases) -> Response:
    rows = await work_lists.delivery_round(ctx, principal, Page(limit=100))
    lang = current_lang(request)
    done = request.query_params.get("ok", "")
    notice = None
    if request.query_params.get("done") in ("delivered", "failed"):
        key = "deliver.done" if request.query_params["done"] == "delivered" else "failed.done"
        notice = text(lang, key, code=done)
    return render(request, "round.html", principal=principal, rows=rows, notice=notice)


@router.post("/yeu-cau/{code}/giao-hang", dependencies=[Depends(require_csrf)])
async def confirm_delivery(
    request: Request,
    code: RequestCode,
    principal: CurrentPrincipal,
    ctx: UseCases,
    photo: Annotated[UploadFile | None, File()] = None,
    recipient_national_id: Annotated[str, Form(max_length=40)] = "",
    recipient_phone: Annotated[str, Form(max_length=40)] = "",
    recipient_relationship: Annotated[str, Form(max_length=40)] = "",
    recipient_reason: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    lang = current_lang(request)
    values = {
        "recipient_national_id": recipient_national_id,
        "recipient_phone": recipient_phone,
        "recipient_relationship": recipient_relationship,
        "recipient_reason": recipient_reason,
    }
    errors: dict[str, str] = {}
    for name, adapter, raw in (
        ("recipient_national_id", _national_id, recipient_national_id),
        ("recipient_phone", _phone, recipient_phone),
    ):
        try:
            adapter.validate_python(raw)
        except ValidationError as invalid:
            errors[name] = field_errors(lang, invalid).get("", text(lang, "err.invalid"))
    if photo is None or not photo.filename:
        errors["photo"] = field_message(lang, "missing", "photo")
    if not errors and photo is not None:
        try:
            await actions.confirm_delivery(
                ctx,
                principal,
                code,
                photo=await photo.read(),
                photo_name=photo.filename,
                recipient_national_id=_national_id.validate_python(recipient_national_id),
                recipient_phone=_phone.validate_python(recipient_phone),
                recipient_relationship=stated_recipient(recipient_relationship, recipient_reason),
            )
            return RedirectResponse(f"/giao-hang?done=delivered&ok={code}", status_code=303)
        except InvalidInput as invalid:
            problem = invalid.problems[0]
            if problem.field == "recipient_relationship":
                errors[problem.field] = text(lang, "review.need")
            else:
                errors["photo"] = problem.render(lang)
        except ActionRefused as refused:
            error = text(lang, f"refused.{refused.kind}")
            return await refused_page(request, ctx, principal, code, refused, error, values=values)
    return await show(request, ctx, principal, code, status_code=422, field_errors=errors, values=values)


@router.post("/yeu-cau/{code}/khong-thanh-cong", dependencies=[Depends(require_csrf)])
async def failed_attempt(
    request: Request,
    code: RequestCode,
    principal: CurrentPrincipal,
    ctx: UseCases,
    reason: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    lang = current_lang(request)
    try:
        body = FailedAttemptBody(reason=reason)
    except ValidationError as invalid:
        errors = {"failed_reason": field_errors(lang, invalid).get("reason", "")}
        return await show(
            request, ctx, principal, code, status_code=422, field_errors=errors, values={"failed_reason": reason}
        )
    try:
        await actions.report_failed_attempt(ctx, principal, code, body)
    except ActionRefused as refused:
        return await refused_page(request, ctx, principal, code, refused, text(lang, f"refused.{refused.kind}"))
    return RedirectResponse(f"/giao-hang?done=failed&ok={code}", status_code=303)
