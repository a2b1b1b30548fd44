"""From projection rows to the API's answers; personal data only where the caller's role needs it."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from common.city_time import due_by, vn_date
from db.requests import ReliefRequest, RequestEvent
from domain.identity import mask_phone
from domain.messages import Admission
from domain.scope import may_decide
from domain.stages import OPEN_STAGES, EscalationLevel, EventType, RequestKind, Stage
from services.household_summary import HouseholdSummary, household_summary
from services.notices import admission_refusal
from services.request_reads import RequestRecord
from texts import Lang, label, text
from usecases.principal import Principal
from usecases.schemas.lists import DeliveryRow, RequestRow
from usecases.schemas.status import Decision, HouseholdView, MergeRefusal, RequestStatus, TimelineEntry

# The events that end a verification: a decision, or an approval the merged household's history refused.
_DECISIONS = (EventType.APPROVED.value, EventType.REJECTED.value, EventType.REFUSED.value)


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


def inbox_row(request: ReliefRequest, now: datetime | None = None) -> RequestRow:
    """An official's inbox row: who and where, how many, a probable duplicate, and when it is due."""
    admission = (request.outcome or {}).get("admission") or {}
    due = due_by(request.deadline_at) if request.deadline_at else None
    return request_row(request, now).model_copy(
        update={
            "applicant_name": request.applicant_name,
            "address": request.address,
            "household_size": request.household_size,
            "probable_duplicate": admission.get("probable_duplicate_of") is not None,
            "due_on": due[0] if due else None,
            "due_before_hour": due[1] if due else None,
        }
    )


def can_decide(principal: Principal, request: ReliefRequest) -> bool:
    """Whether the verification form can be sent: the stage the workflow waits in, and its validator's scope
    rule (domain.scope.may_decide), the same the workflow applies."""
    if request.stage != Stage.AWAITING_VERIFICATION.value or not principal.is_official:
        return False
    return may_decide(principal.actor(), request.ward_code, request.district_code, EscalationLevel(request.escalation))


def staff_ids(record: RequestRecord, events: list[RequestEvent]) -> set[UUID]:
    """The staff a request's page names: those who acted on it and its courier."""
    ids = {e.actor_id for e in events if e.actor_id is not None}
    return ids | ({record.request.courier_id} if record.request.courier_id else set())


def _decision(events: list[RequestEvent], names: Mapping[UUID, str]) -> Decision | None:
    """The last verification decision by a person (a refusal at registration has no actor)."""
    for e in reversed(events):
        if e.event in _DECISIONS and e.actor_id is not None:
            return Decision(event=e.event, actor_name=names.get(e.actor_id), occurred_at=e.occurred_at)
    return None


def _merge_refusal(events: list[RequestEvent]) -> MergeRefusal | None:
    for e in reversed(events):
        if e.event == EventType.REFUSED.value and e.actor_id is not None:
            d = e.detail or {}
            return MergeRefusal(
                refusal=d.get("refusal"),
                last_delivered_on=d.get("last_delivered_on") or None,
                eligible_again_on=d.get("eligible_again_on") or None,
                open_request_code=d.get("open_request_code"),
            )
    return None


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


def next_step(
    lang: Lang,
    stage: Stage,
    escalation: EscalationLevel,
    deadline_at: datetime | None,
    admission: Admission | None,
    kind: RequestKind = RequestKind.FOOD_BAG,
) -> str:
    """What happens next and by when (a day and an hour), as the citizen's page says it; a refusal says why."""
    if stage == Stage.REFUSED:
        return admission_refusal(admission, kind).render(lang)
    due = due_by(deadline_at) if deadline_at else None
    by = text(lang, "next.by_day", day=vn_date(due[0]), hour=due[1]) if due else ""
    return text(lang, f"next.{stage.value}", who=label(lang, "who", escalation.value), by=by)


def request_status(
    lang: Lang,
    principal: Principal,
    record: RequestRecord,
    events: list[RequestEvent],
    names: Mapping[UUID, str] | None = None,
) -> RequestStatus:
    """In `lang`: the history's labels (the pages' own) and the next step. `names`: staff names by ID, for staff
    (who acted, the courier); none for citizens."""
    r = record.request
    names = names if principal.is_staff and names is not None else {}
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
                seq=e.seq,
                event=e.event,
                stage=Stage(e.stage),
                occurred_at=e.occurred_at,
                label=label(lang, "event", e.event),
                actor_name=names.get(e.actor_id) if e.actor_id else None,
            )
            for e in events
        ],
        next_step=next_step(lang, stage, escalation, r.deadline_at, admission, RequestKind(r.kind)),
        applicant_name=r.applicant_name if principal.is_staff else None,
        applicant_phone_masked=mask_phone(r.applicant_phone) if principal.is_staff else None,
        courier_id=r.courier_id if principal.is_staff else None,
        courier_name=names.get(r.courier_id) if r.courier_id else None,
        decision=_decision(events, names) if principal.is_staff else None,
        merge_refusal=_merge_refusal(events),
        can_decide=can_decide(principal, r),
    )


@dataclass(frozen=True)
class SupportWindows:
    """Each kind's entitlement window: the support a household received within it is shown to the ward."""

    bags: timedelta
    cash: timedelta


async def with_households(
    session: AsyncSession, view: RequestStatus, record: RequestRecord, windows: SupportWindows
) -> RequestStatus:
    """For staff: the request's household and, when there is one, the probable duplicate side by side, each with
    the support it received within each kind's window."""
    admission = record.admission
    now = datetime.now(UTC)
    bags_since, cash_since = now - windows.bags, now - windows.cash

    async def summary(household_id: UUID) -> HouseholdSummary | None:
        return await household_summary(session, household_id, bags_since, cash_since)

    household = await summary(record.request.household_id) if record.request.household_id else None
    candidate_id = admission.probable_duplicate_of if admission else None
    # After a merge the candidate is the request's own household: shown once.
    same = household is not None and candidate_id == household.household_id
    candidate = await summary(candidate_id) if candidate_id and not same else None
    return view.model_copy(
        update={
            "household": HouseholdView.model_validate(household, from_attributes=True) if household else None,
            "probable_duplicate": HouseholdView.model_validate(candidate, from_attributes=True) if candidate else None,
        }
    )
