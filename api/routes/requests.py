"""Registration (public), and what people read about one request: status, messages, workflow detail."""

from fastapi import APIRouter, status

from api.deps import CurrentPrincipal, IdempotencyKey, UseCases
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
async def register(form: RegistrationForm, ctx: UseCases, key: IdempotencyKey = None) -> RegistrationAnswer:
    """Registers a household's request; the duplicate check answers in this same call. Sent again with the
    same Idempotency-Key (a retry after a lost answer), it answers for the same request.

    Rate-limited per IP and per phone (429 with Retry-After); while the workers are behind, answered 503 with
    Retry-After before anything is done.
    """
    return await registration.register(ctx, form, key)


@router.get("/{code}", response_model=RequestStatus)
async def request_status(code: RequestCode, principal: CurrentPrincipal, ctx: UseCases) -> RequestStatus:
    return await reads.status(ctx, principal, code)


@router.get("/{code}/notifications", response_model=list[CitizenNotification])
async def request_notifications(
    code: RequestCode, principal: CurrentPrincipal, ctx: UseCases
) -> list[CitizenNotification]:
    return await reads.notifications(ctx, principal, code)


@router.get("/{code}/workflow", response_model=WorkflowDetail)
async def workflow_detail(code: RequestCode, principal: CurrentPrincipal, ctx: UseCases) -> WorkflowDetail:
    """The running workflow's own state (a query): the detail/debug view, with its Temporal UI link."""
    return await reads.workflow_detail(ctx, principal, code)
