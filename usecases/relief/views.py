"""From projection rows to the API's answers; personal data only where the caller's role needs it."""

from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from db.requests import ReliefRequest, RequestEvent
from domain.identity import mask_phone
from domain.stages import OPEN_STAGES, EscalationLevel, RequestKind, Stage
from services.household_summary import household_summary
from services.request_reads import RequestRecord
from services.status_text import event_label, next_step
from usecases.principal import Principal
from usecases.schemas.lists import DeliveryRow, RequestRow
from usecases.schemas.status import HouseholdView, RequestStatus, TimelineEntry


def temporal_ui_url(ui_base: str, namespace: str, workflow_id: str) -> str:
    """Where a supervisor sees the request's workflow in the Temporal UI."""
    return f"{ui_base}/namespaces/{namespace}/workflows/{workflow_id}"


def is_overdue(request: ReliefRequest, now: datetime) -> bool:
    if Stage(request.stage) not in OPEN_STAGES:
        return False
    late = request.deadline_at is not None and request.deadline_at < now
    return late or request.escalation == EscalationLevel.DISTRICT.value


def request_row(request: ReliefRequest, now: datetime | None = None) -> RequestRow:
    return RequestRow(
        code=request.code,
        kind=RequestKind(request.kind),
        stage=Stage(request.stage),
        escalation=EscalationLevel(request.escalation),
        ward_code=request.ward_code,
        district_code=request.district_code,
        registered_at=request.registered_at,
        updated_at=request.updated_at,
        deadline_at=request.deadline_at,
        overdue=is_overdue(request, now or datetime.now(UTC)),
        attempts=request.attempts,
    )


def delivery_row(request: ReliefRequest) -> DeliveryRow:
    return DeliveryRow(
        code=request.code,
        applicant_name=request.applicant_name,
        address=request.address,
        applicant_phone_masked=mask_phone(request.applicant_phone),
        household_size=request.household_size,
        ward_code=request.ward_code,
        deadline_at=request.deadline_at,
        attempts=request.attempts,
    )


def request_status(principal: Principal, record: RequestRecord, events: list[RequestEvent]) -> RequestStatus:
    r = record.request
    admission = record.admission
    stage, escalation = Stage(r.stage), EscalationLevel(r.escalation)
    return RequestStatus(
        code=r.code,
        kind=RequestKind(r.kind),
        stage=stage,
        escalation=escalation,
        ward_code=r.ward_code,
        ward_name=record.ward_name,
        district_code=r.district_code,
        district_name=record.district_name,
        registered_at=r.registered_at,
        updated_at=r.updated_at,
        deadline_at=r.deadline_at,
        attempts=r.attempts,
        refusal=admission.refusal if admission else None,
        last_delivered_on=admission.last_delivered_on if admission else None,
        eligible_again_on=admission.eligible_again_on if admission else None,
        open_request_code=admission.open_request_code if admission else None,
        timeline=[
            TimelineEntry(
                seq=e.seq, event=e.event, stage=Stage(e.stage), occurred_at=e.occurred_at, label=event_label(e.event)
            )
            for e in events
        ],
        next_step=next_step(stage, escalation, r.deadline_at, admission),
        applicant_name=r.applicant_name if principal.is_staff else None,
        applicant_phone_masked=mask_phone(r.applicant_phone) if principal.is_staff else None,
        courier_id=r.courier_id if principal.is_staff else None,
    )


async def with_households(session: AsyncSession, view: RequestStatus, record: RequestRecord) -> RequestStatus:
    """For staff: the request's household and, when there is one, the probable duplicate side by side."""
    admission = record.admission
    household = await household_summary(session, record.request.household_id) if record.request.household_id else None
    candidate_id = admission.probable_duplicate_of if admission else None
    candidate = await household_summary(session, candidate_id) if candidate_id else None
    return view.model_copy(
        update={
            "household": HouseholdView.model_validate(household, from_attributes=True) if household else None,
            "probable_duplicate": HouseholdView.model_validate(candidate, from_attributes=True) if candidate else None,
        }
    )
