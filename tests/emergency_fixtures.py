"""Emergencies posted through the real HTTP API (in-process, on the session's time-skipping Temporal with a worker,
against the real database), and the people around them: helpers, ward officials, the SOS team."""

import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select
from temporalio.client import Client

from common.settings import Settings, get_settings
from db.base import transaction
from db.emergencies import Emergency, EmergencyEventRow
from domain.emergency import EmergencyPolicy, EmergencyState
from domain.emergency_messages import EmergencyAnswer
from domain.names import emergency_workflow_id
from domain.roles import Role
from server import create_app
from tests.factories import make_staff
from tests.sms import last_code_sent_to
from tests.trust_fixtures import in_process
from usecases.trust.tokens import issue_staff_token

V = "/api/v1"
# A point in Phường Bến Nghé (tests.factories.WARD), as a phone would give it.
BEN_NGHE_POINT = (10.776123, 106.701987)


def emergency_app(client: Client, queue: str, policy: EmergencyPolicy | None = None) -> tuple[FastAPI, Settings]:
    settings = get_settings().model_copy(
        update={"task_queue": queue, "emergency_policy": policy or EmergencyPolicy(), "otp_resend_seconds": 0}
    )
    app = create_app(settings)
    app.state.temporal = client
    return app, settings


@pytest.fixture
async def world(client: Client, task_queue: str) -> AsyncIterator[tuple[httpx.AsyncClient, Settings]]:
    app, settings = emergency_app(client, task_queue)
    async for http in in_process(app):
        yield http, settings


def a_phone() -> str:
    return f"+8490{uuid.uuid4().int % 10**7:07d}"


def post_body(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "category": "infant_milk",
        "urgency": "now",
        "description": "Cần sữa cho bé 2 tháng tuổi, mẹ đang cách ly",
        "ward_code": "26740",
        "address": "Hẻm 12 Lê Lợi, tầng 3",
        "latitude": BEN_NGHE_POINT[0],
        "longitude": BEN_NGHE_POINT[1],
    }
    body.update(changes)
    return {k: v for k, v in body.items() if v is not None}


async def post(http: httpx.AsyncClient, phone: str | None = None, **changes: Any) -> httpx.Response:
    """Asks for a code for the phone, reads it from the SMS outbox, and posts with it."""
    phone = phone or a_phone()
    sent = await http.post(f"{V}/emergencies/otp", json={"phone": phone})
    assert sent.status_code == 202, sent.text
    code = await last_code_sent_to(phone)
    return await http.post(f"{V}/emergencies", json={"phone": phone, "code": code, **post_body(**changes)})


async def posted(http: httpx.AsyncClient, **changes: Any) -> dict[str, Any]:
    answer = await post(http, **changes)
    assert answer.status_code == 201, answer.text
    made: dict[str, Any] = answer.json()
    return made


async def staff_headers(settings: Settings, role: Role, unit: str) -> dict[str, str]:
    staff = await make_staff(role, unit)
    return {"Authorization": f"Bearer {issue_staff_token(settings, staff.id, staff.role)}"}


async def result(client: Client, code: str) -> EmergencyState:
    handle = client.get_workflow_handle(emergency_workflow_id(code), result_type=EmergencyAnswer)
    return (await handle.result()).state


async def row(code: str) -> Emergency:
    async with transaction() as session:
        found = await session.scalar(select(Emergency).where(Emergency.code == code))
        assert found is not None
        return found


async def events(code: str) -> list[str]:
    async with transaction() as session:
        rows = await session.scalars(
            select(EmergencyEventRow.event)
            .join(Emergency, Emergency.id == EmergencyEventRow.emergency_id)
            .where(Emergency.code == code)
            .order_by(EmergencyEventRow.seq)
        )
        return list(rows)


async def emergency_count() -> int:
    async with transaction() as session:
        return int(await session.scalar(select(func.count()).select_from(Emergency)) or 0)
