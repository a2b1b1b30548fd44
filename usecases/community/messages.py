"""Private messages between a subject's two parties (the household and the helper of a cash pledge; an emergency's
poster, by their follow link, and the helper who claimed it), and the ward's moderation of reported threads.

Who may write is the subject's: `services.message_parties` names the two sides of each kind; anyone else gets
NotFound, as for a missing subject. Bad input is refused field by field before anything is written: an empty or
too long body, a message to a closed thread, a second report. Each side's messages are rate-limited per minute and
per hour (RateLimited says when to send again). The other side is told of a new message through the notifications'
outbox, at most once per `notify_every` per thread, never with the text or a phone number. A subject that lets its
sides write no more (an emergency's claim released, the emergency ended) keeps its thread readable and closed.

Phone numbers: a side's number is shown to the other only while both sides agree; each reading is audited. The
ward's officials read a reported thread of their ward only, each reading audited before the text is returned.
"""

from datetime import UTC, datetime

from db.private_messages import MessageThread, PrivateMessage
from domain.private_messages import Moderation, Side, SubjectKind, ThreadState
from domain.roles import Role
from services import message_parties, message_threads, rate_limits
from services.message_parties import Parties
from texts import Text
from usecases.context import Context
from usecases.emergency.follow_tokens import opens
from usecases.errors import InvalidInput, NotFound
from usecases.principal import Principal, poster_principal
from usecases.schemas.private_messages import (
    ConsentBody,
    MessageBody,
    MessageView,
    ModeratedThread,
    ModerationBody,
    ReportBody,
    ReportedThread,
    ReportView,
    ThreadView,
)

_NO_THREAD = Text("msg.err.no_thread")


# --- the two sides -------------------------------------------------------------------------------------------


def emergency_caller(ctx: Context, principal: Principal | None, code: str, token: str | None) -> Principal:
    """Who speaks in an emergency's thread: its poster when the follow link's token opens it (whoever is signed in),
    else the caller's session (a helper who claimed it); nobody else."""
    if token and opens(ctx.settings, code, token):
        return poster_principal(code)
    if principal is None:
        raise NotFound(_NO_THREAD)
    return principal


async def thread(ctx: Context, principal: Principal, kind: SubjectKind, key: str) -> ThreadView:
    """The side's thread (opened on first sight); the other side's messages are marked read."""
    parties, side = await _party(ctx, principal, kind, key)
    found = await message_threads.open_thread(ctx.session, parties)
    await message_threads.mark_read(ctx.session, found.id, side, datetime.now(UTC))
    return await _view(ctx, principal, parties, found, side)


async def post(ctx: Context, principal: Principal, kind: SubjectKind, key: str, body: MessageBody) -> ThreadView:
    parties, side = await _party(ctx, principal, kind, key)
    policy, text = ctx.settings.message_policy, body.body
    if not text:
        raise InvalidInput.field("body", "empty", Text("msg.err.body_empty"))
    if len(text) > policy.max_length:
        raise InvalidInput.field("body", "too_long", Text("msg.err.body_too_long", max=policy.max_length), len(text))
    found = await message_threads.open_thread(ctx.session, parties, lock=True)
    if found.state != ThreadState.OPEN or not parties.live:
        raise InvalidInput.field("body", "thread_closed", Text("msg.err.thread_closed"))
    sender = parties.sender(side)
    await rate_limits.hit(
        ("message_minute", sender, policy.per_minute), ("message_hour", sender, policy.per_hour)
    )  # its own transaction; our thread's lock waits in this one
    now = datetime.now(UTC)
    await message_threads.add_message(ctx.session, found.id, side, text)
    await message_threads.notify(ctx.session, found.id, side.other, parties.label, now, policy.notify_every)
    await ctx.auditor(principal).record("message_sent", unit=_unit(parties), thread=str(found.id), side=side.value)
    return await _view(ctx, principal, parties, found, side)


async def consent(ctx: Context, principal: Principal, kind: SubjectKind, key: str, body: ConsentBody) -> ThreadView:
    """The side agrees to show its phone number to the other (or withdraws)."""
    parties, side = await _party(ctx, principal, kind, key)
    found = await message_threads.open_thread(ctx.session, parties, lock=True)
    await message_threads.set_consent(ctx.session, found, side, body.share)
    await ctx.auditor(principal).record(
        "message_phone_consent", unit=_unit(parties), thread=str(found.id), side=side.value, share=body.share
    )
    return await _view(ctx, principal, parties, found, side)


async def block(ctx: Context, principal: Principal, kind: SubjectKind, key: str) -> ThreadView:
    """No more messages either way; the other side reads only that the conversation is closed."""
    parties, side = await _party(ctx, principal, kind, key)
    found = await message_threads.open_thread(ctx.session, parties, lock=True)
    await message_threads.block(ctx.session, found, side, datetime.now(UTC))
    await ctx.auditor(principal).record("message_thread_blocked", unit=_unit(parties), thread=str(found.id))
    return await _view(ctx, principal, parties, found, side)


async def report(ctx: Context, principal: Principal, kind: SubjectKind, key: str, body: ReportBody) -> ThreadView:
    parties, side = await _party(ctx, principal, kind, key)
    policy = ctx.settings.message_policy
    if not body.reason:
        raise InvalidInput.field("reason", "empty", Text("msg.err.reason_empty"))
    if len(body.reason) > policy.max_length:
        raise InvalidInput.field(
            "reason", "too_long", Text("msg.err.reason_too_long", max=policy.max_length), len(body.reason)
        )
    found = await message_threads.open_thread(ctx.session, parties, lock=True)
    stored = await message_threads.report(
        ctx.session, found, side, body.reason, datetime.now(UTC), policy.reports_to_moderate
    )
    if not stored:
        await ctx.session.rollback()
        raise InvalidInput.field("reason", "already_reported", Text("msg.err.already_reported"))
    await ctx.auditor(principal).record("message_thread_reported", unit=_unit(parties), thread=str(found.id))
    return await _view(ctx, principal, parties, found, side)


# --- the ward's moderators -----------------------------------------------------------------------------------


async def reported(ctx: Context, principal: Principal) -> list[ReportedThread]:
    """The ward's reported threads not yet decided, longest waiting first: nothing of their messages."""
    if principal.role != Role.WARD_OFFICIAL or principal.ward_code is None:
        return []
    rows = await message_threads.reported_in_ward(ctx.session, principal.ward_code)
    answer = []
    for row in rows:
        key = await message_parties.subject_key(ctx.session, SubjectKind(row.subject_kind), row.subject_id)
        reports = await message_threads.reports(ctx.session, row.id)
        assert row.reported_at is not None
        answer.append(
            ReportedThread(
                subject_kind=SubjectKind(row.subject_kind),
                subject_key=key,
                reported_at=row.reported_at,
                reports=len(reports),
                state=row.state,
            )
        )
    return answer


async def moderated_thread(ctx: Context, principal: Principal, kind: SubjectKind, key: str) -> ModeratedThread:
    """A reported thread of the official's ward, both sides' messages and the reports; the reading is audited
    before anything is returned."""
    parties, found = await _moderated(ctx, principal, kind, key)
    await ctx.auditor(principal).record("message_thread_read", unit=_unit(parties), thread=str(found.id))
    reports = await message_threads.reports(ctx.session, found.id)
    return ModeratedThread(
        subject_kind=kind,
        subject_key=parties.key,
        state=found.state,
        moderation=Moderation(found.moderation) if found.moderation else None,
        reports=[ReportView(side=Side(r.side), reason=r.reason, reported_at=r.created_at) for r in reports],
        messages=[_message(m, None) for m in await message_threads.messages(ctx.session, found.id)],
    )


async def moderate(
    ctx: Context, principal: Principal, kind: SubjectKind, key: str, body: ModerationBody
) -> ModeratedThread:
    """Closes the thread for good, or clears it (it goes on). Decided once: a later report puts it back."""
    parties, found = await _moderated(ctx, principal, kind, key, lock=True)
    if found.moderation is not None:
        raise InvalidInput.field("outcome", "already_decided", Text("msg.err.already_decided"))
    found.moderation, found.moderated_by, found.moderated_at = body.outcome.value, principal.user_id, datetime.now(UTC)
    if body.outcome is Moderation.CLOSED:
        found.state = ThreadState.CLOSED.value
    await ctx.auditor(principal).record(
        "message_thread_moderated", unit=_unit(parties), thread=str(found.id), outcome=body.outcome.value
    )
    return await moderated_thread(ctx, principal, kind, key)


# --- shared --------------------------------------------------------------------------------------------------


async def _party(ctx: Context, principal: Principal, kind: SubjectKind, key: str) -> tuple[Parties, Side]:
    asking = principal.helper_id if principal.role == Role.COMMUNITY_HELPER else None
    parties = await message_parties.parties(ctx.session, kind, key, asking)
    side = _side(principal, parties) if parties is not None else None
    if parties is None or side is None:
        raise NotFound(_NO_THREAD)
    return parties, side


def _side(principal: Principal, parties: Parties) -> Side | None:
    if principal.follows_emergency is not None:
        return Side.HOUSEHOLD if principal.follows_emergency == parties.poster_key is not None else None
    if principal.role == Role.CITIZEN and parties.household_id in principal.household_ids:
        # A registration's token opens its own request only.
        return Side.HOUSEHOLD if principal.request_code in (None, parties.request_code) else None
    if principal.role == Role.COMMUNITY_HELPER and principal.helper_id == parties.helper_id is not None:
        return Side.HELPER
    return None


async def _moderated(
    ctx: Context, principal: Principal, kind: SubjectKind, key: str, lock: bool = False
) -> tuple[Parties, MessageThread]:
    """A thread that was reported, in the official's own ward; anything else is not found."""
    parties = await message_parties.parties(ctx.session, kind, key)
    found = await message_threads.reported_of(ctx.session, parties, lock) if parties is not None else None
    if (
        parties is None
        or found is None
        or found.reported_at is None
        or principal.role != Role.WARD_OFFICIAL
        or principal.ward_code != found.ward_code
    ):
        raise NotFound(_NO_THREAD)
    return parties, found


async def _view(ctx: Context, principal: Principal, parties: Parties, found: MessageThread, side: Side) -> ThreadView:
    mine = found.household_shares_phone if side is Side.HOUSEHOLD else found.helper_shares_phone
    theirs = found.helper_shares_phone if side is Side.HOUSEHOLD else found.household_shares_phone
    rows = await message_threads.messages(ctx.session, found.id)
    reports = await message_threads.reports(ctx.session, found.id)
    view = ThreadView(
        subject_kind=parties.kind,
        subject_key=parties.key,
        my_side=side,
        open=found.state == ThreadState.OPEN and parties.live,
        i_blocked=found.blocked_by == side.value,
        i_reported=any(r.side == side.value for r in reports),
        i_share_phone=mine,
        other_shares_phone=theirs,
        other_phone=None,
        other_name=await message_parties.helper_name(ctx.session, parties) if side is Side.HOUSEHOLD else None,
        max_length=ctx.settings.message_policy.max_length,
        messages=[_message(m, side) for m in rows],
    )
    if not (mine and theirs and parties.live):  # a finished claim's helper no longer reaches the poster
        await ctx.session.commit()
        return view
    await ctx.auditor(principal).record("message_phone_read", unit=_unit(parties), thread=str(found.id))
    phone = await message_parties.phone_of(ctx.session, parties, side.other)
    return view.model_copy(update={"other_phone": phone or None})


def _message(row: PrivateMessage, reader: Side | None) -> MessageView:
    author = Side(row.author)
    return MessageView(author=author, mine=author is reader, body=row.body, sent_at=row.created_at, read_at=row.read_at)


def _unit(parties: Parties) -> tuple[str, str]:
    return parties.ward_code, parties.district_code
