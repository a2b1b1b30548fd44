"""Private messages about a pledge, through the real HTTP API: the household and the helper talk both ways with
their phone numbers hidden until both agree (and hidden again when one withdraws); a block closes the thread both
ways without telling the blocked side who; a report goes to the ward's moderators of the household's ward only,
whose every reading is audited; bad input is refused naming the field and writes nothing; sending is rate-limited;
notices of new messages are throttled and carry no text or phone; bodies are encrypted at rest and append-only."""

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import ColumnElement, func, select, text
from sqlalchemy.exc import DBAPIError
from temporalio.client import Client

from common.limits import Limit
from common.settings import Settings, get_settings
from db.audit import AuditEntry
from db.base import transaction
from db.cash import CommunityHelper, Pledge
from db.notifications import Notification
from db.private_messages import MessageReport, MessageThread, PrivateMessage
from domain.private_messages import MessagePolicy
from domain.roles import Role
from server import create_app
from services import cash_ledger
from tests.factories import OTHER_WARD_SAME_DISTRICT, WARD, make_staff
from tests.pledge_fixtures import V, a_helper, household_headers, published_need
from tests.trust_fixtures import in_process
from texts import text as words
from usecases.trust.tokens import issue_staff_token

pytestmark = pytest.mark.timeout(180)

HOUSEHOLD_PHONE = "+84912345678"  # tests.pledge_fixtures.published_need's applicant


@dataclass(frozen=True)
class Talk:
    http: httpx.AsyncClient
    settings: Settings
    code: str  # the pledge's
    household: dict[str, str]
    helper: dict[str, str]
    helper_phone: str

    def url(self, tail: str = "") -> str:
        return f"{V}/pledges/{self.code}/messages{tail}"


async def a_pledge(settings: Settings, ward: str = WARD) -> tuple[str, uuid.UUID, dict[str, str], dict[str, str]]:
    """A published need in `ward` and a pledge to it by a new helper: (code, helper, household's headers, helper's)."""
    need = await published_need(ward=ward)
    helper_id, helper = await a_helper(settings)
    code = f"M{uuid.uuid4().hex[:9].upper()}"
    async with transaction() as session:
        await cash_ledger.pledge(session, code, need.request_id, helper_id, 100_000)
    return code, helper_id, household_headers(settings, need.household_id), helper


async def _talk(client: Client, task_queue: str, policy: MessagePolicy) -> AsyncIterator[Talk]:
    settings = get_settings().model_copy(update={"task_queue": task_queue, "message_policy": policy})
    app = create_app(settings)
    app.state.temporal = client
    code, helper_id, household, helper = await a_pledge(settings)
    async with transaction() as session:
        phone = await session.scalar(select(CommunityHelper.phone).where(CommunityHelper.id == helper_id))
    assert phone is not None
    async for http in in_process(app):
        yield Talk(http, settings, code, household, helper, phone)


@pytest.fixture
async def talk(client: Client, task_queue: str) -> AsyncIterator[Talk]:
    async for t in _talk(client, task_queue, MessagePolicy()):
        yield t


def digits(e164: str) -> str:
    return e164.removeprefix("+84")


def no_phone(answer: httpx.Response, *phones: str) -> bool:
    return not any(digits(p) in answer.text for p in phones)


async def _thread_of(code: str) -> uuid.UUID:
    async with transaction() as session:
        thread = await session.scalar(
            select(MessageThread.id).join(Pledge, Pledge.id == MessageThread.subject_id).where(Pledge.code == code)
        )
    assert thread is not None
    return thread


def _about(thread: uuid.UUID) -> ColumnElement[bool]:
    """Audit entries about the thread (the database holds other tests' too)."""
    return AuditEntry.detail["thread"].astext == str(thread)


async def stored(code: str) -> tuple[int, int]:
    """(messages, reports) about the pledge in the database."""
    threads = select(MessageThread.id).join(Pledge, Pledge.id == MessageThread.subject_id).where(Pledge.code == code)
    async with transaction() as session:
        messages = await session.scalar(select(func.count()).where(PrivateMessage.thread_id.in_(threads)))
        reports = await session.scalar(select(func.count()).where(MessageReport.thread_id.in_(threads)))
    return int(messages or 0), int(reports or 0)


async def test_a_conversation_both_ways_with_phones_shown_only_while_both_agree(talk: Talk) -> None:
    t, phones = talk, (HOUSEHOLD_PHONE, talk.helper_phone)
    opened = await t.http.get(t.url(), headers=t.household)
    assert opened.status_code == 200, opened.text
    assert opened.json()["messages"] == [] and opened.json()["other_name"] == "Chị Lan"
    sent = await t.http.post(t.url(), json={"body": "Cảm ơn anh chị đã giúp nhà em"}, headers=t.household)
    assert sent.status_code == 201, sent.text
    read = await t.http.get(t.url(), headers=t.helper)
    [message] = read.json()["messages"]
    assert (
        message["body"] == "Cảm ơn anh chị đã giúp nhà em" and not message["mine"] and message["author"] == "household"
    )
    reply = await t.http.post(t.url(), json={"body": "Không có gì, chúc nhà mình mạnh khỏe"}, headers=t.helper)
    assert reply.status_code == 201
    seen = (await t.http.get(t.url(), headers=t.household)).json()["messages"]
    assert [m["mine"] for m in seen] == [True, False] and seen[0]["read_at"] is not None  # the helper read it
    for answer in (opened, sent, read, reply):
        assert answer.json()["other_phone"] is None and no_phone(answer, *phones)

    agreed = await t.http.post(t.url("/phone-consent"), json={"share": True}, headers=t.household)
    assert agreed.json()["i_share_phone"] and agreed.json()["other_phone"] is None
    one_side = await t.http.get(t.url(), headers=t.helper)
    assert one_side.json()["other_shares_phone"] and one_side.json()["other_phone"] is None
    assert no_phone(one_side, *phones)  # one side's consent shows nothing yet
    both = await t.http.post(t.url("/phone-consent"), json={"share": True}, headers=t.helper)
    assert both.json()["other_phone"] == HOUSEHOLD_PHONE
    assert (await t.http.get(t.url(), headers=t.household)).json()["other_phone"] == t.helper_phone
    withdrawn = await t.http.post(t.url("/phone-consent"), json={"share": False}, headers=t.household)
    assert withdrawn.json()["other_phone"] is None and no_phone(withdrawn, t.helper_phone)
    again = await t.http.get(t.url(), headers=t.helper)
    assert again.json()["other_phone"] is None and no_phone(again, HOUSEHOLD_PHONE)
    async with transaction() as session:
        readings = await session.scalar(
            select(func.count()).where(AuditEntry.action == "message_phone_read", _about(await _thread_of(t.code)))
        )
    assert readings == 2  # each reading of a number is audited


async def test_someone_without_the_pledge_gets_404_and_bad_input_names_the_field(talk: Talk) -> None:
    t = talk
    _, stranger = await a_helper(t.settings)
    _, _, other_household, _ = await a_pledge(t.settings)
    for headers in (stranger, other_household):
        assert (await t.http.get(t.url(), headers=headers)).status_code == 404
        assert (await t.http.post(t.url(), json={"body": "chào"}, headers=headers)).status_code == 404
    assert (await t.http.get(f"{V}/pledges/NOSUCH/messages", headers=t.helper)).status_code == 404
    too_long = "a" * (t.settings.message_policy.max_length + 1)
    longest = t.settings.message_policy.max_length
    empty, too_long_words = words("vi", "msg.err.body_empty"), words("vi", "msg.err.body_too_long", max=longest)
    for body, kind, said in (("", "empty", empty), ("   ", "empty", empty), (too_long, "too_long", too_long_words)):
        refused = await t.http.post(t.url(), json={"body": body}, headers=t.household)
        assert refused.status_code == 422
        [problem] = refused.json()["detail"]
        assert problem["loc"] == ["body", "body"] and problem["type"] == kind and problem["msg"] == said
    empty_report = await t.http.post(t.url("/report"), json={"reason": ""}, headers=t.helper)
    assert empty_report.status_code == 422 and empty_report.json()["detail"][0]["loc"] == ["body", "reason"]
    assert await stored(t.code) == (0, 0)


async def test_a_block_closes_the_thread_both_ways_and_the_blocked_side_is_not_told_who(talk: Talk) -> None:
    t = talk
    await t.http.post(t.url(), json={"body": "Anh cho em xin số tài khoản khác"}, headers=t.helper)
    blocked = await t.http.post(t.url("/block"), json={}, headers=t.household)
    assert blocked.status_code == 200 and blocked.json()["open"] is False and blocked.json()["i_blocked"]
    for headers in (t.helper, t.household):
        refused = await t.http.post(t.url(), json={"body": "alo"}, headers=headers)
        assert refused.status_code == 422
        assert refused.json()["detail"][0]["loc"] == ["body", "body"]
        assert refused.json()["detail"][0]["type"] == "thread_closed"
    helper_view = (await t.http.get(t.url(), headers=t.helper)).json()
    assert helper_view["open"] is False and helper_view["i_blocked"] is False
    assert "blocked_by" not in helper_view and "household" not in str(helper_view["i_blocked"])
    assert await stored(t.code) == (1, 0)


async def test_reports_go_to_the_households_ward_only_and_each_reading_is_audited(talk: Talk) -> None:
    t = talk
    await t.http.post(t.url(), json={"body": "Gửi ảnh giấy tờ cho anh đi"}, headers=t.helper)
    ward = await make_staff(Role.WARD_OFFICIAL, WARD)
    other = await make_staff(Role.WARD_OFFICIAL, OTHER_WARD_SAME_DISTRICT)
    own = {"Authorization": f"Bearer {issue_staff_token(t.settings, ward.id, Role.WARD_OFFICIAL)}"}
    elsewhere = {"Authorization": f"Bearer {issue_staff_token(t.settings, other.id, Role.WARD_OFFICIAL)}"}
    moderated = f"{V}/moderation/pledges/{t.code}/messages"
    assert (await t.http.get(moderated, headers=own)).status_code == 404  # not reported: nobody's business

    reported = await t.http.post(t.url("/report"), json={"reason": "đòi ảnh giấy tờ tùy thân"}, headers=t.household)
    assert reported.status_code == 200 and reported.json()["i_reported"]
    twice = await t.http.post(t.url("/report"), json={"reason": "lần nữa"}, headers=t.household)
    assert twice.status_code == 422 and twice.json()["detail"][0]["type"] == "already_reported"
    assert twice.json()["detail"][0]["loc"] == ["body", "reason"]

    listed = await t.http.get(f"{V}/moderation/threads", headers=own)
    assert [r["subject_key"] for r in listed.json()] == [t.code] and "Gửi ảnh" not in listed.text
    assert (await t.http.get(f"{V}/moderation/threads", headers=elsewhere)).json() == []
    assert (await t.http.get(moderated, headers=elsewhere)).status_code == 404
    assert (
        await t.http.post(f"{moderated}/decision", json={"outcome": "closed"}, headers=elsewhere)
    ).status_code == 404
    opened = await t.http.get(moderated, headers=own)
    assert opened.status_code == 200
    assert [m["body"] for m in opened.json()["messages"]] == ["Gửi ảnh giấy tờ cho anh đi"]
    assert opened.json()["reports"][0]["reason"] == "đòi ảnh giấy tờ tùy thân"
    assert no_phone(opened, HOUSEHOLD_PHONE, t.helper_phone)
    async with transaction() as session:
        thread = _about(await _thread_of(t.code))
        audited = (
            await session.scalars(select(AuditEntry.actor_id).where(AuditEntry.action == "message_thread_read", thread))
        ).all()
    assert audited == [ward.id]

    closed = await t.http.post(f"{moderated}/decision", json={"outcome": "closed"}, headers=own)
    assert closed.status_code == 200 and closed.json()["state"] == "closed"
    again = await t.http.post(f"{moderated}/decision", json={"outcome": "cleared"}, headers=own)
    assert again.status_code == 422 and again.json()["detail"][0]["loc"] == ["body", "outcome"]
    assert (await t.http.get(f"{V}/moderation/threads", headers=own)).json() == []
    for headers in (t.helper, t.household):
        assert (await t.http.post(t.url(), json={"body": "alo"}, headers=headers)).status_code == 422


@pytest.fixture
async def strict(client: Client, task_queue: str) -> AsyncIterator[Talk]:
    policy = MessagePolicy(per_minute=Limit(count=2, window=timedelta(minutes=1)))
    async for t in _talk(client, task_queue, policy):
        yield t


async def test_too_many_messages_are_refused_with_when_to_send_again(strict: Talk) -> None:
    t = strict
    for n in range(2):
        assert (await t.http.post(t.url(), json={"body": f"tin {n}"}, headers=t.household)).status_code == 201
    refused = await t.http.post(t.url(), json={"body": "tin 3"}, headers=t.household)
    assert refused.status_code == 429 and 1 <= int(refused.headers["Retry-After"]) <= 60
    assert "giây" in refused.json()["detail"]
    assert (await t.http.post(t.url(), json={"body": "trả lời"}, headers=t.helper)).status_code == 201  # its own
    assert await stored(t.code) == (3, 0)


async def test_new_messages_are_told_once_per_thread_in_the_window_without_text_or_phone(talk: Talk) -> None:
    t = talk
    for n in range(3):
        await t.http.post(t.url(), json={"body": f"Bí mật số {n}"}, headers=t.household)
    await t.http.post(t.url(), json={"body": "Tôi đã đọc"}, headers=t.helper)
    thread = await _thread_of(t.code)
    async with transaction() as session:
        rows = (
            await session.execute(
                select(Notification.audience, Notification.message, Notification.seq)
                .where(Notification.thread_id == thread)
                .order_by(Notification.seq)
            )
        ).all()
    assert [(r.audience, r.seq) for r in rows] == [("helper", 1), ("citizen", 2)]
    for row in rows:
        assert row.message.startswith("Bạn có tin nhắn mới về cam kết hỗ trợ ANSINH " + t.code)
        assert "Bí mật" not in row.message and "Tôi đã đọc" not in row.message
        assert digits(HOUSEHOLD_PHONE) not in row.message and digits(t.helper_phone) not in row.message


async def test_bodies_and_reasons_are_encrypted_at_rest_and_messages_are_append_only(talk: Talk) -> None:
    t = talk
    await t.http.post(t.url(), json={"body": "Nhà em ở hẻm 42"}, headers=t.household)
    await t.http.post(t.url("/report"), json={"reason": "hỏi chuyện riêng"}, headers=t.helper)
    async with transaction() as session:
        thread = {"thread": await _thread_of(t.code)}
        body = await session.scalar(text("SELECT body FROM private_messages WHERE thread_id = :thread"), thread)
        reason = await session.scalar(text("SELECT reason FROM message_reports WHERE thread_id = :thread"), thread)
    assert body.startswith("enc:") and "hẻm" not in body
    assert reason.startswith("enc:") and "riêng" not in reason
    for statement in ("UPDATE private_messages SET author = 'helper'", "DELETE FROM private_messages"):
        with pytest.raises(DBAPIError, match="private message"):
            async with transaction() as session:
                await session.execute(text(f"{statement} WHERE thread_id = :thread"), thread)
