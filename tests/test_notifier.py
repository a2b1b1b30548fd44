"""Stored notifications reach the provider through the dispatcher: once each, in each request's order, none
lost when the provider fails, and one dispatcher at a time however many workers run."""

import asyncio
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from db.base import transaction
from db.notifications import Notification
from domain.messages import RequestInput, Transition
from domain.policy import Policy
from domain.stages import EventType, RequestKind, Stage
from services import notifier
from services.admission import register_request
from services.transitions import apply_transition
from tests.factories import DISTRICT, WARD, applicant


class Recorder:
    def __init__(self) -> None:
        self.sent: list[tuple[uuid.UUID, int, str]] = []
        self.failing: set[uuid.UUID] = set()  # requests whose messages the gateway refuses for now

    async def send(self, notification: Notification) -> None:
        if notification.request_id in self.failing:
            raise ConnectionError("the SMS gateway is down")
        await asyncio.sleep(0)  # a real gateway answers later: another dispatcher could run meanwhile
        self.sent.append((notification.request_id, notification.seq, notification.audience))


@pytest.fixture
def provider() -> Iterator[Recorder]:
    recorder = Recorder()
    notifier.set_provider(recorder)
    yield recorder
    notifier.set_provider(notifier.LoggingProvider())


async def _request_with_messages(code: str) -> uuid.UUID:
    """A request whose verification was asked for (a citizen and a ward message) and then escalated (two more)."""
    inp = RequestInput(
        request_id=uuid.uuid4(), code=code, kind=RequestKind.FOOD_BAG, ward_code=WARD,
        district_code=DISTRICT, applicant=applicant(), policy=Policy(),
    )  # fmt: skip
    now = datetime.now(UTC)
    async with transaction() as session:
        await register_request(session, inp, now)
        for seq, event in ((2, EventType.VERIFICATION_REQUESTED), (3, EventType.ESCALATED)):
            await apply_transition(
                session,
                Transition(
                    request_id=inp.request_id, seq=seq, at=now + timedelta(seconds=seq), event=event,
                    stage=Stage.AWAITING_VERIFICATION, deadline_at=now, notify_citizen=True, notify_staff=True,
                ),
            )  # fmt: skip
    return inp.request_id


async def _unsent() -> int:
    async with transaction() as session:
        return len((await session.scalars(select(Notification).where(Notification.sent_at.is_(None)))).all())


def _messages(request: uuid.UUID) -> list[tuple[uuid.UUID, int, str]]:
    return [(request, 2, "citizen"), (request, 2, "ward"), (request, 3, "citizen"), (request, 3, "ward")]


async def test_each_notification_is_sent_once_in_order(db: None, provider: Recorder) -> None:
    first = await _request_with_messages("NOTE0001")
    assert await _unsent() == 4

    assert await notifier.dispatch_batch() == (4, 0)
    assert await notifier.dispatch_batch() == (0, 0)  # nothing is sent twice

    assert provider.sent == _messages(first)
    assert await _unsent() == 0


async def test_a_batch_takes_the_oldest_first_and_the_rest_follow(db: None, provider: Recorder) -> None:
    requests = [await _request_with_messages("NOTE0001"), await _request_with_messages("NOTE0002")]

    assert await notifier.dispatch_batch(limit=3) == (3, 0)
    assert await notifier.dispatch_batch(limit=3) == (3, 0)
    assert await notifier.dispatch_batch(limit=3) == (2, 0)

    assert sorted(provider.sent) == sorted(_messages(requests[0]) + _messages(requests[1]))
    for request in requests:
        assert [m for m in provider.sent if m[0] == request] == _messages(request), "messages out of order"


async def test_a_failing_provider_holds_that_requests_messages_and_loses_none(db: None, provider: Recorder) -> None:
    failing, working = await _request_with_messages("NOTE0001"), await _request_with_messages("NOTE0002")
    provider.failing = {failing}

    assert await notifier.dispatch_batch() == (4, 4)
    assert provider.sent == _messages(working), "another request's messages waited for a failing one"
    assert await _unsent() == 4, "a message the provider never took was marked sent"

    provider.failing = set()
    assert await notifier.dispatch_batch() == (4, 0)
    assert provider.sent == _messages(working) + _messages(failing)
    assert await _unsent() == 0


async def test_dispatchers_in_several_workers_send_each_message_once(db: None, provider: Recorder) -> None:
    requests = [await _request_with_messages(f"NOTE000{n}") for n in range(5)]

    async def worker_dispatching() -> None:
        while await _unsent():
            await notifier.dispatch_batch(limit=2)

    await asyncio.gather(*(worker_dispatching() for _ in range(4)))

    assert sorted(provider.sent) == sorted(m for request in requests for m in _messages(request))


async def test_the_background_dispatcher_sends_what_steps_store(db: None, provider: Recorder) -> None:
    async with notifier.dispatching(pause=0.05):
        request = await _request_with_messages("NOTE0001")
        for _ in range(100):
            if not await _unsent():
                break
            await asyncio.sleep(0.05)
    assert provider.sent == _messages(request)
