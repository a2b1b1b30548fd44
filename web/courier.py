"""The courier's round (ordered by address) and their two actions: proof of delivery with a photo from the
phone's camera, or a failed attempt. The upload is capped while it streams (api.uploads) and the photo is
re-encoded by the API's own route function (services.photos)."""

from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, HTTPException, Request, Response, UploadFile
from fastapi.responses import RedirectResponse
from pydantic import TypeAdapter, ValidationError

from api.deps import AppSettings, Audit, CurrentPrincipal, DbSession, Page, PhotoProcessing, TemporalClient
from api.routes import actions, delivery, inbox
from api.schemas.actions import FailedAttemptBody
from api.schemas.text import RequestCode
from api.updates import REFUSAL_STATUS
from api.uploads import CappedUploadRoute
from api.workflow_gateway import ActionRefused
from domain.identity import NationalId, VietnamesePhone
from web.csrf import require_csrf
from web.forms import field_errors
from web.i18n import pick, translate
from web.render import current_lang, render
from web.request_page import show

router = APIRouter(include_in_schema=False, route_class=CappedUploadRoute)

_national_id: TypeAdapter[str] = TypeAdapter(NationalId)
_phone: TypeAdapter[str] = TypeAdapter(VietnamesePhone)


@router.get("/giao-hang")
async def round_page(request: Request, principal: CurrentPrincipal, session: DbSession, audit: Audit) -> Response:
    rows = await inbox.deliveries(principal, session, Page(limit=100), audit)
    lang = current_lang(request)
    done = request.query_params.get("ok", "")
    notice = None
    if request.query_params.get("done") in ("delivered", "failed"):
        key = "deliver.done" if request.query_params["done"] == "delivered" else "failed.done"
        notice = translate(lang, key, code=done)
    return render(request, "round.html", principal=principal, rows=rows, notice=notice)


@router.post("/yeu-cau/{code}/giao-hang", dependencies=[Depends(require_csrf)])
async def confirm_delivery(
    request: Request, code: RequestCode, principal: CurrentPrincipal, session: DbSession, audit: Audit,
    settings: AppSettings, client: TemporalClient, photos: PhotoProcessing,
    photo: Annotated[UploadFile | None, File()] = None,
    recipient_national_id: Annotated[str, Form(max_length=40)] = "",
    recipient_phone: Annotated[str, Form(max_length=40)] = "",
) -> Response:  # fmt: skip
    lang = current_lang(request)
    values = {"recipient_national_id": recipient_national_id, "recipient_phone": recipient_phone}
    errors: dict[str, str] = {}
    for name, adapter, raw in (
        ("recipient_national_id", _national_id, recipient_national_id),
        ("recipient_phone", _phone, recipient_phone),
    ):
        try:
            adapter.validate_python(raw)
        except ValidationError as invalid:
            errors[name] = field_errors(lang, invalid).get("", translate(lang, "err.invalid"))
    if photo is None or not photo.filename:
        errors["photo"] = translate(lang, "err.missing")
    refusal_kind = None
    if not errors and photo is not None:
        try:
            await delivery.confirm_delivery(
                code, principal, session, client, settings, audit, photos, photo,
                recipient_national_id=_national_id.validate_python(recipient_national_id),
                recipient_phone=_phone.validate_python(recipient_phone),
            )  # fmt: skip
            return RedirectResponse(f"/giao-hang?done=delivered&ok={code}", status_code=303)
        except HTTPException as invalid:
            if invalid.status_code != 422:
                raise
            errors["photo"] = pick(lang, str(invalid.detail[0]["msg"])) if isinstance(invalid.detail, list) else ""
        except ActionRefused as refused:
            refusal_kind = refused.kind
    return await show(
        request, code, principal, session, audit, settings, client.namespace,
        status_code=REFUSAL_STATUS.get(refusal_kind, 409) if refusal_kind else 422,
        error=translate(lang, f"refused.{refusal_kind}") if refusal_kind else None,
        field_errors=errors, values=values, refusal_kind=refusal_kind,
    )  # fmt: skip


@router.post("/yeu-cau/{code}/khong-thanh-cong", dependencies=[Depends(require_csrf)])
async def failed_attempt(
    request: Request, code: RequestCode, principal: CurrentPrincipal, session: DbSession, audit: Audit,
    settings: AppSettings, client: TemporalClient,
    reason: Annotated[str, Form(max_length=500)] = "",
) -> Response:  # fmt: skip
    lang = current_lang(request)
    try:
        body = FailedAttemptBody(reason=reason)
    except ValidationError as invalid:
        return await show(request, code, principal, session, audit, settings, client.namespace, status_code=422,
                          field_errors={"failed_reason": field_errors(lang, invalid).get("reason", "")},
                          values={"failed_reason": reason})  # fmt: skip
    try:
        await actions.report_failed_attempt(code, body, principal, session, client, audit)
    except ActionRefused as refused:
        return await show(request, code, principal, session, audit, settings, client.namespace,
                          status_code=REFUSAL_STATUS.get(refused.kind, 409),
                          error=translate(lang, f"refused.{refused.kind}"), refusal_kind=refused.kind)  # fmt: skip
    return RedirectResponse(f"/giao-hang?done=failed&ok={code}", status_code=303)
