"""The private message pages: each side's conversation about a pledge (from the household's request page and the
helper's pledge page) or an emergency (from its poster's follow page, by the link's token `t`, and from the
helper's claimed emergencies), and the ward's moderation list and thread. Every form works without JavaScript: it
posts and the page reloads. Each calls the API's use case (usecases/community/messages.py)."""

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request, Response
from fastapi.responses import RedirectResponse

from api.deps import CurrentPrincipal, MaybePrincipal, UseCases
from api.params import RequestCode
from domain.private_messages import Moderation, SubjectKind
from texts import Text
from usecases.community import messages
from usecases.context import Context
from usecases.emergency.follow_tokens import follow_path
from usecases.errors import InvalidInput
from usecases.principal import Principal
from usecases.schemas.private_messages import ConsentBody, MessageBody, ModerationBody, ReportBody, ThreadView
from web.csrf import require_csrf
from web.render import current_lang, render

router = APIRouter(include_in_schema=False)

SubjectCode = RequestCode
FollowLink = Annotated[str, Query(max_length=100)]
Body = Annotated[str, Form(max_length=20_000)]
Share = Annotated[str, Form(max_length=8)]
PLEDGE, EMERGENCY = SubjectKind.PLEDGE, SubjectKind.EMERGENCY
MODERATION = "/can-bo/tin-nhan"
MODERATED = {PLEDGE: MODERATION + "/{code}", EMERGENCY: MODERATION + "/khan-cap/{code}"}


@dataclass(frozen=True)
class Where:
    """A side's thread page: who speaks (`caller`), who the page is for (`viewer`: the session, if any), and where
    its forms post (`path` + `query`, the poster's token) and its back link goes."""

    caller: Principal
    viewer: Principal | None
    kind: SubjectKind
    code: str
    path: str
    query: str
    back: str

    def url(self, tail: str = "", anchor: str = "") -> str:
        return f"{self.path}{tail}{self.query}{anchor}"


def _pledge(principal: Principal, code: str) -> Where:
    back = f"/nguoi-giup/cam-ket/{code}" if principal.helper_id else "/cua-toi"
    return Where(principal, principal, PLEDGE, code, f"/cam-ket/{code}/tin-nhan", "", back)


def _emergency(ctx: Context, principal: Principal | None, code: str, token: str) -> Where:
    caller = messages.emergency_caller(ctx, principal, code, token)
    if caller.follows_emergency is not None:
        return Where(caller, principal, EMERGENCY, code, f"/khan-cap/{code}/tin-nhan", f"?t={token}",
                     follow_path(code, token))  # fmt: skip
    return Where(caller, principal, EMERGENCY, code, f"/khan-cap/{code}/tin-nhan", "", "/nguoi-giup/khan-cap")


# --- a pledge's two sides ------------------------------------------------------------------------------------


@router.get("/cam-ket/{pledge_code}/tin-nhan")
async def thread(request: Request, pledge_code: SubjectCode, ctx: UseCases, principal: CurrentPrincipal) -> Response:
    return await _thread(request, ctx, _pledge(principal, pledge_code))


@router.post("/cam-ket/{pledge_code}/tin-nhan", dependencies=[Depends(require_csrf)])
async def post(
    request: Request, pledge_code: SubjectCode, ctx: UseCases, principal: CurrentPrincipal, body: Body = ""
) -> Response:
    return await _post(request, ctx, _pledge(principal, pledge_code), body)


@router.post("/cam-ket/{pledge_code}/tin-nhan/so-dien-thoai", dependencies=[Depends(require_csrf)])
async def consent(pledge_code: SubjectCode, ctx: UseCases, principal: CurrentPrincipal, share: Share = "") -> Response:
    return await _consent(ctx, _pledge(principal, pledge_code), share)


@router.post("/cam-ket/{pledge_code}/tin-nhan/chan", dependencies=[Depends(require_csrf)])
async def block(pledge_code: SubjectCode, ctx: UseCases, principal: CurrentPrincipal) -> Response:
    return await _block(ctx, _pledge(principal, pledge_code))


@router.post("/cam-ket/{pledge_code}/tin-nhan/bao-cao", dependencies=[Depends(require_csrf)])
async def report(
    request: Request, pledge_code: SubjectCode, ctx: UseCases, principal: CurrentPrincipal, reason: Body = ""
) -> Response:
    return await _report(request, ctx, _pledge(principal, pledge_code), reason)


# --- an emergency's poster (its follow link) and the helper who claimed it -----------------------------------


@router.get("/khan-cap/{emergency_code}/tin-nhan")
async def emergency_thread(
    request: Request, emergency_code: SubjectCode, ctx: UseCases, principal: MaybePrincipal, t: FollowLink = ""
) -> Response:
    return await _thread(request, ctx, _emergency(ctx, principal, emergency_code, t))


@router.post("/khan-cap/{emergency_code}/tin-nhan", dependencies=[Depends(require_csrf)])
async def emergency_post(
    request: Request,
    emergency_code: SubjectCode,
    ctx: UseCases,
    principal: MaybePrincipal,
    t: FollowLink = "",
    body: Body = "",
) -> Response:
    return await _post(request, ctx, _emergency(ctx, principal, emergency_code, t), body)


@router.post("/khan-cap/{emergency_code}/tin-nhan/so-dien-thoai", dependencies=[Depends(require_csrf)])
async def emergency_consent(
    emergency_code: SubjectCode, ctx: UseCases, principal: MaybePrincipal, t: FollowLink = "", share: Share = ""
) -> Response:
    return await _consent(ctx, _emergency(ctx, principal, emergency_code, t), share)


@router.post("/khan-cap/{emergency_code}/tin-nhan/chan", dependencies=[Depends(require_csrf)])
async def emergency_block(
    emergency_code: SubjectCode, ctx: UseCases, principal: MaybePrincipal, t: FollowLink = ""
) -> Response:
    return await _block(ctx, _emergency(ctx, principal, emergency_code, t))


@router.post("/khan-cap/{emergency_code}/tin-nhan/bao-cao", dependencies=[Depends(require_csrf)])
async def emergency_report(
    request: Request,
    emergency_code: SubjectCode,
    ctx: UseCases,
    principal: MaybePrincipal,
    t: FollowLink = "",
    reason: Body = "",
) -> Response:
    return await _report(request, ctx, _emergency(ctx, principal, emergency_code, t), reason)


# --- shared by both kinds ------------------------------------------------------------------------------------


async def _thread(request: Request, ctx: Context, where: Where) -> Response:
    return _page(request, where, await messages.thread(ctx, where.caller, where.kind, where.code))


def _page(request: Request, where: Where, view: ThreadView, status_code: int = 200, **errors: str) -> Response:
    return render(
        request, "messages_thread.html", principal=where.viewer, view=view, where=where, status_code=status_code,
        errors=errors,
    )  # fmt: skip


async def _refused(request: Request, ctx: Context, where: Where, invalid: InvalidInput) -> Response:
    lang = current_lang(request)
    errors = {p.field: p.render(lang) for p in invalid.problems}
    view = await messages.thread(ctx, where.caller, where.kind, where.code)
    return _page(request, where, view, 422, **errors)


async def _post(request: Request, ctx: Context, where: Where, body: str) -> Response:
    try:
        await messages.post(ctx, where.caller, where.kind, where.code, MessageBody(body=body))
    except InvalidInput as invalid:
        return await _refused(request, ctx, where, invalid)
    return RedirectResponse(where.url(anchor="#viet"), status_code=303)


async def _consent(ctx: Context, where: Where, share: str) -> Response:
    await messages.consent(ctx, where.caller, where.kind, where.code, ConsentBody(share=share == "yes"))
    return RedirectResponse(where.url(anchor="#so-dien-thoai"), status_code=303)


async def _block(ctx: Context, where: Where) -> Response:
    await messages.block(ctx, where.caller, where.kind, where.code)
    return RedirectResponse(where.url(), status_code=303)


async def _report(request: Request, ctx: Context, where: Where, reason: str) -> Response:
    try:
        await messages.report(ctx, where.caller, where.kind, where.code, ReportBody(reason=reason))
    except InvalidInput as invalid:
        return await _refused(request, ctx, where, invalid)
    return RedirectResponse(where.url(), status_code=303)


# --- the ward's moderators -----------------------------------------------------------------------------------


@router.get(MODERATION)
async def reported(request: Request, ctx: UseCases, principal: CurrentPrincipal) -> Response:
    rows = await messages.reported(ctx, principal)
    return render(request, "messages_moderation.html", principal=principal, rows=rows, moderated=MODERATED)


@router.get(MODERATION + "/{pledge_code}")
async def moderated(request: Request, pledge_code: SubjectCode, ctx: UseCases, principal: CurrentPrincipal) -> Response:
    return await _moderated(request, ctx, principal, PLEDGE, pledge_code)


@router.post(MODERATION + "/{pledge_code}/quyet-dinh", dependencies=[Depends(require_csrf)])
async def moderate(
    request: Request, pledge_code: SubjectCode, ctx: UseCases, principal: CurrentPrincipal, outcome: Share = ""
) -> Response:
    return await _moderate(request, ctx, principal, PLEDGE, pledge_code, outcome)


@router.get(MODERATION + "/khan-cap/{emergency_code}")
async def moderated_emergency(
    request: Request, emergency_code: SubjectCode, ctx: UseCases, principal: CurrentPrincipal
) -> Response:
    return await _moderated(request, ctx, principal, EMERGENCY, emergency_code)


@router.post(MODERATION + "/khan-cap/{emergency_code}/quyet-dinh", dependencies=[Depends(require_csrf)])
async def moderate_emergency(
    request: Request, emergency_code: SubjectCode, ctx: UseCases, principal: CurrentPrincipal, outcome: Share = ""
) -> Response:
    return await _moderate(request, ctx, principal, EMERGENCY, emergency_code, outcome)


async def _moderated(
    request: Request, ctx: Context, principal: Principal, kind: SubjectKind, code: str, error: str | None = None
) -> Response:
    view = await messages.moderated_thread(ctx, principal, kind, code)
    return render(
        request, "messages_moderated.html", principal=principal, view=view, error=error,
        action=MODERATED[kind].format(code=code) + "/quyet-dinh", status_code=200 if error is None else 422,
    )  # fmt: skip


async def _moderate(
    request: Request, ctx: Context, principal: Principal, kind: SubjectKind, code: str, outcome: str
) -> Response:
    try:
        if outcome not in {m.value for m in Moderation}:
            raise InvalidInput.field("outcome", "missing", Text("msg.err.outcome_missing"))
        await messages.moderate(ctx, principal, kind, code, ModerationBody(outcome=Moderation(outcome)))
    except InvalidInput as invalid:
        return await _moderated(request, ctx, principal, kind, code, invalid.problems[0].render(current_lang(request)))
    return RedirectResponse(f"{MODERATION}?da-xem-xet=1", status_code=303)
