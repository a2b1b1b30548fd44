"""Registration (public), and what people read about one request: status, messages, workflow detail."""

from typing import Any

from fastapi import APIRouter, HTTPException, Request, status
from temporalio.service import RPCError, RPCStatusCode

from api import workflow_gateway as gateway
from api.deps import AppSettings, Audit, CurrentPrincipal, DbSession, Registrations, TemporalClient, client_ip
from api.lookup import not_found, visible_request, visible_request_with_timeline
from api.schemas.registration import RegistrationAnswer, RegistrationForm
from api.schemas.status import CitizenNotification, RequestStatus, WorkflowDetail
from api.schemas.text import RequestCode
from api.security import issue_citizen_token
from api.updates import IdempotencyKey
from api.views import request_status, temporal_ui_url, with_households
from domain import names
from domain.messages import Applicant, RequestState
from services import rate_limits
from services.geography import ward_with_district
from services.request_reads import citizen_notifications
from services.status_text import registration_message

router = APIRouter(prefix="/requests", tags=["requests"])


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=RegistrationAnswer,
    responses={503: {"description": "registrations are paused while the workers catch up; send it again after "
                                    "Retry-After seconds (nothing was recorded)"}},
)  # fmt: skip
async def register(
    form: RegistrationForm,
    request: Request,
    session: DbSession,
    client: TemporalClient,
    settings: AppSettings,
    gate: Registrations,
    idempotency_key: IdempotencyKey = None,
) -> RegistrationAnswer:
    """Registers a household's request; the duplicate check answers in this same call. Sent again with the
    same Idempotency-Key (a retry after a lost answer), it answers for the same request.

    Nothing is written here: the workflow's first activity records the request. Rate-limited per IP and
    per phone (429 with Retry-After); while the workers are behind, answered 503 with Retry-After before
    anything is done (api/registration_gate.py).
    """
    async with gate.admitted():
        limits = settings.rate_limits
        await rate_limits.hit(
            ("registration_ip", client_ip(request) or "-", limits.registration_per_ip),
            ("registration_phone", form.phone, limits.registration_per_phone),
        )
        units = await ward_with_district(session, form.ward_code)
        if units is None:
            raise HTTPException(
                status.HTTP_422_UNPROCESSABLE_CONTENT,
                detail=[
                    {
                        "type": "unknown_ward",
                        "loc": ["body", "ward_code"],
                        "msg": f"mã phường/xã '{form.ward_code}' không tồn tại (unknown ward code)",
                        "input": form.ward_code,
                    }
                ],
            )
        ward_code, district_code = units
        await session.close()  # the database is not needed while the workflow admits the request
        inp, admission = await gateway.register(
            client,
            task_queue=settings.task_queue,
            kind=form.kind,
            ward_code=ward_code,
            district_code=district_code,
            applicant=Applicant(
                full_name=form.full_name,
                national_id=form.national_id,
                phone=form.phone,
                address=form.address,
                household_size=form.household_size,
            ),
            policy=settings.policy,
            idempotency_key=idempotency_key,
        )
    token = issue_citizen_token(settings, [admission.household_id], inp.code) if admission.household_id else None
    return RegistrationAnswer(
        code=inp.code,
        stage=admission.stage,
        refusal=admission.refusal,
        last_delivered_on=admission.last_delivered_on,
        eligible_again_on=admission.eligible_again_on,
        open_request_code=admission.open_request_code,
        message=registration_message(inp.code, admission),
        citizen_token=token,
    )


@router.get("/{code}", response_model=RequestStatus)
async def request_status_view(
    code: RequestCode, principal: CurrentPrincipal, session: DbSession, audit: Audit
) -> RequestStatus:
    record, events = await visible_request_with_timeline(session, principal, code)
    view = request_status(principal, record, events)
    if principal.is_staff:  # staff see the applicant's name and masked phone, and the households
        await audit.record("read_applicant", record.request)
        view = await with_households(session, view, record)
    return view


@router.get("/{code}/notifications", response_model=list[CitizenNotification])
async def request_notifications(
    code: RequestCode, principal: CurrentPrincipal, session: DbSession
) -> list[CitizenNotification]:
    record = await visible_request(session, principal, code)
    return [
        CitizenNotification.model_validate(n, from_attributes=True)
        for n in await citizen_notifications(session, record.request.id)
    ]


@router.get("/{code}/workflow", response_model=WorkflowDetail)
async def workflow_detail(
    code: RequestCode,
    principal: CurrentPrincipal,
    session: DbSession,
    client: TemporalClient,
    settings: AppSettings,
    audit: Audit,
) -> WorkflowDetail:
    """The running workflow's own state (a query): the detail/debug view, with its Temporal UI link."""
    record = await visible_request(session, principal, code)
    workflow_id = names.workflow_id(record.request.code)
    try:
        state = await client.get_workflow_handle(workflow_id).query("state", result_type=RequestState)
    except RPCError as err:
        if err.status != RPCStatusCode.NOT_FOUND:
            raise
        raise not_found(code) from None  # a request row whose workflow is gone (deleted by retention)
    await audit.record("read_workflow_state", record.request)
    dumped: dict[str, Any] = state.model_dump(mode="json")
    return WorkflowDetail(
        workflow_id=workflow_id,
        temporal_ui_url=temporal_ui_url(settings.temporal_ui_url, client.namespace, workflow_id),
        state=dumped,
    )
