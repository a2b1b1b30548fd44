"""Stored notifications reach the provider through the dispatchers: once each, in each request's order, none
lost when the provider fails or a dispatcher dies, and no transaction open while the provider works, so a slow
gateway holds back neither the database nor another dispatcher."""

import asyncio
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, text, update

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
        self.sent: list[tuple[uuid.UUID | None, int, str]] = []
        self.failing: set[uuid.UUID] = set()  # requests whose messages the gateway refuses for now

    async def send(self, notification: Notification) -> None:
        if notification.subject_id in self.failing:
            raise ConnectionError("the SMS gateway is down")
        await asyncio.sleep(0)  # a real gateway answers later: another dispatcher could run meanwhile
        self.sent.append((notification.subject_id, notification.seq, notification.audience))


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
    for request in requests:
        assert [m for m in provider.sent if m[0] == request] == _messages(request), "messages out of order"


class SlowGateway(Recorder):
    """Answers one request's messages only when let go, and counts, at each send, the transactions the rest of
    the system has open."""

    def __init__(self, slow: uuid.UUID) -> None:
        super().__init__()
        self.slow = slow
        self.sending_slowly = asyncio.Event()
        self.let_go = asyncio.Event()
        self.open_transactions: list[int] = []

    async def send(self, notification: Notification) -> None:
        async with transaction() as session:
            self.open_transactions.append(
                await session.scalar(
                    text(
                        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                        "AND backend_type = 'client backend' AND pid <> pg_backend_pid() AND xact_start IS NOT NULL"
                    )
                )
            )
        if notification.request_id == self.slow:
            self.sending_slowly.set()
            await self.let_go.wait()
        await super().send(notification)


async def test_a_slow_gateway_holds_no_transaction_and_no_other_dispatcher(db: None) -> None:
    slow, other = await _request_with_messages("NOTE0001"), await _request_with_messages("NOTE0002")
    gateway = SlowGateway(slow)
    notifier.set_provider(gateway)
    first = asyncio.create_task(notifier.dispatch_batch(limit=2))  # the oldest two: the slow request's
    try:
        await asyncio.wait_for(gateway.sending_slowly.wait(), 30)
        assert gateway.open_transactions == [0], "a transaction stays open while the provider works"

        # The other request's messages go meanwhile; the slow request's later ones wait for its first.
        assert await asyncio.wait_for(notifier.dispatch_batch(), 30) == (4, 0), "a slow send held the others"
        assert gateway.sent == _messages(other)
        gateway.let_go.set()
        assert await first == (2, 0)
        assert await notifier.dispatch_batch() == (2, 0)
    finally:
        gateway.let_go.set()
        await first
        notifier.set_provider(notifier.LoggingProvider())
    assert gateway.sent == _messages(other) + _messages(slow)
    assert gateway.open_transactions == [0] * 8, "a transaction stayed open while the provider worked"


async def test_a_dead_dispatchers_batch_is_sent_by_another_once_its_lease_runs_out(
    db: None, provider: Recorder
) -> None:
    request = await _request_with_messages("NOTE0001")
    await notifier.claim_batch(limit=500)  # and the dispatcher dies before sending any of it

    assert await notifier.dispatch_batch() == (0, 0), "a live lease was taken over"
    async with transaction() as session:  # the lease's minute passes
        await session.execute(update(Notification).values(claimed_until=datetime.now(UTC) - timedelta(seconds=1)))

    assert await notifier.dispatch_batch() == (4, 0)
    assert provider.sent == _messages(request)
    assert await _unsent() == 0


async def test_the_background_dispatcher_sends_what_steps_store(db: None, provider: Recorder) -> None:
    async with notifier.dispatching(pause=0.05):
        request = await _request_with_messages("NOTE0001")
        for _ in range(100):
            if not await _unsent():
                break
            await asyncio.sleep(0.05)
    assert provider.sent == _messages(request)


async def test_a_dispatcher_whose_lease_ran_out_leaves_the_rest_to_the_one_that_took_it(db: None) -> None:
    request = await _request_with_messages("NOTE0001")

    class StalledGateway(Recorder):
        """Its first answer comes after the lease has run out and another dispatcher has taken the batch."""

        def __init__(self) -> None:
            super().__init__()
            self.stalled = False
            self.other_dispatcher: tuple[int, int] | None = None

        async def send(self, notification: Notification) -> None:
            if not self.stalled:
                self.stalled = True  # once: the other dispatcher's sends come through here too
                self.other_dispatcher = await notifier.dispatch_batch()
            await super().send(notification)

    gateway = StalledGateway()
    notifier.set_provider(gateway)
    try:
        # A lease of zero has run out by the time the first message is handed over.
        assert await notifier.dispatch_batch(lease=timedelta(0)) == (1, 3)
    finally:
        notifier.set_provider(notifier.LoggingProvider())
    assert gateway.other_dispatcher == (4, 0)
    # The message in the stalled hand was sent twice (at least once); the rest once, by the one that took them.
    first, *rest = _messages(request)
    assert sorted(gateway.sent) == sorted([first, first, *rest])
    assert await _unsent() == 0
