"""Cash needs and helpers written straight into the ledger, for tests that need no workflow."""

import uuid
from datetime import UTC, datetime

from common.keyed_hash import keyed_hash
from db.base import transaction
from db.cash import CommunityHelper
from db.households import Household
from db.requests import ReliefRequest
from domain.cash import NeedState, PayoutMethod, SituationCategory
from services import cash_ledger
from services.cash_ledger import NewNeed
from tests.factories import DISTRICT, WARD

NOW = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)


async def a_need(amount: int = 1_000_000, household_id: uuid.UUID | None = None, publish: bool = True) -> uuid.UUID:
    request_id = uuid.uuid4()
    async with transaction() as session:
        if household_id is None:
            household = Household(ward_code=WARD, address="12 Lê Lợi", address_key="12 le loi", size=3)
            session.add(household)
            await session.flush()
            household_id = household.id
        session.add(
            ReliefRequest(
                id=request_id,
                code=uuid.uuid4().hex[:8].upper(),
                kind="cash_support",
                ward_code=WARD,
                district_code=DISTRICT,
                household_id=household_id,
                applicant_name="Nguyễn Văn An",
                applicant_national_id_hash="h",
                applicant_phone_hash="p",
                applicant_phone="+84912345678",
                address="12 Lê Lợi",
                household_size=3,
                stage="awaiting_verification",
                registered_at=NOW,
                updated_at=NOW,
            )
        )
        await session.flush()
        need = NewNeed(
            request_id=request_id,
            household_id=household_id,
            ward_code=WARD,
            district_code=DISTRICT,
            amount_asked=amount,
            situation=SituationCategory.LOST_INCOME,
            payout_method=PayoutMethod.BANK_ACCOUNT,
            bank_bin="970436",
            account_number="0123456789",
            account_hash=keyed_hash("account", "970436:0123456789"),
            holder_name="NGUYEN VAN AN",
            holder_matches_applicant=True,
            consent_to_publish=True,
        )
        await cash_ledger.open_need(session, need)
        await cash_ledger.open_need(session, need)  # a retried step records it once
        if publish:
            await cash_ledger.set_need_state(session, request_id, NeedState.PUBLISHED, NOW)
    return request_id


async def a_helper() -> uuid.UUID:
    async with transaction() as session:
        phone = f"+8491{uuid.uuid4().int % 10**7:07d}"
        helper = CommunityHelper(kind="person", phone_hash=keyed_hash("phone", phone), phone=phone, display_name="An")
        session.add(helper)
        await session.flush()
        return helper.id
