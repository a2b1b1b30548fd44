"""The citizen's pages: home, registration in two steps (the ward from the real list or from a typed
address, confirmed), following a request by a one-time SMS code, and the household's requests.

Registration is the same use case as the API's (rate limits, the workflow's duplicate check); its answer's
citizen token becomes the page session, so the citizen lands on their request's page.
"""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, HTTPException, Query, Request, Response, status
from fastapi.responses import RedirectResponse
from pydantic import ValidationError

from api.deps import CurrentPrincipal, MaybePrincipal, UseCases
from api.params import RequestCode
from domain.identity import plain_text
from domain.stages import RequestKind
from services.rate_limits import RateLimited
from texts import text
from usecases.context import Context
from usecases.errors import InvalidInput, NotFound
from usecases.identity import places
from usecases.principal import Principal
from usecases.relief import actions, registration, work_lists
from usecases.relief.registration_gate import RegistrationsPaused
from usecases.relief.work_lists import Page
from usecases.relief.workflow_gateway import ActionRefused
from usecases.schemas.addresses import AddressText
from usecases.schemas.citizen import OtpRequestBody, OtpVerificationBody
from usecases.schemas.registration import RegistrationForm
from usecases.trust import sign_in
from web import cash_form
from web.csrf import require_csrf
from web.forms import field_errors
from web.render import current_lang, render, start_session
from web.request_page import refused_page

router = APIRouter(include_in_schema=False)

FIELDS = ("full_name", "national_id", "phone", "address", "household_size")
UnitQuery = Annotated[str | None, Query(max_length=16, pattern=r"^[0-9]+$")]
KindQuery = Annotated[str | None, Query(max_length=16)]


@router.get("/")
async def home(request: Request, principal: MaybePrincipal) -> Response:
    return render(request, "home.html", principal=principal)


@router.get("/dang-ky")
async def pick_ward(request: Request, ctx: UseCases, principal: MaybePrincipal, district: UnitQuery = None) -> Response:
    """Step 1: a typed address, or the district then the ward (each a plain GET form: no script needed)."""
    districts = await places.districts(ctx)
    wards = await _wards_or_none(ctx, district)
    return render(
        request, "register_ward.html", principal=principal, districts=districts, wards=wards, district=district
    )


async def _wards_or_none(ctx: Context, district: str | None) -> list[object]:
    if not district:
        return []
    try:
        return list(await places.wards(ctx, district))
    except NotFound:
        return []


@router.post("/dang-ky/dia-chi", dependencies=[Depends(require_csrf)])
async def find_ward(
    request: Request, ctx: UseCases, principal: MaybePrincipal, address: Annotated[str, Form(max_length=300)] = ""
) -> Response:
    """The ward found in a typed address, shown back for the citizen to confirm with the details form."""
    try:
        parsed = await places.find_ward(ctx, AddressText(text=address), current_lang(request))
    except (ValidationError, InvalidInput):
        return render(
            request,
            "register_ward.html",
            principal=principal,
            districts=await places.districts(ctx),
            wards=[],
            district=None,
            address=address,
            status_code=422,
            errors={"address": text(current_lang(request), "reg.not_found")},
        )
    return render(
        request,
        "register_details.html",
        principal=principal,
        ward_code=parsed.ward_code,
        ward_name=parsed.ward_name,
        district_name=parsed.district_name,
        found=True,
        values={"address": address},
        errors={},
    )


async def _details_page(
    request: Request,
    ctx: Context,
    principal: Principal | None,
    ward_code: str,
    kind: RequestKind = RequestKind.FOOD_BAG,
    **extra: Any,
) -> Response:
    """The details form for a ward (with a cash need's fields for cash support); a ward that does not exist is a
    page that does not exist."""
    try:
        ward_name, district_name = await places.ward_and_district_names(ctx, ward_code)
    except NotFound:
        raise HTTPException(status.HTTP_404_NOT_FOUND) from None
    context: dict[str, Any] = {"found": False, "values": {}, "errors": {}, **extra}
    return render(
        request,
        "register_details.html",
        principal=principal,
        ward_code=ward_code,
        ward_name=ward_name,
        district_name=district_name,
        kind=kind.value,
        cash=cash_form.choices(current_lang(request), ctx.settings.cash_policy.max_amount_vnd)
        if kind == RequestKind.CASH_SUPPORT
        else None,
        **context,
    )


@router.get("/dang-ky/thong-tin")
async def details_form(
    request: Request, ctx: UseCases, principal: MaybePrincipal, ward: UnitQuery = None, loai: KindQuery = None
) -> Response:
    """Step 2: the household's details for the chosen ward; `loai=tien-mat` asks for cash support instead, and an
    emergency (`loai=khan-cap`) has its own form."""
    if loai in ("khan-cap", RequestKind.EMERGENCY.value):
        return RedirectResponse("/khan-cap/moi" + (f"?ward={ward}" if ward else ""), status_code=303)
    if not ward:
        return RedirectResponse("/dang-ky", status_code=303)
    return await _details_page(request, ctx, principal, ward, cash_form.kind_of(loai))


@router.post("/dang-ky", dependencies=[Depends(require_csrf)])
async def register(
    request: Request,
    ctx: UseCases,
    principal: MaybePrincipal,
    ward_code: Annotated[str, Form(max_length=16)] = "",
    full_name: Annotated[str, Form(max_length=300)] = "",
    national_id: Annotated[str, Form(max_length=40)] = "",
    phone: Annotated[str, Form(max_length=40)] = "",
    address: Annotated[str, Form(max_length=400)] = "",
    household_size: Annotated[str, Form(max_length=4)] = "",
    kind_value: Annotated[str, Form(alias="kind", max_length=16)] = RequestKind.FOOD_BAG.value,
    amount_vnd: Annotated[str, Form(max_length=20)] = "",
    situation: Annotated[str, Form(max_length=32)] = "",
    payout_method: Annotated[str, Form(max_length=16)] = "",
    bank_bin: Annotated[str, Form(max_length=6)] = "",
    account_number: Annotated[str, Form(max_length=40)] = "",
    holder_name: Annotated[str, Form(max_length=300)] = "",
    consent_to_publish: Annotated[str, Form(max_length=4)] = "",
) -> Response:
    lang = current_lang(request)
    kind = cash_form.kind_of(kind_value)
    need = cash_form.CashFields(
        kind=kind,
        amount_vnd=amount_vnd,
        situation=situation,
        payout_method=payout_method,
        bank_bin=bank_bin,
        account_number=account_number,
        holder_name=holder_name,
        consent_to_publish=consent_to_publish,
    )
    values = {
        "full_name": full_name,
        "national_id": national_id,
        "phone": phone,
        "address": address,
        "household_size": household_size,
    }
    raw = {**{k: v for k, v in values.items() if v.strip()}, "ward_code": ward_code, **need.raw()}
    values |= need.values()
    try:
        form = RegistrationForm.model_validate(raw)  # the API's own validation, field by field
        answer = await registration.register(ctx, form, caller_lang=lang)  # the household's messages in it
    except RegistrationsPaused as paused:
        # The form comes back as it was filled in: sending it again later is one tap.
        seconds = paused.retry_after_seconds
        return await _details_page(
            request,
            ctx,
            principal,
            ward_code,
            kind,
            values=values,
            status_code=503,
            notice=text(lang, "reg.paused", seconds=seconds),
            headers={"Retry-After": str(seconds)},
        )
    except (ValidationError, InvalidInput) as invalid:
        if isinstance(invalid, ValidationError):
            errors = field_errors(lang, invalid)
        else:
            errors = {problem.field: problem.render(lang) for problem in invalid.problems}
        if "ward_code" in errors or not ward_code.isdigit():
            raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT) from None  # the ward comes from step 1
        return await _details_page(
            request, ctx, principal, ward_code, kind, values=values, errors=errors, status_code=422
        )
    if answer.citizen_token is None:  # no household to follow: say the answer here
        return render(request, "register_refused.html", principal=principal, answer=answer, status_code=200)
    response = RedirectResponse(f"/yeu-cau/{answer.code}?moi=1", status_code=303)  # with the confirmation panel
    start_session(response, request, answer.citizen_token)
    return response


@router.post("/yeu-cau/{code}/huy", dependencies=[Depends(require_csrf)])
async def cancel_request(request: Request, code: RequestCode, principal: CurrentPrincipal, ctx: UseCases) -> Response:
    """The citizen withdraws their request: the same use case as POST /api/v1/requests/{code}/cancellation."""
    try:
        await actions.cancel(ctx, principal, code, None)
    except ActionRefused as refused:
        error = text(current_lang(request), f"refused.{refused.kind}")
        return await refused_page(request, ctx, principal, code, refused, error)
    return RedirectResponse(f"/yeu-cau/{code}?huy=1", status_code=303)


@router.get("/tra-cuu")
async def track_form(
    request: Request, principal: MaybePrincipal, code: Annotated[str, Query(max_length=16)] = ""
) -> Response:
    return render(request, "track.html", principal=principal, code=code)


@router.post("/tra-cuu", dependencies=[Depends(require_csrf)])
async def send_code(
    request: Request,
    ctx: UseCases,
    principal: MaybePrincipal,
    phone: Annotated[str, Form(max_length=40)] = "",
    code: Annotated[str, Form(max_length=16)] = "",
) -> Response:
    """A one-time code by SMS (the same answer whether or not the phone is known); sent again from the code's page,
    not before the resend wait."""
    lang = current_lang(request)
    try:
        body = OtpRequestBody.model_validate({"phone": phone} if phone.strip() else {})
    except ValidationError as invalid:
        return render(
            request,
            "track.html",
            principal=principal,
            code=code,
            phone=phone,
            status_code=422,
            errors=field_errors(lang, invalid),
        )
    try:
        sent = await sign_in.send_code(ctx, body, lang)
    except RateLimited as waiting:
        seconds = waiting.retry_after_seconds
        return _code_page(
            request, ctx, principal, code, phone, status_code=429, headers={"Retry-After": str(seconds)},
            error=text(lang, "track.too_soon", seconds=seconds),
        )  # fmt: skip
    return _code_page(
        request,
        ctx,
        principal,
        code,
        phone,
        notice=text(lang, "track.sent", minutes=sent.expires_in_seconds // 60),
    )


def _code_page(
    request: Request, ctx: Context, principal: Principal | None, code: str, phone: str, **extra: Any
) -> Response:
    """Where the code is typed in, with what the system does: how many tries, how long before a new code."""
    settings = ctx.settings
    return render(
        request,
        "track_code.html",
        principal=principal,
        code=code,
        phone=phone,
        tries=settings.otp_max_attempts,
        resend_seconds=settings.otp_resend_seconds,
        **extra,
    )


@router.post("/tra-cuu/xac-thuc", dependencies=[Depends(require_csrf)])
async def check_code(
    request: Request,
    ctx: UseCases,
    principal: MaybePrincipal,
    phone: Annotated[str, Form(max_length=40)] = "",
    otp: Annotated[str, Form(max_length=12)] = "",
    code: Annotated[str, Form(max_length=16)] = "",
) -> Response:
    lang = current_lang(request)
    try:
        body = OtpVerificationBody.model_validate({"phone": phone, **({"code": otp} if otp.strip() else {})})
    except ValidationError as invalid:
        # Only the code was typed on this page (the phone came from the last one).
        message = field_errors(lang, invalid).get("code") or text(lang, "track.wrong")
        return _code_page(request, ctx, principal, code, phone, status_code=422, errors={"otp": message})
    try:
        answer = await sign_in.verify_code(ctx, body)
    except sign_in.WrongCode as wrong:
        return _code_page(request, ctx, principal, code, phone, status_code=422, errors={"otp": wrong.render(lang)})
    code = plain_text(code).upper()
    target = f"/yeu-cau/{code}" if code.isascii() and code.isalnum() else "/cua-toi"
    response = RedirectResponse(target, status_code=303)
    start_session(response, request, answer.access_token)
    return response


@router.get("/cua-toi")
async def my_requests(request: Request, principal: CurrentPrincipal, ctx: UseCases) -> Response:
    rows = await work_lists.citizen_requests(ctx, principal, Page(limit=50))
    return render(request, "mine.html", principal=principal, rows=rows)
