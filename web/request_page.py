"""One request's page, for everyone who may see it: the citizen's timeline and messages; the ward's
decision beside the household's history and any probable duplicate; the courier's proof of delivery;
the supervisors' full timeline and link to the workflow. It reads through the same use cases as
GET /api/v1/requests/{code}, so scope, audit and personal-data rules are the same."""

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Form, Request, Response
from fastapi.responses import RedirectResponse

from api.deps import CurrentPrincipal, UseCases
from api.errors import REFUSAL_STATUS
from api.params import RequestCode
from common.city_time import due_by, vn_date
from domain.refusals import RefusalKind
from domain.roles import Role
from domain.stages import RequestKind, Stage
from texts import CATALOGUE, Lang, label, text
from usecases.cash import request_need
from usecases.cash.pledges import household_pledges
from usecases.context import Context
from usecases.principal import Principal
from usecases.relief import actions, delivery_findings, reads
from usecases.relief.workflow_gateway import ActionRefused
from usecases.schemas.actions import VerificationBody
from usecases.schemas.cash_request import RevealedAccount
from usecases.schemas.status import RequestStatus
from web.csrf import require_csrf
from web.delivery_blocks import delivery_blocks
from web.errors import conflict_message
from web.render import current_lang, render

router = APIRouter(include_in_schema=False)

# The stages a request passes on its way to the door, for the progress list.
PATH = (Stage.REGISTERED, Stage.AWAITING_VERIFICATION, Stage.AWAITING_DISPATCH, Stage.OUT_FOR_DELIVERY, Stage.DELIVERED)
# A cash request's path: verified, then supported by the community.
CASH_PATH = (Stage.REGISTERED, Stage.AWAITING_VERIFICATION, Stage.AWAITING_SUPPORT, Stage.SUPPORTED)
# A stage off the path that stands at a step of it: waiting for a bag is the dispatch step, not yet done.
AT_STEP = {Stage.AWAITING_STOCK: Stage.AWAITING_DISPATCH}
NOTICES = {
    "verified": "verify.done",
    "delivered": "deliver.done",
    "failed": "failed.done",
    "not_received": "notrec.done",
    "reviewed": "review.done",
}


def next_step_text(lang: Lang, view: RequestStatus, principal: Principal) -> str:
    """What happens next, said to the reader: the citizen is told what to expect, staff what the office does."""
    who = label(lang, "who", view.escalation.value)
    official_key = f"official.next.{view.stage.value}"
    due = due_by(view.deadline_at) if view.deadline_at else None
    by = text(lang, "next.by_day", day=vn_date(due[0]), hour=due[1]) if due else ""  # a day and an hour
    if principal.is_staff and official_key in CATALOGUE:
        return text(lang, official_key, who=who, by=by)
    return text(lang, f"next.{view.stage.value}", who=who, by=by)


def progress(view: RequestStatus) -> list[tuple[Stage, str]]:
    """Each stage of the path with its state: done, current or todo (a final stage off the path ends it)."""
    path = CASH_PATH if view.kind == RequestKind.CASH_SUPPORT else PATH
    stage = AT_STEP.get(view.stage, view.stage)
    if stage not in path:
        reached = {e.stage for e in view.timeline}
        return [(s, "done") for s in path if s in reached]
    here = path.index(stage)
    return [(s, "done" if i < here else "current" if i == here else "todo") for i, s in enumerate(path)]


async def show(
    request: Request,
    ctx: Context,
    principal: Principal,
    code: str,
    *,
    status_code: int = 200,
    error: str | None = None,
    field_errors: dict[str, str] | None = None,
    values: dict[str, Any] | None = None,
    refusal_kind: str | None = None,
    conflict: bool = False,
    revealed: RevealedAccount | None = None,
) -> Response:
    """`conflict`: the decision was refused because someone else decided first; the page names them. `revealed`:
    the account number an official asked to read (audited)."""
    lang = current_lang(request)
    view = await reads.status(ctx, principal, code, lang)
    cash = view.kind == RequestKind.CASH_SUPPORT
    cash_need = await request_need.need_view(ctx, principal, code) if cash else None
    pledges = await household_pledges(ctx, principal, code) if cash else []
    notes = await reads.notifications(ctx, principal, code)
    workflow_url = None
    if principal.is_official or principal.role == Role.SUPERVISOR:
        workflow_url = reads.workflow_link(ctx, view.code)
    notice_key = NOTICES.get(request.query_params.get("ok", ""))
    if conflict:
        error = conflict_message(lang, view.decision) or error
    return render(
        request,
        "request.html",
        principal=principal,
        status_code=status_code,
        headers={"X-Refusal-Kind": refusal_kind} if refusal_kind else None,
        view=view,
        notes=notes,
        progress=progress(view),
        next_text=next_step_text(lang, view, principal),
        workflow_url=workflow_url,
        notice=text(lang, notice_key, code=view.code) if notice_key else None,
        error=error,
        field_errors=field_errors or {},
        values=values or {},
        can_decide=view.can_decide,
        view_only=principal.is_official and view.stage == Stage.AWAITING_VERIFICATION and not view.can_decide,
        who_decides=label(lang, "who", view.escalation.value).lower(),
        can_deliver=principal.role == Role.COURIER and view.stage == Stage.OUT_FOR_DELIVERY,
        delivered=view.stage == Stage.DELIVERED and (principal.is_official or principal.role == Role.COURIER),
        now=datetime.now(),
        cash_need=cash_need,
        pledges=pledges,
        revealed=revealed,
        situation=lambda value: label(lang, "situation", value),
        word=await delivery_findings.household_word(ctx, principal, code),
        **await delivery_blocks(ctx, principal, view),
    )


async def refused_page(
    request: Request, ctx: Context, principal: Principal, code: str, refused: ActionRefused, error: str, **extra: Any
) -> Response:
    """The request's page again, saying why the workflow refused the action."""
    return await show(
        request,
        ctx,
        principal,
        code,
        status_code=REFUSAL_STATUS.get(refused.kind, 409),
        error=error,
        refusal_kind=refused.kind,
        **extra,
    )


@router.get("/yeu-cau/{code}")
async def request_page(request: Request, code: RequestCode, principal: CurrentPrincipal, ctx: UseCases) -> Response:
    return await show(request, ctx, principal, code)


@router.get("/yeu-cau/{code}/anh")
async def delivery_photo(code: RequestCode, principal: CurrentPrincipal, ctx: UseCases) -> Response:
    photo = await reads.delivery_photo(ctx, principal, code)
    return Response(photo.content, media_type=photo.media_type, headers={"Cache-Control": "private, no-store"})


@router.post("/yeu-cau/{code}/tai-khoan", dependencies=[Depends(require_csrf)])
async def read_account(request: Request, code: RequestCode, principal: CurrentPrincipal, ctx: UseCases) -> Response:
    """An official's explicit reading of the full account number: recorded in the audit log, then shown once."""
    revealed = await request_need.reveal_account(ctx, principal, code)
    return await show(request, ctx, principal, code, revealed=revealed)


@router.post("/yeu-cau/{code}/chua-nhan-tui", dependencies=[Depends(require_csrf)])
async def not_received(
    request: Request,
    code: RequestCode,
    principal: CurrentPrincipal,
    ctx: UseCases,
    note: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    """The household: "Tôi chưa nhận được túi"; the same use case as POST /api/v1/requests/{code}/not-received."""
    try:
        await delivery_findings.say_not_received(ctx, principal, code, note.strip() or None)
    except ActionRefused as refused:
        return await refused_page(request, ctx, principal, code, refused, refused.render(current_lang(request)))
    return RedirectResponse(f"/yeu-cau/{code}?ok=not_received", status_code=303)


@router.post("/yeu-cau/{code}/xem-lai", dependencies=[Depends(require_csrf)])
async def review(
    request: Request,
    code: RequestCode,
    principal: CurrentPrincipal,
    ctx: UseCases,
    received: Annotated[Literal["yes", "no"] | None, Form()] = None,
    note: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    """The ward's finding on a delivery marked for review; the same use case as the API's delivery-review."""
    if received is None:
        errors = {"received": text(current_lang(request), "err.missing")}
        return await show(request, ctx, principal, code, status_code=422, field_errors=errors)
    try:
        await delivery_findings.record_finding(ctx, principal, code, received == "yes", note.strip() or None)
    except ActionRefused as refused:
        return await refused_page(request, ctx, principal, code, refused, refused.render(current_lang(request)))
    return RedirectResponse(f"/yeu-cau/{code}?ok=reviewed", status_code=303)


@router.post("/yeu-cau/{code}/xac-minh", dependencies=[Depends(require_csrf)])
async def decide(
    request: Request,
    code: RequestCode,
    principal: CurrentPrincipal,
    ctx: UseCases,
    decision: Annotated[Literal["approve", "reject"] | None, Form()] = None,
    reason: Annotated[str, Form(max_length=500)] = "",
    same_household: Annotated[Literal["yes", "no"] | None, Form()] = None,
) -> Response:
    """Approve or reject in one step; the same use case as POST /api/v1/requests/{code}/verification."""
    lang = current_lang(request)
    values = {"decision": decision, "reason": reason, "same_household": same_household}
    errors: dict[str, str] = {}
    if decision is None:
        errors["decision"] = text(lang, "err.missing")
    elif decision == "reject" and len(reason.strip()) < 3:
        errors["reason"] = text(lang, "verify.need_reason")
    if errors:
        return await show(request, ctx, principal, code, status_code=422, field_errors=errors, values=values)
    body = VerificationBody(
        approve=decision == "approve",
        reason=reason.strip() or None,
        same_household=None if same_household is None else same_household == "yes",
    )
    try:
        await actions.decide_verification(ctx, principal, code, body)
    except ActionRefused as refused:
        # After the reason check above, an incomplete decision is a probable duplicate left unanswered.
        key = "verify.need_same" if refused.kind == "InvalidDecision" else f"refused.{refused.kind}"
        conflict = refused.kind == RefusalKind.WRONG_STAGE
        error = text(lang, key)
        return await refused_page(request, ctx, principal, code, refused, error, values=values, conflict=conflict)
    return RedirectResponse(f"/can-bo?ok={code}", status_code=303)
