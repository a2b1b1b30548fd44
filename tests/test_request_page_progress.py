"""The citizen's progress steps (a request waiting for a bag stands at the dispatch step), and what happens next
said with a day and an hour."""

from datetime import UTC, datetime

from common.city_time import CITY_TZ, vn_deadline
from domain.roles import Role
from domain.stages import EscalationLevel, RequestKind, Stage
from usecases.principal import Principal
from usecases.relief.views import next_step
from usecases.schemas.status import RequestStatus
from web.request_page import next_step_text, progress


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


def test_citizens_are_told_a_day_and_an_hour_never_a_minute() -> None:
    deadline = datetime(2026, 12, 5, 9, 42, tzinfo=UTC)  # 16:42 in the city
    view = status(Stage.AWAITING_VERIFICATION).model_copy(update={"deadline_at": deadline})
    citizen = Principal(role=Role.CITIZEN)
    assert next_step_text("vi", view, citizen) == "Phường sẽ xác minh hộ gia đình trước 17 giờ ngày 05/12/2026."
    assert next_step_text("en", view, citizen).endswith("by 17:00 on 05/12/2026.")
    # The API's text and the messages the workflow stores say it the same way.
    api_text = next_step("vi", Stage.AWAITING_DISPATCH, EscalationLevel.WARD, deadline, None)
    assert "trước 17 giờ ngày 05/12/2026" in api_text and "16:42" not in api_text
    assert vn_deadline(datetime(2026, 12, 5, 16, 0, tzinfo=CITY_TZ)) == "16 giờ ngày 05/12/2026"
    assert vn_deadline(datetime(2026, 12, 5, 23, 30, tzinfo=CITY_TZ)) == "24 giờ ngày 05/12/2026"
