"""Emergencies written straight to the database, without their workflows, for the map's tests and bench."""

import uuid
from datetime import UTC, datetime, timedelta

from db.base import transaction
from domain.cash import HelperKind
from domain.emergency import EMERGENCY_POLICY, EmergencyCategory, EmergencyUrgency
from services import community_helpers, emergencies
from services.emergencies import NewEmergency
from tests.factories import WARD

EXACT = (10.776543, 106.700123)  # a point in Phường Bến Nghé


async def an_emergency(
    category: EmergencyCategory = EmergencyCategory.FOOD_TODAY,
    urgency: EmergencyUrgency = EmergencyUrgency.TODAY,
    state: str = "open",
    point: tuple[float, float] | None = EXACT,
    age: timedelta = timedelta(0),
    ward: str = WARD,
) -> str:
    """Posted `age` ago in the ward at the point, then moved to `state` (a claim by a helper for "claimed")."""
    code = f"E{uuid.uuid4().hex[:9].upper()}"
    posted = datetime.now(UTC) - age
    async with transaction() as session:
        place = await emergencies.ward_in_city(session, ward, "79")
        assert place is not None
        new = NewEmergency(
            code=code, category=category, urgency=urgency, description="Nhà có hai cụ già cần gạo", ward_code=ward,
            district_code=place[0], address="12 Lê Lợi, hẻm 4", point=point, phone_e164="+84912000111",
        )  # fmt: skip
        row = await emergencies.post(session, new, (place[1], place[2]), posted, EMERGENCY_POLICY)
        row.created_at = posted
        if state == "claimed":
            helper = await community_helpers.signed_in(session, "+84913999887", HelperKind.PERSON, "C")
            row.claimed_by_helper, row.claimed_at = helper, datetime.now(UTC)
        row.state = state
    return code
