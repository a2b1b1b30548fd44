"""One request's page, for everyone who may see it: the citizen's timeline and messages; the ward's
decision beside the household's history and any probable duplicate; the courier's proof of delivery;
the supervisors' full timeline and link to the workflow. It reads through the API's own route functions,
so scope, audit and personal-data rules are those of GET /api/v1/requests/{code}."""

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Form, Request, Response
from fastapi.responses import RedirectResponse

from api.deps import AppSettings, Audit, CurrentPrincipal, DbSession, TemporalClient
from api.principal import Principal
from api.routes import actions, delivery
from api.routes import requests as request_routes
from api.schemas.actions import VerificationBody
from api.schemas.status import RequestStatus
from api.schemas.text import RequestCode
from api.updates import REFUSAL_STATUS
from api.views import temporal_ui_url
from api.workflow_gateway import ActionRefused
from common.city_time import vn_time
from common.settings import Settings
from domain import names
from domain.roles import Role
from domain.stages import Stage
from web.csrf import require_csrf
from web.i18n import BY, LANGS, NEXT, WHO, Lang, translate
from web.render import current_lang, render

router = APIRouter(include_in_schema=False)

# The stages a request passes on its way to the door, for the progress list.
PATH = (Stage.REGISTERED, Stage.AWAITING_VERIFICATION, Stage.AWAITING_DISPATCH, Stage.OUT_FOR_DELIVERY, Stage.DELIVERED)
NOTICES = {"verified": "verify.done", "delivered": "deliver.done", "failed": "failed.done"}


def next_step_text(lang: Lang, view: RequestStatus) -> str:
    i = LANGS.index(lang)
    by = BY[i].format(time=vn_time(view.deadline_at)) if view.deadline_at else ""
    return NEXT[view.stage.value][i].format(who=WHO[view.escalation.value][i], by=by)


def progress(view: RequestStatus) -> list[tuple[Stage, str]]:
    """Each stage of the path with its state: done, current or todo (a final stage off the path ends it)."""
    if view.stage not in PATH:
        reached = {e.stage for e in view.timeline}
        return [(s, "done") for s in PATH if s in reached]
    here = PATH.index(view.stage)
    return [(s, "done" if i < here else "current" if i == here else "todo") for i, s in enumerate(PATH)]


async def show(
    request: Request,
    code: str,
    principal: Principal,
    session: DbSession,
    audit: Audit,
    settings: Settings,
    namespace: str,
    *,
    status_code: int = 200,
    error: str | None = None,
    field_errors: dict[str, str] | None = None,
    values: dict[str, Any] | None = None,
    refusal_kind: str | None = None,
) -> Response:
    view = await request_routes.request_status_view(code, principal, session, audit)
    notes = await request_routes.request_notifications(code, principal, session)
    lang = current_lang(request)
    workflow_url = None
    if principal.is_official or principal.role == Role.SUPERVISOR:
        workflow_url = temporal_ui_url(settings.temporal_ui_url, namespace, names.workflow_id(view.code))
    notice_key = NOTICES.get(request.query_params.get("ok", ""))
    return render(
        request,
        "request.html",
        principal=principal,
        status_code=status_code,
        headers={"X-Refusal-Kind": refusal_kind} if refusal_kind else None,
        view=view,
        notes=notes,
        progress=progress(view),
        next_text=next_step_text(lang, view),
        workflow_url=workflow_url,
        notice=translate(lang, notice_key, code=view.code) if notice_key else None,
        error=error,
        field_errors=field_errors or {},
        values=values or {},
        can_decide=principal.is_official and view.stage == Stage.AWAITING_VERIFICATION,
        can_deliver=principal.role == Role.COURIER and view.stage == Stage.OUT_FOR_DELIVERY,
        delivered=view.stage == Stage.DELIVERED and (principal.is_official or principal.role == Role.COURIER),
        now=datetime.now(),
    )


@router.get("/yeu-cau/{code}")
async def request_page(
    request: Request, code: RequestCode, principal: CurrentPrincipal, session: DbSession, audit: Audit,
    settings: AppSettings, client: TemporalClient,
) -> Response:  # fmt: skip
    return await show(request, code, principal, session, audit, settings, client.namespace)


@router.get("/yeu-cau/{code}/anh")
async def delivery_photo(
    code: RequestCode, principal: CurrentPrincipal, session: DbSession, settings: AppSettings, audit: Audit
) -> Response:
    return await delivery.delivery_photo(code, principal, session, settings, audit)


@router.post("/yeu-cau/{code}/xac-minh", dependencies=[Depends(require_csrf)])
async def decide(
    request: Request, code: RequestCode, principal: CurrentPrincipal, session: DbSession, audit: Audit,
    settings: AppSettings, client: TemporalClient,
    decision: Annotated[Literal["approve", "reject"] | None, Form()] = None,
    reason: Annotated[str, Form(max_length=500)] = "",
    same_household: Annotated[Literal["yes", "no"] | None, Form()] = None,
) -> Response:  # fmt: skip
    """Approve or reject in one step; the same update as POST /api/v1/requests/{code}/verification."""
    lang = current_lang(request)
    values = {"decision": decision, "reason": reason, "same_household": same_household}
    errors: dict[str, str] = {}
    if decision is None:
        errors["decision"] = translate(lang, "err.missing")
    elif decision == "reject" and len(reason.strip()) < 3:
        errors["reason"] = translate(lang, "verify.need_reason")
    if errors:
        return await show(request, code, principal, session, audit, settings, client.namespace,
                          status_code=422, field_errors=errors, values=values)  # fmt: skip
    body = VerificationBody(
        approve=decision == "approve",
        reason=reason.strip() or None,
        same_household=None if same_household is None else same_household == "yes",
    )
    try:
        await actions.decide_verification(code, body, principal, session, client, audit)
    except ActionRefused as refused:
        # After the reason check above, an incomplete decision is a probable duplicate left unanswered.
        key = "verify.need_same" if refused.kind == "InvalidDecision" else f"refused.{refused.kind}"
        return await show(request, code, principal, session, audit, settings, client.namespace,
                          status_code=REFUSAL_STATUS.get(refused.kind, 409), error=translate(lang, key),
                          values=values, refusal_kind=refused.kind)  # fmt: skip
    return RedirectResponse(f"/can-bo?ok={code}", status_code=303)
