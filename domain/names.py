"""Names that the API, the worker and the Temporal UI must agree on, defined once."""

from datetime import date

from temporalio.common import SearchAttributeKey

TASK_QUEUE = "relief-requests"
WORKFLOW_ID_PREFIX = "relief-request-"


def workflow_id(request_code: str) -> str:
    return f"{WORKFLOW_ID_PREFIX}{request_code}"


def donation_workflow_id(donation_code: str) -> str:
    return f"donation-{donation_code}"


def pledge_workflow_id(pledge_code: str) -> str:
    return f"pledge-{pledge_code}"


def place_report_workflow_id(place_code: str, day: date) -> str:
    return f"place-report-{place_code}-{day.isoformat()}"


def emergency_workflow_id(emergency_code: str) -> str:
    return f"emergency-{emergency_code}"


def shipment_workflow_id(shipment_code: str) -> str:
    return f"shipment-{shipment_code}"


# Search attributes for supervisors in the Temporal UI. They never carry personal data (architecture §3, §4).
SA_STAGE = SearchAttributeKey.for_keyword("AnSinhStage")
SA_KIND = SearchAttributeKey.for_keyword("AnSinhKind")
SA_DISTRICT = SearchAttributeKey.for_keyword("AnSinhDistrict")
SA_WARD = SearchAttributeKey.for_keyword("AnSinhWard")
SA_ESCALATION = SearchAttributeKey.for_keyword("AnSinhEscalation")
SA_DEADLINE = SearchAttributeKey.for_datetime("AnSinhDeadline")
SA_OVERDUE = SearchAttributeKey.for_bool("AnSinhOverdue")
# A database step failed past its retries (or can never succeed): the request waits for a supervisor's retry.
SA_NEEDS_ATTENTION = SearchAttributeKey.for_bool("AnSinhNeedsAttention")
# The supply place a donation is due at (a donation also carries AnSinhKind "donation", its stage and district).
SA_PLACE = SearchAttributeKey.for_keyword("AnSinhPlace")

SEARCH_ATTRIBUTES = (
    SA_STAGE,
    SA_KIND,
    SA_DISTRICT,
    SA_WARD,
    SA_ESCALATION,
    SA_DEADLINE,
    SA_OVERDUE,
    SA_NEEDS_ATTENTION,
    SA_PLACE,
)

# The daily retention purge (workflows/retention.py): its schedule, and the id each run's workflow starts from.
RETENTION_SCHEDULE_ID = "ansinh-retention"
