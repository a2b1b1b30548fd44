"""Registration (public), and what people read about one request: status, messages, workflow detail."""

from fastapi import APIRouter, Request, status

from api.deps import CurrentPrincipal, IdempotencyKey, UseCases
from api.errors import request_lang
from api.params import RequestCode
from usecases.relief import reads, registration
from usecases.schemas.registration import RegistrationAnswer, RegistrationForm
from usecases.schemas.status import CitizenNotification, RequestStatus, WorkflowDetail

router = APIRouter(prefix="/requests", tags=["requests"])

_PAUSED = (
    "registrations are paused while the workers catch up; send it again after Retry-After seconds (nothing was "
    "recorded)"
)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=RegistrationAnswer,
    responses={503: {"description": _PAUSED}},
)
async def register(
    request: Request, form: RegistrationForm, ctx: UseCases, key: IdempotencyKey = None
) -> RegistrationAnswer:
    """Registers a household's request; the duplicate check answers in this same call. Sent again with the
    same Idempotency-Key (a retry after a lost answer), it answers for the same request. The household's messages
    are written in `language`, or else in the Accept-Language's (Vietnamese when it names neither).

    Rate-limited per IP and per phone (429 with Retry-After); while the workers are behind, answered 503 with
    Retry-After before anything is done.
    """
    return await registration.register(ctx, form, key, caller_lang=request_lang(request))


@router.get("/{code}", response_model=RequestStatus)
async def request_status(
    request: Request, code: RequestCode, principal: CurrentPrincipal, ctx: UseCases
) -> RequestStatus:
    """The request's stage, history and next step, their words in the Accept-Language's language."""
    return await reads.status(ctx, principal, code, request_lang(request))


@router.get("/{code}/notifications", response_model=list[CitizenNotification])
async def request_notifications(
    code: RequestCode, principal: CurrentPrincipal, ctx: UseCases
) -> list[CitizenNotification]:
    return await reads.notifications(ctx, principal, code)


@router.get("/{code}/workflow", response_model=WorkflowDetail)
async def workflow_detail(code: RequestCode, principal: CurrentPrincipal, ctx: UseCases) -> WorkflowDetail:
    """The running workflow's own state (a query): the detail/debug view, with its Temporal UI link."""
    return await reads.workflow_detail(ctx, principal, code)
