"""The private message pages: each side's conversation about a pledge (from the household's request page and
the helper's pledge page), and the ward's moderation list and thread. Every form works without JavaScript: it
posts and the page reloads. Each calls the API's use case (usecases/community/messages.py)."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request, Response
from fastapi.responses import RedirectResponse

from api.deps import CurrentPrincipal, UseCases
from api.params import RequestCode
from domain.private_messages import Moderation, SubjectKind
from texts import pick
from usecases.community import messages
from usecases.context import Context
from usecases.errors import InvalidInput
from usecases.principal import Principal
from usecases.schemas.private_messages import ConsentBody, MessageBody, ModerationBody, ReportBody
from web.csrf import require_csrf
from web.render import current_lang, render

router = APIRouter(include_in_schema=False)

PledgeCode = RequestCode
PLEDGE = SubjectKind.PLEDGE
THREAD = "/cam-ket/{code}/tin-nhan"
MODERATION = "/can-bo/tin-nhan"


@router.get("/cam-ket/{pledge_code}/tin-nhan")
async def thread(request: Request, pledge_code: PledgeCode, ctx: UseCases, principal: CurrentPrincipal) -> Response:
    view = await messages.thread(ctx, principal, PLEDGE, pledge_code)
    return _thread_page(request, principal, view)


def _thread_page(request: Request, principal: Principal, view: Any, status_code: int = 200, **extra: Any) -> Response:
    back = f"/nguoi-giup/cam-ket/{view.subject_key}" if principal.helper_id else "/cua-toi"
    return render(
        request, "messages_thread.html", principal=principal, view=view, back=back, status_code=status_code,
        errors=extra.pop("errors", {}), **extra,
    )  # fmt: skip


async def _refused(request: Request, ctx: Context, principal: Principal, code: str, invalid: InvalidInput) -> Response:
    lang = current_lang(request)
    errors = {p.field: pick(lang, p.message) for p in invalid.problems}
    view = await messages.thread(ctx, principal, PLEDGE, code)
    return _thread_page(request, principal, view, status_code=422, errors=errors)


def _back(code: str, anchor: str = "") -> RedirectResponse:
    return RedirectResponse(THREAD.format(code=code) + anchor, status_code=303)


@router.post("/cam-ket/{pledge_code}/tin-nhan", dependencies=[Depends(require_csrf)])
async def post(
    request: Request,
    pledge_code: PledgeCode,
    ctx: UseCases,
    principal: CurrentPrincipal,
    body: Annotated[str, Form(max_length=20_000)] = "",
) -> Response:
    try:
        await messages.post(ctx, principal, PLEDGE, pledge_code, MessageBody(body=body))
    except InvalidInput as invalid:
        return await _refused(request, ctx, principal, pledge_code, invalid)
    return _back(pledge_code, "#viet")


@router.post("/cam-ket/{pledge_code}/tin-nhan/so-dien-thoai", dependencies=[Depends(require_csrf)])
async def consent(
    pledge_code: PledgeCode, ctx: UseCases, principal: CurrentPrincipal, share: Annotated[str, Form(max_length=8)] = ""
) -> Response:
    await messages.consent(ctx, principal, PLEDGE, pledge_code, ConsentBody(share=share == "yes"))
    return _back(pledge_code, "#so-dien-thoai")


@router.post("/cam-ket/{pledge_code}/tin-nhan/chan", dependencies=[Depends(require_csrf)])
async def block(pledge_code: PledgeCode, ctx: UseCases, principal: CurrentPrincipal) -> Response:
    await messages.block(ctx, principal, PLEDGE, pledge_code)
    return _back(pledge_code)


@router.post("/cam-ket/{pledge_code}/tin-nhan/bao-cao", dependencies=[Depends(require_csrf)])
async def report(
    request: Request,
    pledge_code: PledgeCode,
    ctx: UseCases,
    principal: CurrentPrincipal,
    reason: Annotated[str, Form(max_length=20_000)] = "",
) -> Response:
    try:
        await messages.report(ctx, principal, PLEDGE, pledge_code, ReportBody(reason=reason))
    except InvalidInput as invalid:
        return await _refused(request, ctx, principal, pledge_code, invalid)
    return _back(pledge_code)


# --- the ward's moderators -----------------------------------------------------------------------------------


@router.get("/can-bo/tin-nhan")
async def reported(request: Request, ctx: UseCases, principal: CurrentPrincipal) -> Response:
    rows = await messages.reported(ctx, principal)
    return render(request, "messages_moderation.html", principal=principal, rows=rows)


@router.get("/can-bo/tin-nhan/{pledge_code}")
async def moderated(request: Request, pledge_code: PledgeCode, ctx: UseCases, principal: CurrentPrincipal) -> Response:
    view = await messages.moderated_thread(ctx, principal, PLEDGE, pledge_code)
    return render(request, "messages_moderated.html", principal=principal, view=view, error=None)


@router.post("/can-bo/tin-nhan/{pledge_code}/quyet-dinh", dependencies=[Depends(require_csrf)])
async def moderate(
    request: Request,
    pledge_code: PledgeCode,
    ctx: UseCases,
    principal: CurrentPrincipal,
    outcome: Annotated[str, Form(max_length=16)] = "",
) -> Response:
    try:
        if outcome not in {m.value for m in Moderation}:
            raise InvalidInput.field("outcome", "missing", "hãy chọn đóng hoặc cho tiếp tục (choose close or clear)")
        await messages.moderate(ctx, principal, PLEDGE, pledge_code, ModerationBody(outcome=Moderation(outcome)))
    except InvalidInput as invalid:
        view = await messages.moderated_thread(ctx, principal, PLEDGE, pledge_code)
        error = pick(current_lang(request), invalid.problems[0].message)
        return render(request, "messages_moderated.html", principal=principal, view=view, error=error, status_code=422)
    return RedirectResponse(f"{MODERATION}?da-xem-xet=1", status_code=303)
