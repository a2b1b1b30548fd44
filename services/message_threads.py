"""The database work of private messages: a subject's thread with a helper (opened once, whoever comes first), its
messages, reports and moderation, the throttled notice of a new message, and the retention purge.

Concurrency: a thread is unique per subject and helper (ON CONFLICT), a side's report is unique per thread (its
primary key), and a notice is decided by one UPDATE of the thread's throttle column, so two messages at once make
one notice.
"""

import uuid
from datetime import datetime, timedelta

from sqlalchemy import Select, func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from db.notifications import Notification
from db.private_messages import MessageReport, MessageThread, PrivateMessage
from domain.private_messages import Side, ThreadState
from services.message_parties import Parties
from texts import Text, text

# The notifications' audiences of each side (the same as a pledge's own messages).
AUDIENCE = {Side.HOUSEHOLD: "citizen", Side.HELPER: "helper"}


async def open_thread(session: AsyncSession, parties: Parties, lock: bool = False) -> MessageThread:
    """The subject's thread with the parties' helper, opened now if it has none."""
    await session.execute(
        insert(MessageThread)
        .values(
            id=uuid.uuid4(),
            subject_kind=parties.kind.value,
            subject_id=parties.subject_id,
            household_id=parties.household_id,
            helper_id=parties.helper_id,
            ward_code=parties.ward_code,
            district_code=parties.district_code,
        )
        .on_conflict_do_nothing(index_elements=["subject_kind", "subject_id", "helper_id"])
    )
    thread = await find(session, parties, lock)
    assert thread is not None
    return thread


async def find(session: AsyncSession, parties: Parties, lock: bool = False) -> MessageThread | None:
    query: Select[MessageThread] = select(MessageThread).where(
        MessageThread.subject_kind == parties.kind.value,
        MessageThread.subject_id == parties.subject_id,
        MessageThread.helper_id == parties.helper_id,
    )
    if lock:
        query = query.with_for_update()
    return (await session.execute(query.execution_options(populate_existing=True))).scalar_one_or_none()


async def reported_of(session: AsyncSession, parties: Parties, lock: bool = False) -> MessageThread | None:
    """The subject's reported thread (with any of its helpers), one still undecided first, else the latest."""
    query: Select[MessageThread] = (
        select(MessageThread)
        .where(
            MessageThread.subject_kind == parties.kind.value,
            MessageThread.subject_id == parties.subject_id,
            MessageThread.reported_at.is_not(None),
        )
        .order_by(MessageThread.moderation.is_not(None), MessageThread.reported_at.desc())
        .limit(1)
    )
    if lock:
        query = query.with_for_update()
    return (await session.execute(query.execution_options(populate_existing=True))).scalar_one_or_none()


async def messages(session: AsyncSession, thread_id: uuid.UUID, limit: int = 500) -> list[PrivateMessage]:
    """The thread's latest messages, oldest first."""
    latest = (
        select(PrivateMessage)
        .where(PrivateMessage.thread_id == thread_id)
        .order_by(PrivateMessage.created_at.desc(), PrivateMessage.id)
        .limit(limit)
    )
    return sorted((await session.scalars(latest)).all(), key=lambda m: m.created_at)


async def mark_read(session: AsyncSession, thread_id: uuid.UUID, reader: Side, now: datetime) -> None:
    await session.execute(
        update(PrivateMessage)
        .where(
            PrivateMessage.thread_id == thread_id,
            PrivateMessage.author == reader.other.value,
            PrivateMessage.read_at.is_(None),
        )
        .values(read_at=now)
        .execution_options(synchronize_session=False)
    )


async def add_message(session: AsyncSession, thread_id: uuid.UUID, author: Side, body: str) -> PrivateMessage:
    message = PrivateMessage(thread_id=thread_id, author=author.value, body=body)
    session.add(message)
    await session.flush()
    return message


async def notify(
    session: AsyncSession, thread_id: uuid.UUID, to: Side, label: Text, now: datetime, every: timedelta
) -> bool:
    """Stores a notice of a new message for `to` unless one was stored less than `every` ago; True if stored."""
    column = MessageThread.household_notified_at if to is Side.HOUSEHOLD else MessageThread.helper_notified_at
    seq = await session.scalar(
        update(MessageThread)
        .where(MessageThread.id == thread_id, (column.is_(None)) | (column <= now - every))
        .values({column.key: now, "notices": MessageThread.notices + 1})
        .returning(MessageThread.notices)
        .execution_options(synchronize_session=False)
    )
    if seq is None:
        return False
    session.add(
        Notification(
            thread_id=thread_id,
            seq=seq,
            audience=AUDIENCE[to],
            event="private_message",
            message=text("vi", "msg.notice", label=label),  # an SMS in the city's language
            created_at=now,
        )
    )
    return True


async def set_consent(session: AsyncSession, thread: MessageThread, side: Side, share: bool) -> None:
    if side is Side.HOUSEHOLD:
        thread.household_shares_phone = share
    else:
        thread.helper_shares_phone = share
    await session.flush()


async def block(session: AsyncSession, thread: MessageThread, side: Side, now: datetime) -> None:
    """Blocks an open thread (a blocked or closed one stays as it is)."""
    if thread.state == ThreadState.OPEN:
        thread.state, thread.blocked_by, thread.blocked_at = ThreadState.BLOCKED.value, side.value, now
        await session.flush()


async def report(
    session: AsyncSession, thread: MessageThread, side: Side, reason: str, now: datetime, to_moderate: int
) -> bool:
    """Records the side's report (False: it had reported already). Once the thread holds `to_moderate` reports it
    is on its ward's list again, even if a moderator had cleared it."""
    stored = await session.scalar(
        insert(MessageReport)
        .values(thread_id=thread.id, side=side.value, reason=reason, created_at=now)
        .on_conflict_do_nothing()
        .returning(MessageReport.side)
    )
    if stored is None:
        return False
    count = await session.scalar(select(func.count()).where(MessageReport.thread_id == thread.id))
    if (count or 0) >= to_moderate and thread.moderation != "closed":
        thread.reported_at, thread.moderation, thread.moderated_by, thread.moderated_at = now, None, None, None
    await session.flush()
    return True


async def reports(session: AsyncSession, thread_id: uuid.UUID) -> list[MessageReport]:
    return list(
        await session.scalars(
            select(MessageReport).where(MessageReport.thread_id == thread_id).order_by(MessageReport.created_at)
        )
    )


async def reported_in_ward(session: AsyncSession, ward_code: str, limit: int = 200) -> list[MessageThread]:
    """Threads on the ward's moderation list, longest waiting first."""
    return list(
        await session.scalars(
            select(MessageThread)
            .where(
                MessageThread.ward_code == ward_code,
                MessageThread.reported_at.is_not(None),
                MessageThread.moderation.is_(None),
            )
            .order_by(MessageThread.reported_at)
            .limit(limit)
        )
    )


async def purge(session: AsyncSession, subject_kind: str, subject_ids: Select[uuid.UUID]) -> None:
    """Retention: the subjects' threads lose their messages' text and their reports' reasons (who wrote when stays)
    and their notices' text."""
    threads = select(MessageThread.id).where(
        MessageThread.subject_kind == subject_kind, MessageThread.subject_id.in_(subject_ids)
    )
    await session.execute(
        update(PrivateMessage)
        .where(PrivateMessage.thread_id.in_(threads), PrivateMessage.body.is_not(None))
        .values(body=None)
        .execution_options(synchronize_session=False)
    )
    await session.execute(
        update(MessageReport)
        .where(MessageReport.thread_id.in_(threads))
        .values(reason=None)
        .execution_options(synchronize_session=False)
    )
    await session.execute(
        update(Notification)
        .where(Notification.thread_id.in_(threads))
        .values(message="")
        .execution_options(synchronize_session=False)
    )
