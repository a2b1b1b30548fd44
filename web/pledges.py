"""The pledge pages: a helper signs in by phone, pledges to a need, pays by the VietQR code (or by typing the
account), says they paid or releases the pledge; the household answers "Đã nhận được" / "Chưa nhận được" on its
request page (the `_pledges.html` partial, filled by web/request_page.py); the ward decides disputes and
unconfirmed pledges. Every form works without JavaScript and carries the CSRF token; each calls the API's use case.
"""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request, Response
from fastapi.responses import RedirectResponse
from pydantic import ValidationError

from api.deps import CurrentPrincipal, MaybePrincipal, UseCases
from api.params import NeedRef, RequestCode
from common.qr_image import qr_svg
from domain.cash import HelperKind, NeedState
from services import pledge_reads
from services.rate_limits import RateLimited
from texts import Text, text
from usecases.cash import helper_sign_in, pledges
from usecases.context import Context
from usecases.errors import InvalidInput, NotFound
from usecases.principal import Principal
from usecases.relief.workflow_gateway import ActionRefused
from usecases.schemas.pledges import HelperCodeRequest, HelperSignIn, PledgeBody, WardDecisionBody
from usecases.trust.sign_in import WrongCode
from web.csrf import require_csrf
from web.forms import field_errors
from web.render import current_lang, render, start_session

router = APIRouter(include_in_schema=False)

PledgeCode = RequestCode
NEED_PAGE = "/ho-tro-tien-mat/{ref}/cam-ket"
MY_PLEDGES = "/nguoi-giup/cam-ket"


def _next_path(value: str) -> str:
    """Only back to a pledge form, the emergencies or the group registration of ours (no open redirect)."""
    ours = value.startswith("/ho-tro-tien-mat/") or value in ("/khan-cap", "/ban-do-khan-cap", "/nguoi-giup/nhom")
    return value if ours and value.isprintable() and "//" not in value else MY_PLEDGES


# --- signing in ----------------------------------------------------------------------------------------------


@router.get("/nguoi-giup/dang-nhap")
async def sign_in_form(request: Request, principal: MaybePrincipal, next: str = "") -> Response:
    return render(request, "helper_sign_in.html", principal=principal, next_path=_next_path(next), phone="")


@router.post("/nguoi-giup/dang-nhap", dependencies=[Depends(require_csrf)])
async def send_code(
    request: Request,
    ctx: UseCases,
    principal: MaybePrincipal,
    phone: Annotated[str, Form(max_length=40)] = "",
    next: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    lang, next_path = current_lang(request), _next_path(next)
    try:
        body = HelperCodeRequest.model_validate({"phone": phone} if phone.strip() else {})
        await helper_sign_in.send_code(ctx, body, lang)
    except ValidationError as invalid:
        return render(
            request, "helper_sign_in.html", principal=principal, next_path=next_path, phone=phone,
            errors=field_errors(lang, invalid), status_code=422,
        )  # fmt: skip
    except RateLimited as waiting:
        return render(
            request, "helper_code.html", principal=principal, next_path=next_path, phone=phone, values={},
            error=text(lang, "track.too_soon", seconds=waiting.retry_after_seconds), status_code=429,
            headers={"Retry-After": str(waiting.retry_after_seconds)},
        )  # fmt: skip
    notice = text(lang, "track.sent", minutes=ctx.settings.otp_minutes)
    return render(
        request, "helper_code.html", principal=principal, next_path=next_path, phone=phone, values={}, notice=notice
    )


@router.post("/nguoi-giup/xac-thuc", dependencies=[Depends(require_csrf)])
async def check_code(
    request: Request,
    ctx: UseCases,
    principal: MaybePrincipal,
    phone: Annotated[str, Form(max_length=40)] = "",
    otp: Annotated[str, Form(max_length=12)] = "",
    display_name: Annotated[str, Form(max_length=100)] = "",
    kind: Annotated[str, Form(max_length=16)] = HelperKind.PERSON.value,
    next: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    lang, next_path = current_lang(request), _next_path(next)
    values = {"display_name": display_name, "kind": kind}
    raw = {"phone": phone, "code": otp, "display_name": display_name, "kind": kind}
    try:
        body = HelperSignIn.model_validate({k: v for k, v in raw.items() if v.strip()})
        answer = await helper_sign_in.verify_code(ctx, body)
    except (ValidationError, WrongCode) as wrong:
        if isinstance(wrong, ValidationError):
            errors = field_errors(lang, wrong)
            errors = {("otp" if k == "code" else k): v for k, v in errors.items()}
        else:
            tries = wrong.tries_left
            key = "track.wrong_tries" if tries else "track.no_tries"
            errors = {"otp": text(lang, key, tries=tries)}
        return render(
            request, "helper_code.html", principal=principal, next_path=next_path, phone=phone, values=values,
            errors=errors, status_code=422,
        )  # fmt: skip
    response = RedirectResponse(next_path, status_code=303)
    start_session(response, request, answer.access_token)
    return response


# --- pledging ------------------------------------------------------------------------------------------------


@router.get("/ho-tro-tien-mat/{need_ref}/cam-ket")
async def pledge_form(request: Request, need_ref: NeedRef, ctx: UseCases, principal: MaybePrincipal) -> Response:
    """What remains of the need, and the form (a sign-in link for someone not signed in as a helper)."""
    return await _pledge_page(request, ctx, principal, need_ref)


async def _pledge_page(
    request: Request, ctx: Context, principal: Principal | None, need_ref: str, **extra: Any
) -> Response:
    need = await pledge_reads.need_by_ref(ctx.session, need_ref)
    if need is None or need.state == NeedState.PENDING:  # a need not yet verified and published is nobody's business
        raise NotFound(Text("err.need_not_found"))
    context: dict[str, Any] = {"errors": {}, "amount": "", **extra}
    return render(
        request, "pledge_form.html", principal=principal, need=need, need_ref=need_ref,
        min_pledge=ctx.settings.cash_policy.min_pledge_vnd, **context,
    )  # fmt: skip


@router.post("/ho-tro-tien-mat/{need_ref}/cam-ket", dependencies=[Depends(require_csrf)])
async def make_pledge(
    request: Request,
    need_ref: NeedRef,
    ctx: UseCases,
    principal: CurrentPrincipal,
    amount_vnd: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    lang = current_lang(request)
    try:
        body = PledgeBody.model_validate({"amount_vnd": amount_vnd} if amount_vnd.strip() else {})
        made = await pledges.pledge(ctx, principal, need_ref, body, lang)
    except ValidationError as invalid:
        errors = field_errors(lang, invalid)
        return await _pledge_page(request, ctx, principal, need_ref, errors=errors, amount=amount_vnd, status_code=422)
    except InvalidInput as invalid:
        errors = {p.field: p.render(lang) for p in invalid.problems}
        return await _pledge_page(request, ctx, principal, need_ref, errors=errors, amount=amount_vnd, status_code=422)
    return RedirectResponse(f"{MY_PLEDGES}/{made.code}", status_code=303)


@router.get("/nguoi-giup/cam-ket")
async def my_pledges(request: Request, ctx: UseCases, principal: CurrentPrincipal) -> Response:
    rows = await pledges.my_pledges(ctx, principal)
    return render(request, "helper_pledges.html", principal=principal, rows=rows)


@router.get("/nguoi-giup/cam-ket/{pledge_code}")
async def my_pledge(request: Request, pledge_code: PledgeCode, ctx: UseCases, principal: CurrentPrincipal) -> Response:
    return await _my_pledge_page(request, ctx, principal, pledge_code)


async def _my_pledge_page(
    request: Request, ctx: Context, principal: Principal, code: str, status_code: int = 200, **extra: Any
) -> Response:
    pledge = await pledges.my_pledge(ctx, principal, code)
    payment = pledge.payment
    svg = qr_svg(payment.qr_payload) if payment is not None and payment.qr_payload else None
    return render(
        request, "helper_pledge.html", principal=principal, pledge=pledge, payment=payment, qr=svg,
        status_code=status_code, **extra,
    )  # fmt: skip


@router.post("/nguoi-giup/cam-ket/{pledge_code}/da-chuyen", dependencies=[Depends(require_csrf)])
async def report_transferred(
    request: Request, pledge_code: PledgeCode, ctx: UseCases, principal: CurrentPrincipal
) -> Response:
    try:
        await pledges.report_transferred(ctx, principal, pledge_code)
    except ActionRefused as refused:
        return await _refused(request, ctx, principal, pledge_code, refused)
    return RedirectResponse(f"{MY_PLEDGES}/{pledge_code}", status_code=303)


@router.post("/nguoi-giup/cam-ket/{pledge_code}/huy", dependencies=[Depends(require_csrf)])
async def release(request: Request, pledge_code: PledgeCode, ctx: UseCases, principal: CurrentPrincipal) -> Response:
    try:
        await pledges.release(ctx, principal, pledge_code)
    except ActionRefused as refused:
        return await _refused(request, ctx, principal, pledge_code, refused)
    return RedirectResponse(f"{MY_PLEDGES}/{pledge_code}", status_code=303)


async def _refused(request: Request, ctx: Context, principal: Principal, code: str, refused: ActionRefused) -> Response:
    error = text(current_lang(request), f"refused.{refused.kind}")
    status_code = 503 if refused.kind == "StepFailed" else 409
    response = await _my_pledge_page(request, ctx, principal, code, status_code=status_code, error=error)
    response.headers["X-Refusal-Kind"] = refused.kind
    return response


# --- the household -------------------------------------------------------------------------------------------


@router.post("/cam-ket/{pledge_code}/da-nhan", dependencies=[Depends(require_csrf)])
async def arrived(request: Request, pledge_code: PledgeCode, ctx: UseCases, principal: CurrentPrincipal) -> Response:
    return await _household_answer(request, ctx, principal, pledge_code, arrived=True)


@router.post("/cam-ket/{pledge_code}/chua-nhan", dependencies=[Depends(require_csrf)])
async def not_arrived(
    request: Request, pledge_code: PledgeCode, ctx: UseCases, principal: CurrentPrincipal
) -> Response:
    return await _household_answer(request, ctx, principal, pledge_code, arrived=False)


async def _household_answer(request: Request, ctx: Context, principal: Principal, code: str, arrived: bool) -> Response:
    record = await pledge_reads.pledge_by_code(ctx.session, code)
    try:
        await pledges.household_answer(ctx, principal, code, arrived)
    except ActionRefused as refused:
        error = text(current_lang(request), f"refused.{refused.kind}")
        return render(
            request, "error.html", principal=principal, status_code=409, title=error, message="",
            headers={"X-Refusal-Kind": refused.kind},
        )  # fmt: skip
    assert record is not None  # the use case found it in scope
    return RedirectResponse(f"/yeu-cau/{record.request_code}#cam-ket", status_code=303)


# --- the ward ------------------------------------------------------------------------------------------------


@router.get("/can-bo/ho-tro-tien-mat")
async def ward_pledges(request: Request, ctx: UseCases, principal: CurrentPrincipal) -> Response:
    return await _ward_page(request, ctx, principal)


async def _ward_page(
    request: Request, ctx: Context, principal: Principal, status_code: int = 200, **extra: Any
) -> Response:
    rows = await pledges.awaiting_ward(ctx, principal)
    return render(request, "ward_pledges.html", principal=principal, rows=rows, status_code=status_code, **extra)


@router.post("/can-bo/ho-tro-tien-mat/{pledge_code}/quyet-dinh", dependencies=[Depends(require_csrf)])
async def decide(
    request: Request,
    pledge_code: PledgeCode,
    ctx: UseCases,
    principal: CurrentPrincipal,
    arrived: Annotated[str, Form(max_length=8)] = "",
    note: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    lang = current_lang(request)
    if arrived not in ("yes", "no"):
        return await _ward_page(request, ctx, principal, 422, error=text(lang, "pledge.ward.choose"))
    body = WardDecisionBody(arrived=arrived == "yes", note=note or None)
    try:
        await pledges.resolve(ctx, principal, pledge_code, body)
    except ActionRefused as refused:
        response = await _ward_page(request, ctx, principal, 409, error=text(lang, f"refused.{refused.kind}"))
        response.headers["X-Refusal-Kind"] = refused.kind
        return response
    return RedirectResponse("/can-bo/ho-tro-tien-mat?da-quyet-dinh=1", status_code=303)
