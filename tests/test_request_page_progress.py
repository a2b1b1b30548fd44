"""The citizen's progress steps: a request waiting for a bag stands at the dispatch step."""

from datetime import UTC, datetime

from domain.stages import EscalationLevel, RequestKind, Stage
from usecases.schemas.status import RequestStatus
from web.request_page import progress


def status(stage: Stage) -> RequestStatus:
    now = datetime.now(UTC)
    return RequestStatus(
        code="AS-TEST",
        kind=RequestKind.FOOD_BAG,
        stage=stage,
        escalation=EscalationLevel.WARD,
        ward_code="26734",
        ward_name="Phường Tân Định",
        district_code="760",
        district_name="Quận 1",
        registered_at=now,
        updated_at=now,
        deadline_at=None,
        attempts=0,
        timeline=[],
        next_step="",
    )


def test_a_request_waiting_for_stock_is_at_the_dispatch_step() -> None:
    assert progress(status(Stage.AWAITING_STOCK)) == [
        (Stage.REGISTERED, "done"),
        (Stage.AWAITING_VERIFICATION, "done"),
        (Stage.AWAITING_DISPATCH, "current"),
        (Stage.OUT_FOR_DELIVERY, "todo"),
        (Stage.DELIVERED, "todo"),
    ]
