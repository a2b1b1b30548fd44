"""Emergencies reach people through the notifications' outbox: an unclaimed one the ward's officials and the city's
SOS team, its poster as it is taken and fulfilled (in the language of the page they posted from), once per step
even when the step's activity runs again; a notification is about one subject only."""

import asyncio
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from temporalio import activity
from temporalio.client import Client
from temporalio.exceptions import ApplicationError
from temporalio.testing import WorkflowEnvironment

from activities import emergency as acts
from common.city_time import vn_time
from db.base import transaction
from db.notifications import Notification
from domain import names
from domain.emergency import EMERGENCY_POLICY, EmergencyEvent, EmergencyState
from domain.emergency_messages import EmergencyAnswer, EmergencyStep
from domain.names import emergency_workflow_id
from services.emergency_notices import AUDIENCES, notice_key
from tests.emergency_fixtures import V, a_phone, emergency_app, post, result, row, world
from tests.factories import WARD
from tests.pledge_fixtures import a_helper
from tests.sms import last_code_sent_to
from tests.temporal_helpers import worker_replacing
from tests.test_emergency_pages import DETAILS, NONCE, cookies
from tests.test_emergency_rules import an_open_emergency
from tests.trust_fixtures import in_process
from texts import CATALOGUE, Text, text
from web.csrf import form_token

pytestmark = pytest.mark.timeout(180)
__all__ = ["world"]


async def notices(emergency_id: uuid.UUID) -> list[tuple[str, str, str | None, str]]:
    async with transaction() as session:
        rows = await session.scalars(
            select(Notification)
            .where(Notification.emergency_id == emergency_id)
            .order_by(Notification.seq, Notification.audience)
        )
        return [(n.event, n.audience, n.unit_code, n.message) for n in rows]


async def escalated(client: Client, code: str) -> None:
    """Waits until the workflow has the escalation's answer (a claim sent while the step runs is refused Busy)."""
    handle = client.get_workflow_handle(emergency_workflow_id(code))
    for _ in range(300):
        if (await handle.describe()).typed_search_attributes.get(names.SA_OVERDUE):
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"emergency {code} was not escalated")


@pytest.mark.usefixtures("db")
async def test_escalation_and_the_posters_notices_are_stored_once_though_every_step_runs_twice(
    client: Client, temporal_env: WorkflowEnvironment
) -> None:
    ran: Counter[str] = Counter()

    @activity.defn(name="record_emergency_step")
    async def record_then_lose_the_answer_once(step: EmergencyStep) -> EmergencyAnswer:
        answer = await acts.record_emergency_step(step)
        ran[step.event.value] += 1
        if ran[step.event.value] == 1:  # written, but the answer never reached the workflow: it runs the step again
            raise ApplicationError("the answer was lost on its way back")
        return answer

    async with worker_replacing(client, {"record_emergency_step": record_then_lose_the_answer_once}) as queue:
        app, settings = emergency_app(client, queue)
        async for http in in_process(app):
            phone = a_phone()
            answer = await post(http, phone=phone, lang="en")
            assert answer.status_code == 201, answer.text
            code = answer.json()["code"]
            emergency = await row(code)
            await temporal_env.sleep(EMERGENCY_POLICY.escalate_after + timedelta(minutes=1))
            await escalated(client, code)
            _, helper = await a_helper(settings)
            assert (await http.post(f"{V}/emergencies/{code}/claim", headers=helper)).json() == {"state": "claimed"}
            done = await http.post(f"{V}/emergencies/{code}/fulfilment", json={"note": "đã mang sữa"}, headers=helper)
            assert done.json() == {"state": "fulfilled"}, done.text
            token = answer.json()["follow_token"]
            confirmed = await http.post(f"{V}/emergencies/{code}/confirmation", json={"token": token})
            assert confirmed.json() == {"state": "confirmed"}, confirmed.text
            assert await result(client, code) == EmergencyState.CONFIRMED
    assert ran == {"escalated": 2, "claimed": 2, "fulfilled": 2, "confirmed": 2}
    values: dict[str, Any] = {
        "code": code, "category": Text("sos.category.infant_milk"), "urgency": Text("sos.urgency.now"),
        "ward": "Phường Bến Nghé, Quận 1", "posted": vn_time(emergency.created_at),
    }  # fmt: skip
    found = await notices(emergency.id)
    assert [(event, audience, unit) for event, audience, unit, _ in found] == [
        ("emergency_escalated", "city", "79"),  # the SOS team: the city's officials
        ("emergency_escalated", "ward", WARD),
        ("emergency_claimed", "poster", None),
        ("emergency_fulfilled", "poster", None),
    ]
    # The staff read Vietnamese; the poster the language they posted in.
    assert [message for *_, message in found] == [
        text("vi", "sos_notice.escalated.city", **values),
        text("vi", "sos_notice.escalated.ward", **values),
        text("en", "sos_notice.claimed.poster", code=code),
        text("en", "sos_notice.fulfilled.poster", code=code),
    ]
    for *_, message in found:  # nobody's phone, address or description
        assert phone[3:] not in message and "Lê Lợi" not in message and "cách ly" not in message


def test_every_notice_of_an_emergency_has_its_words() -> None:
    keys = [notice_key(event, audience) for event, audiences in AUDIENCES.items() for audience in audiences]
    assert [k for k in keys if k not in CATALOGUE] == []
    assert EmergencyEvent.ESCALATED in AUDIENCES and EmergencyEvent.CONFIRMED not in AUDIENCES


@pytest.mark.usefixtures("db")
async def test_a_notification_is_about_one_subject_only() -> None:
    emergency_id = await an_open_emergency()
    async with transaction() as session:
        await session.execute(
            insert(Notification).values(
                id=uuid.uuid4(), emergency_id=emergency_id, seq=9, audience="poster", event="e", message="m",
                created_at=datetime.now(UTC),
            )
        )  # fmt: skip
    thread_and_emergency = {"thread_id": uuid.uuid4(), "emergency_id": emergency_id}
    with pytest.raises(IntegrityError, match="ck_notifications_one_subject"):
        async with transaction() as session:
            await session.execute(
                insert(Notification).values(
                    id=uuid.uuid4(), seq=10, audience="poster", event="e", message="m", created_at=datetime.now(UTC),
                    **thread_and_emergency,
                )
            )  # fmt: skip


async def test_the_poster_is_told_in_the_language_of_the_page_they_posted_from(world: Any) -> None:
    http, settings = world
    form = {"csrf_token": form_token(settings, NONCE), **DETAILS}
    english = {"Cookie": cookies()["Cookie"] + "; lang=en"}
    for headers, lang in ((english, "en"), (cookies(), "vi")):
        phone = a_phone()
        sent = await http.post("/khan-cap/moi", data={**form, "phone": phone}, headers=headers)
        assert sent.status_code == 200, sent.text
        code = await last_code_sent_to(phone)
        made = await http.post("/khan-cap/gui", data={**form, "phone": phone, "otp": code}, headers=headers)
        assert made.status_code == 303, made.text
        assert (await row(made.headers["location"].split("/khan-cap/")[1].split("?")[0])).poster_lang == lang
