"""Stored notifications reach the provider once each, in order, and none is lost when the provider fails."""

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime

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
        self.sent: list[tuple[int, str]] = []
        self.failing = False

    async def send(self, notification: Notification) -> None:
        if self.failing:
            raise ConnectionError("the SMS gateway is down")
        self.sent.append((notification.seq, notification.audience))


@pytest.fixture
def provider() -> Iterator[Recorder]:
    recorder = Recorder()
    notifier.set_provider(recorder)
    yield recorder
    notifier.set_provider(notifier.LoggingProvider())


async def _request_with_messages() -> uuid.UUID:
    """A request whose verification was asked for (a citizen and a ward message) and then escalated."""
    inp = RequestInput(
        request_id=uuid.uuid4(), code="NOTE0001", kind=RequestKind.FOOD_BAG, ward_code=WARD,
        district_code=DISTRICT, applicant=applicant(), policy=Policy(),
    )  # fmt: skip
    now = datetime.now(UTC)
    async with transaction() as session:
        await register_request(session, inp, now)
        await apply_transition(
            session,
            Transition(
                request_id=inp.request_id, seq=2, at=now, stage=Stage.AWAITING_VERIFICATION,
                event=EventType.VERIFICATION_REQUESTED, deadline_at=now, notify_citizen=True, notify_staff=True,
            ),
        )  # fmt: skip
    return inp.request_id


async def _unsent(request_id: uuid.UUID) -> int:
    async with transaction() as session:
        rows = await session.scalars(
            select(Notification).where(Notification.request_id == request_id, Notification.sent_at.is_(None))
        )
        return len(rows.all())


async def test_each_notification_is_sent_once_in_order(db: None, provider: Recorder) -> None:
    request_id = await _request_with_messages()
    assert await _unsent(request_id) == 2

    await notifier.deliver_pending(request_id)
    await notifier.deliver_pending(request_id)  # a retried activity sends nothing twice

    assert provider.sent == [(2, "citizen"), (2, "ward")]
    assert await _unsent(request_id) == 0


async def test_a_failing_provider_leaves_messages_for_the_next_step(db: None, provider: Recorder) -> None:
    request_id = await _request_with_messages()
    provider.failing = True
    with pytest.raises(ConnectionError):
        await notifier.deliver_pending(request_id)
    assert await _unsent(request_id) == 2, "a message the provider never took was marked sent"

    provider.failing = False
    await notifier.deliver_pending(request_id)
    assert provider.sent == [(2, "citizen"), (2, "ward")]
    assert await _unsent(request_id) == 0
