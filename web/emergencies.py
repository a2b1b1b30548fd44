"""The emergency pages: post one ("Cần giúp khẩn cấp": the district, then what, how urgent, where and the phone,
then the SMS code), follow it by its link and confirm help arrived; the public list (approximate areas only) with
"Tôi nhận giúp" for helpers; a helper's claimed emergencies with the exact address; the ward's or the SOS team's
queue, late ones first, to take, close or hide. Every form works without JavaScript, carries the CSRF token, and
calls the API's use case.
"""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Query, Request, Response, UploadFile
from fastapi.responses import RedirectResponse
from pydantic import ValidationError

from api.deps import CurrentPrincipal, MaybePrincipal, UseCases
from api.params import RequestCode
from api.uploads import CappedUploadRoute
from domain.emergency import EmergencyCategory, EmergencyUrgency
from domain.roles import Role, UnitLevel
from services import geography
from services.rate_limits import RateLimited
from texts import Lang, text
from usecases.context import Context
from usecases.emergency import actions, fulfilment_photo, posting, reads
from usecases.emergency.follow_tokens import follow_path
from usecases.errors import InvalidInput
from usecases.principal import Principal
from usecases.relief.workflow_gateway import ActionRefused
from usecases.schemas.emergencies import EmergencyCodeRequest, EmergencyNote, EmergencyPost, EmergencyReason
from usecases.schemas.text import CODE_PATTERN
from usecases.trust.sign_in import WrongCode
from web.csrf import require_csrf
from web.forms import field_errors
from web.render import current_lang, render

# Capped as the courier's pages are: the claimer's fulfilment may carry a photo.
router = APIRouter(include_in_schema=False, route_class=CappedUploadRoute)

LIST = "/khan-cap"
NEW = "/khan-cap/moi"
MINE = "/nguoi-giup/khan-cap"
QUEUE = "/can-bo/khan-cap"
_FIELDS = ("category", "urgency", "description", "ward_code", "address", "phone", "latitude", "longitude")

EmergencyCode = RequestCode
Text = Annotated[str, Form(max_length=2000)]


def _choices(lang: Lang) -> dict[str, Any]:
    return {
        "categories": [(c.value, text(lang, f"sos.category.{c.value}")) for c in EmergencyCategory],
        "urgencies": [(u.value, text(lang, f"sos.urgency.{u.value}")) for u in EmergencyUrgency],
    }


# --- posting -------------------------------------------------------------------------------------------------


@router.get(NEW)
async def new_form(
    request: Request,
    ctx: UseCases,
    principal: MaybePrincipal,
    district: Annotated[str | None, Query(max_length=16, pattern=CODE_PATTERN)] = None,
    ward: Annotated[str | None, Query(max_length=16, pattern=CODE_PATTERN)] = None,
) -> Response:
    """Step 1: the district (the ward list is the district's); step 2: the form, with a ward given or chosen."""
    if ward and not district:
        district = (await geography.ward_with_district(ctx.session, ward) or (None, None))[1]
    return await _new_page(request, ctx, principal, district, values={"ward_code": ward or ""})


async def _new_page(
    request: Request, ctx: Context, principal: Principal | None, district: str | None, **context: Any
) -> Response:
    districts = await geography.child_units(ctx.session, ctx.settings.city_code, UnitLevel.DISTRICT)
    wards = await geography.child_units(ctx.session, district, UnitLevel.WARD) if district else []
    context.setdefault("values", {})
    context.setdefault("errors", {})
    return render(
        request, "emergency_new.html", principal=principal, districts=districts, wards=wards, district=district or "",
        **_choices(current_lang(request)), **context,
    )  # fmt: skip


def _post_values(
    category: str, urgency: str, description: str, ward_code: str, address: str, phone: str, point: "Point"
) -> dict[str, str]:
    return {
        "category": category,
        "urgency": urgency,
        "description": description,
        "ward_code": ward_code,
        "address": address,
        "phone": phone,
        "latitude": point.latitude,
        "longitude": point.longitude,
    }


class Point:
    """The phone's location, when the page's script filled it in: two form fields, both or neither."""

    def __init__(
        self,
        latitude: Annotated[str, Form(max_length=32)] = "",
        longitude: Annotated[str, Form(max_length=32)] = "",
    ) -> None:
        self.latitude = latitude
        self.longitude = longitude


def _problems(lang: Lang, error: ValidationError | InvalidInput) -> dict[str, str]:
    if isinstance(error, InvalidInput):
        return {p.field: p.render(lang) for p in error.problems}
    found = field_errors(lang, error)
    return {("otp" if k == "code" else k): v for k, v in found.items() if k in (*_FIELDS, "code")}


@router.post(NEW, dependencies=[Depends(require_csrf)])
async def send_code(
    request: Request,
    ctx: UseCases,
    principal: MaybePrincipal,
    point: Annotated[Point, Depends()],
    district: Annotated[str, Form(max_length=16)] = "",
    category: Annotated[str, Form(max_length=32)] = "",
    urgency: Annotated[str, Form(max_length=16)] = "",
    description: Text = "",
    ward_code: Annotated[str, Form(max_length=16)] = "",
    address: Annotated[str, Form(max_length=400)] = "",
    phone: Annotated[str, Form(max_length=40)] = "",
) -> Response:
    """Checks the post (with a placeholder code: every field but the code), then sends the SMS code."""
    lang = current_lang(request)
    values = _post_values(category, urgency, description, ward_code, address, phone, point)
    try:
        checked = EmergencyPost.model_validate({**{k: v for k, v in values.items() if v.strip()}, "code": "000000"})
        await posting.checked_place(ctx, checked)
        await posting.send_code(ctx, EmergencyCodeRequest(phone=phone), lang)
    except (ValidationError, InvalidInput) as invalid:
        return await _new_page(
            request, ctx, principal, district or None, values=values, errors=_problems(lang, invalid), status_code=422
        )
    except RateLimited as waiting:
        return await _new_page(
            request, ctx, principal, district or None, values=values, status_code=429,
            errors={"phone": text(lang, "track.too_soon", seconds=waiting.retry_after_seconds)},
            headers={"Retry-After": str(waiting.retry_after_seconds)},
        )  # fmt: skip
    notice = text(lang, "track.sent", minutes=ctx.settings.otp_minutes)
    return render(request, "emergency_code.html", principal=principal, values=values, errors={}, notice=notice)


@router.post("/khan-cap/gui", dependencies=[Depends(require_csrf)])
async def post(
    request: Request,
    ctx: UseCases,
    principal: MaybePrincipal,
    point: Annotated[Point, Depends()],
    category: Annotated[str, Form(max_length=32)] = "",
    urgency: Annotated[str, Form(max_length=16)] = "",
    description: Text = "",
    ward_code: Annotated[str, Form(max_length=16)] = "",
    address: Annotated[str, Form(max_length=400)] = "",
    phone: Annotated[str, Form(max_length=40)] = "",
    otp: Annotated[str, Form(max_length=12)] = "",
) -> Response:
    lang = current_lang(request)
    values = _post_values(category, urgency, description, ward_code, address, phone, point)
    raw = {**values, "code": otp, "lang": lang}
    try:
        body = EmergencyPost.model_validate({k: v for k, v in raw.items() if v.strip()})
        made = await posting.post(ctx, body)
    except (ValidationError, InvalidInput) as invalid:
        errors = _problems(lang, invalid)
        if set(errors) - {"otp"}:  # the details themselves: back to the form
            district = (await geography.ward_with_district(ctx.session, ward_code) or (None, None))[1]
            return await _new_page(request, ctx, principal, district, values=values, errors=errors, status_code=422)
        return render(
            request, "emergency_code.html", principal=principal, values=values, errors=errors, status_code=422
        )
    except WrongCode as wrong:
        key = "track.wrong_tries" if wrong.tries_left else "track.no_tries"
        errors = {"otp": text(lang, key, tries=wrong.tries_left)}
        return render(
            request, "emergency_code.html", principal=principal, values=values, errors=errors, status_code=422
        )
    except RateLimited as waiting:
        errors = {"otp": text(lang, "track.too_soon", seconds=waiting.retry_after_seconds)}
        return render(
            request, "emergency_code.html", principal=principal, values=values, errors=errors, status_code=429,
            headers={"Retry-After": str(waiting.retry_after_seconds)},
        )  # fmt: skip
    return RedirectResponse(made.follow_path + "&da-gui=1", status_code=303)


def _code_page(
    request: Request,
    principal: Principal | None,
    values: dict[str, str],
    errors: dict[str, str],
    status_code: int,
    headers: dict[str, str] | None = None,
) -> Response:
    return render(
        request, "emergency_code.html", principal=principal, values=values, errors=errors, status_code=status_code,
        headers=headers,
    )  # fmt: skip


# --- the requester -------------------------------------------------------------------------------------------


@router.get("/khan-cap/{emergency_code}")
async def follow(
    request: Request,
    emergency_code: EmergencyCode,
    ctx: UseCases,
    principal: MaybePrincipal,
    t: Annotated[str, Query(max_length=100)] = "",
) -> Response:
    emergency = await reads.requester_view(ctx, emergency_code, t)
    sent = "da-gui" in request.query_params
    return render(request, "emergency_follow.html", principal=principal, e=emergency, token=t, sent=sent)


@router.get("/khan-cap/{emergency_code}/anh")
async def photo(
    emergency_code: EmergencyCode,
    ctx: UseCases,
    principal: MaybePrincipal,
    t: Annotated[str, Query(max_length=100)] = "",
) -> Response:
    """The fulfilment's photo: for the poster by their link, else for the claimer or the ward signed in."""
    if t or principal is None:
        picture = await fulfilment_photo.for_poster(ctx, emergency_code, t)
    else:
        picture = await fulfilment_photo.for_staff_or_claimer(ctx, principal, emergency_code)
    headers = {"Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff"}
    return Response(picture.content, media_type=picture.media_type, headers=headers)


@router.post("/khan-cap/{emergency_code}/xac-nhan", dependencies=[Depends(require_csrf)])
async def confirm(
    request: Request,
    emergency_code: EmergencyCode,
    ctx: UseCases,
    principal: MaybePrincipal,
    token: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    try:
        await actions.confirm(ctx, emergency_code, token)
    except ActionRefused as refused:
        return _refused(request, principal, refused)
    return RedirectResponse(follow_path(emergency_code, token), status_code=303)


# --- the public list and claiming ----------------------------------------------------------------------------


@router.get(LIST)
async def public_list(
    request: Request,
    ctx: UseCases,
    principal: MaybePrincipal,
    district: Annotated[str | None, Query(max_length=16, pattern=CODE_PATTERN)] = None,
) -> Response:
    rows = await reads.public_list(ctx, district)
    return render(request, "emergency_list.html", principal=principal, rows=rows)


@router.post("/khan-cap/{emergency_code}/nhan", dependencies=[Depends(require_csrf)])
async def claim(
    request: Request,
    emergency_code: EmergencyCode,
    ctx: UseCases,
    principal: CurrentPrincipal,
) -> Response:
    lang = current_lang(request)
    try:
        await actions.claim(ctx, principal, emergency_code)
    except ActionRefused as refused:
        return _refused(request, principal, refused)
    except InvalidInput:
        title = text(lang, "sos.refused.already_claimed")
        return render(request, "error.html", principal=principal, status_code=409, title=title, message="")
    return RedirectResponse(_home_of(principal), status_code=303)


@router.post("/khan-cap/{emergency_code}/da-giup", dependencies=[Depends(require_csrf)])
async def fulfil(
    request: Request,
    emergency_code: EmergencyCode,
    ctx: UseCases,
    principal: CurrentPrincipal,
    note: Annotated[str, Form(max_length=500)] = "",
    photo: Annotated[UploadFile | None, File()] = None,
) -> Response:
    """The note and, if one was taken, the photo (kept first: the claim must still be the claimer's)."""
    lang = current_lang(request)
    try:
        body = EmergencyNote.model_validate({"note": note} if note.strip() else {})
        if photo is not None and photo.filename:
            picture = await photo.read()
            if picture:
                await fulfilment_photo.attach(ctx, principal, emergency_code, picture, photo.filename)
        await actions.fulfil(ctx, principal, emergency_code, body)
    except ActionRefused as refused:
        return _refused(request, principal, refused)
    except ValidationError as invalid:
        title = "; ".join(field_errors(lang, invalid).values())
    except InvalidInput as invalid:
        title = invalid.render(lang)
    else:
        return RedirectResponse(_home_of(principal), status_code=303)
    return render(request, "error.html", principal=principal, status_code=422, title=title, message="")


def _home_of(principal: Principal) -> str:
    return MINE if principal.role == Role.COMMUNITY_HELPER else QUEUE


def _refused(request: Request, principal: Principal | None, refused: ActionRefused) -> Response:
    title = text(current_lang(request), f"refused.{refused.kind}")
    status_code = 503 if refused.kind == "StepFailed" else 409
    return render(
        request, "error.html", principal=principal, status_code=status_code, title=title, message="",
        headers={"X-Refusal-Kind": refused.kind},
    )  # fmt: skip


@router.get(MINE)
async def my_claims(request: Request, ctx: UseCases, principal: CurrentPrincipal) -> Response:
    rows = await reads.my_claims(ctx, principal)
    due = ctx.settings.emergency_policy.fulfil_within
    return render(request, "emergency_mine.html", principal=principal, rows=rows, fulfil_within=due)


# --- the ward and the SOS team -------------------------------------------------------------------------------


@router.get(QUEUE)
async def queue(request: Request, ctx: UseCases, principal: CurrentPrincipal) -> Response:
    return await _queue_page(request, ctx, principal)


async def _queue_page(
    request: Request, ctx: Context, principal: Principal, status_code: int = 200, **extra: Any
) -> Response:
    rows = await reads.queue(ctx, principal)
    done = "xong" in request.query_params
    return render(
        request, "emergency_queue.html", principal=principal, rows=rows, done=done, status_code=status_code, **extra
    )


@router.post(QUEUE + "/{emergency_code}/dong", dependencies=[Depends(require_csrf)])
async def close(
    request: Request,
    emergency_code: EmergencyCode,
    ctx: UseCases,
    principal: CurrentPrincipal,
    reason: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    return await _ward_action(request, ctx, principal, emergency_code, reason, hide=False)


@router.post(QUEUE + "/{emergency_code}/an", dependencies=[Depends(require_csrf)])
async def hide(
    request: Request,
    emergency_code: EmergencyCode,
    ctx: UseCases,
    principal: CurrentPrincipal,
    reason: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    return await _ward_action(request, ctx, principal, emergency_code, reason, hide=True)


async def _ward_action(
    request: Request, ctx: Context, principal: Principal, code: str, reason: str, hide: bool
) -> Response:
    lang = current_lang(request)
    try:
        body = EmergencyReason.model_validate({"reason": reason})
        await (actions.hide if hide else actions.close)(ctx, principal, code, body)
    except ValidationError as invalid:
        error = "; ".join(field_errors(lang, invalid).values())
        return await _queue_page(request, ctx, principal, 422, error=error, error_code=code)
    except ActionRefused as refused:
        response = await _queue_page(request, ctx, principal, 409, error=text(lang, f"refused.{refused.kind}"))
        response.headers["X-Refusal-Kind"] = refused.kind
        return response
    return RedirectResponse(QUEUE + "?xong=1", status_code=303)
