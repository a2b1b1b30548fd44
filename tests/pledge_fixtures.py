"""A published cash need, helpers and the people around a pledge, and the app to reach them through the real HTTP
API (in-process, on the session's time-skipping Temporal with a worker, against the real database)."""

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select
from temporalio.client import Client

from common.keyed_hash import keyed_hash
from common.settings import Settings, get_settings
from db.base import transaction
from db.cash import CashNeed
from db.households import Household
from db.requests import ReliefRequest
from domain.cash import CashPolicy, NeedState, PayoutMethod, SituationCategory
from server import create_app
from services import cash_ledger, community_helpers
from services.cash_ledger import NewNeed
from tests.factories import DISTRICT, WARD
from tests.trust_fixtures import in_process
from usecases.trust.tokens import issue_citizen_token, issue_helper_token

ACCOUNT_NUMBER = "0071000123456"  # a Vietcombank account's shape (13 digits)
BANK_BIN = "970436"
HOLDER = "NGUYEN THI HOA"


@dataclass(frozen=True)
class Need:
    request_id: uuid.UUID
    request_code: str
    household_id: uuid.UUID
    ref: str  # the need's public reference


async def published_need(amount: int = 1_000_000, ward: str = WARD, district: str = DISTRICT) -> Need:
    request_id, code, now = uuid.uuid4(), uuid.uuid4().hex[:8].upper(), datetime.now(UTC)
    async with transaction() as session:
        household = Household(ward_code=ward, address="12 Lê Lợi", address_key="12 le loi", size=3)
        session.add(household)
        await session.flush()
        session.add(
            ReliefRequest(
                id=request_id, code=code, kind="cash_support", ward_code=ward, district_code=district,
                household_id=household.id, applicant_name="Nguyễn Thị Hoa", applicant_national_id_hash="h",
                applicant_phone_hash="p", applicant_phone="+84912345678", address="12 Lê Lợi", household_size=3,
                stage="awaiting_verification", registered_at=now, updated_at=now,
            )
        )  # fmt: skip
        await session.flush()
        await cash_ledger.open_need(
            session,
            NewNeed(
                request_id=request_id, household_id=household.id, ward_code=ward, district_code=district,
                amount_asked=amount, situation=SituationCategory.LOST_INCOME,
                payout_method=PayoutMethod.BANK_ACCOUNT, bank_bin=BANK_BIN, account_number=ACCOUNT_NUMBER,
                account_hash=keyed_hash("account", f"{BANK_BIN}:{ACCOUNT_NUMBER}"), holder_name=HOLDER,
                holder_matches_applicant=True, consent_to_publish=True,
            ),
        )  # fmt: skip
        await cash_ledger.set_need_state(session, request_id, NeedState.PUBLISHED, now)
        ref = await session.scalar(select(CashNeed.public_ref).where(CashNeed.request_id == request_id))
        assert ref is not None
        return Need(request_id, code, household.id, ref)


async def a_helper(settings: Settings) -> tuple[uuid.UUID, dict[str, str]]:
    from domain.cash import HelperKind

    phone = f"+8491{uuid.uuid4().int % 10**7:07d}"
    async with transaction() as session:
        helper_id = await community_helpers.signed_in(session, phone, HelperKind.PERSON, "Chị Lan")
    return helper_id, {"Authorization": f"Bearer {issue_helper_token(settings, helper_id)}"}


def household_headers(settings: Settings, household_id: uuid.UUID) -> dict[str, str]:
    return {"Authorization": f"Bearer {issue_citizen_token(settings, [household_id])}"}


def pledge_app(client: Client, queue: str, policy: CashPolicy | None = None) -> tuple[FastAPI, Settings]:
    settings = get_settings().model_copy(update={"task_queue": queue, "cash_policy": policy or CashPolicy()})
    app = create_app(settings)
    app.state.temporal = client
    return app, settings


async def api(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async for http in in_process(app):
        yield http


V = "/api/v1"


@pytest.fixture
async def world(client: Client, task_queue: str) -> AsyncIterator[tuple[httpx.AsyncClient, Any]]:
    app, settings = pledge_app(client, task_queue)
    async for http in in_process(app):
        yield http, settings


async def pledge(http: httpx.AsyncClient, headers: dict[str, str], need: Need, amount: Any) -> httpx.Response:
    return await http.post(f"{V}/cash-needs/{need.ref}/pledges", json={"amount_vnd": amount}, headers=headers)
