"""Private messages about an emergency, through the real HTTP API on the time-skipping server: the poster (by the
follow link's token, no account) and the helper who claimed it talk both ways with their phones hidden until both
agree; nobody else reads or writes (another helper, a wrong token, a staff claimer, a citizen's session); the
thread takes no new message once the claim is released or the emergency is closed, and the next claimer starts a
conversation of their own; a report goes to the emergency's ward's moderators only."""

from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select, text
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from common.limits import Limit
from db.audit import AuditEntry
from db.base import transaction
from db.cash import CommunityHelper
from db.emergencies import Emergency
from db.notifications import Notification
from db.private_messages import MessageThread, PrivateMessage
from domain.emergency import EMERGENCY_POLICY
from domain.private_messages import MessagePolicy
from domain.roles import Role
from server import create_app
from tests.emergency_fixtures import V, a_phone, emergency_app, post, staff_headers, world
from tests.factories import OTHER_WARD_SAME_DISTRICT, WARD, make_staff
from tests.pledge_fixtures import a_helper, household_headers, published_need
from tests.trust_fixtures import in_process
from texts import text as words
from usecases.trust.tokens import issue_staff_token

pytestmark = pytest.mark.timeout(180)
__all__ = ["world"]


class Sides:
    """A posted emergency claimed by a new helper: the poster's token and phone, the helper's headers and phone."""

    def __init__(self, http: httpx.AsyncClient, code: str, token: str, phone: str) -> None:
        self.http, self.code, self.token, self.poster_phone = http, code, token, phone

    def url(self, tail: str = "") -> str:
        return f"{V}/emergencies/{self.code}/messages{tail}"

    async def as_poster(self, method: str, tail: str = "", **kw: Any) -> httpx.Response:
        return await self.http.request(method, self.url(tail), params={"t": self.token}, **kw)


async def claimed(http: httpx.AsyncClient, settings: Any) -> tuple[Sides, dict[str, str], str]:
    phone = a_phone()
    made = (await post(http, phone)).json()
    sides = Sides(http, made["code"], made["follow_token"], phone)
    helper_id, helper = await a_helper(settings)
    claim = await http.post(f"{V}/emergencies/{sides.code}/claim", headers=helper)
    assert claim.json() == {"state": "claimed"}, claim.text
    async with transaction() as session:
        helper_phone = await session.scalar(select(CommunityHelper.phone).where(CommunityHelper.id == helper_id))
    assert helper_phone is not None
    return sides, helper, helper_phone


def digits(e164: str) -> str:
    return e164.removeprefix("+84")


async def stored(code: str) -> int:
    async with transaction() as session:
        threads = (
            select(MessageThread.id)
            .join(Emergency, Emergency.id == MessageThread.subject_id)
            .where(MessageThread.subject_kind == "emergency", Emergency.code == code)
        )
        return int(await session.scalar(select(func.count()).where(PrivateMessage.thread_id.in_(threads))) or 0)


async def test_the_poster_by_the_link_and_the_claiming_helper_talk_with_phones_hidden_until_both_agree(
    world: Any,
) -> None:
    http, settings = world
    phone = a_phone()
    made = (await post(http, phone)).json()
    early = Sides(http, made["code"], made["follow_token"], phone)
    assert (await early.as_poster("GET")).status_code == 404  # nobody claimed it: nobody to talk with
    s, helper, helper_phone = await claimed(http, settings)
    phones = (digits(s.poster_phone), digits(helper_phone))

    opened = await s.as_poster("GET")
    assert opened.status_code == 200, opened.text
    assert opened.json()["my_side"] == "household" and opened.json()["other_name"] == "Chị Lan"
    sent = await s.as_poster("POST", json={"body": "Bé đói lắm, anh tới trước 5 giờ được không?"})
    assert sent.status_code == 201, sent.text
    read = await http.get(s.url(), headers=helper)
    [message] = read.json()["messages"]
    assert message["author"] == "household" and not message["mine"] and read.json()["my_side"] == "helper"
    reply = await http.post(s.url(), json={"body": "Em tới lúc 4 giờ, mang 2 hộp sữa"}, headers=helper)
    assert reply.status_code == 201
    seen = (await s.as_poster("GET")).json()["messages"]
    assert [m["mine"] for m in seen] == [True, False] and seen[0]["read_at"] is not None
    for answer in (opened, sent, read, reply):
        assert answer.json()["other_phone"] is None and not any(p in answer.text for p in phones)

    one = await s.as_poster("POST", "/phone-consent", json={"share": True})
    assert one.json()["other_phone"] is None and not any(p in one.text for p in phones)
    both = await http.post(s.url("/phone-consent"), json={"share": True}, headers=helper)
    assert both.json()["other_phone"] == s.poster_phone
    assert (await s.as_poster("GET")).json()["other_phone"] == helper_phone

    async with transaction() as session:
        thread = await session.scalar(
            select(MessageThread.id)
            .join(Emergency, Emergency.id == MessageThread.subject_id)
            .where(Emergency.code == s.code)
        )
        body = await session.scalar(
            text("SELECT body FROM private_messages WHERE thread_id = :t LIMIT 1"), {"t": thread}
        )
        notices = (await session.execute(select(Notification.audience, Notification.message).where(
            Notification.thread_id == thread).order_by(Notification.seq))).all()  # fmt: skip
    assert body.startswith("enc:") and "sữa" not in body  # encrypted at rest
    assert [n.audience for n in notices] == ["helper", "citizen"]
    for notice in notices:
        assert notice.message == words("vi", "msg.notice", label=words("vi", "msg.subject.emergency", code=s.code))
        assert "sữa" not in notice.message and not any(p in notice.message for p in phones)


async def test_nobody_but_the_two_sides_reads_or_writes_and_nothing_is_written(world: Any) -> None:
    http, settings = world
    s, helper, _ = await claimed(http, settings)
    await s.as_poster("POST", json={"body": "Nhà em ở tầng 3"})
    _, stranger = await a_helper(settings)
    need = await published_need(ward=WARD)
    citizen = household_headers(settings, need.household_id)
    ward = await staff_headers(settings, Role.WARD_OFFICIAL, WARD)
    other_link = (await post(http)).json()["follow_token"]  # another emergency's link
    for headers, params in (
        (stranger, {}),
        (citizen, {}),
        (ward, {}),
        ({}, {}),
        ({}, {"t": "not-the-posters-token"}),
        ({}, {"t": other_link}),
    ):
        read = await http.get(s.url(), headers=headers, params=params)
        assert read.status_code == 404 and "Nhà em" not in read.text, (headers, params)
        sent = await http.post(s.url(), json={"body": "chào"}, headers=headers, params=params)
        assert sent.status_code == 404 and sent.json()["code"] == "not_found"
        reported = await http.post(s.url("/report"), json={"reason": "x"}, headers=headers, params=params)
        assert reported.status_code == 404
    assert await stored(s.code) == 1

    # A staff claim has no helper side: neither the official nor the poster has a conversation.
    made = (await post(http)).json()
    assert (await http.post(f"{V}/emergencies/{made['code']}/claim", headers=ward)).json() == {"state": "claimed"}
    poster = await http.get(f"{V}/emergencies/{made['code']}/messages", params={"t": made["follow_token"]})
    official = await http.post(f"{V}/emergencies/{made['code']}/messages", json={"body": "chào"}, headers=ward)
    assert poster.status_code == 404 and official.status_code == 404
    assert await stored(made["code"]) == 0

    too_long = "a" * (settings.message_policy.max_length + 1)
    refused = await http.post(s.url(), json={"body": too_long}, headers=helper)
    [problem] = refused.json()["detail"]
    assert refused.status_code == 422 and problem["loc"] == ["body", "body"] and problem["type"] == "too_long"
    assert await stored(s.code) == 1


async def test_a_closed_emergency_takes_no_new_message_and_keeps_its_conversation(world: Any) -> None:
    http, settings = world
    s, helper, _ = await claimed(http, settings)
    await s.as_poster("POST", json={"body": "Cảm ơn anh"})
    ward = await staff_headers(settings, Role.WARD_OFFICIAL, WARD)
    closed = await http.post(f"{V}/emergencies/{s.code}/closure", json={"reason": "đã có tổ dân phố lo"}, headers=ward)
    assert closed.json() == {"state": "closed"}, closed.text
    for answer in (
        await s.as_poster("POST", json={"body": "alo"}),
        await http.post(s.url(), json={"body": "alo"}, headers=helper),
    ):
        assert answer.status_code == 422
        assert answer.json()["detail"][0]["loc"] == ["body", "body"]
        assert answer.json()["detail"][0]["type"] == "thread_closed"
        assert answer.json()["detail"][0]["msg"] == words("vi", "msg.err.thread_closed")
    kept = (await s.as_poster("GET")).json()
    assert kept["open"] is False and [m["body"] for m in kept["messages"]] == ["Cảm ơn anh"]
    assert await stored(s.code) == 1


async def test_a_released_claim_closes_its_conversation_and_the_next_claimer_starts_their_own(
    world: Any, temporal_env: WorkflowEnvironment
) -> None:
    http, settings = world
    s, first, _ = await claimed(http, settings)
    await s.as_poster("POST", json={"body": "Anh tới chưa?"})
    await s.as_poster("POST", "/phone-consent", json={"share": True})
    await http.post(s.url("/phone-consent"), json={"share": True}, headers=first)
    await temporal_env.sleep(EMERGENCY_POLICY.fulfil_within + timedelta(minutes=1))
    async with transaction() as session:
        state = await session.scalar(select(Emergency.state).where(Emergency.code == s.code))
    assert state == "open"  # released, offered again
    refused = await http.post(s.url(), json={"body": "Xin lỗi, em kẹt xe"}, headers=first)
    assert refused.status_code == 422 and refused.json()["detail"][0]["type"] == "thread_closed"
    theirs = (await http.get(s.url(), headers=first)).json()
    assert theirs["open"] is False and theirs["other_phone"] is None  # their claim ended: the poster's phone too
    assert (await s.as_poster("POST", json={"body": "alo"})).status_code == 422

    _, second = await a_helper(settings)
    assert (await http.post(f"{V}/emergencies/{s.code}/claim", headers=second)).json() == {"state": "claimed"}
    fresh = (await http.get(s.url(), headers=second)).json()
    assert fresh["open"] and fresh["messages"] == []  # not the first claimer's conversation
    assert (await s.as_poster("POST", json={"body": "Chào chị"})).status_code == 201
    assert [m["body"] for m in (await http.get(s.url(), headers=second)).json()["messages"]] == ["Chào chị"]
    assert [m["body"] for m in (await http.get(s.url(), headers=first)).json()["messages"]] == ["Anh tới chưa?"]


async def test_a_report_goes_to_the_emergencys_ward_moderators_only(world: Any) -> None:
    http, settings = world
    s, helper, _ = await claimed(http, settings)
    await http.post(s.url(), json={"body": "Gửi ảnh căn cước cho em"}, headers=helper)
    official = await make_staff(Role.WARD_OFFICIAL, WARD)
    own = {"Authorization": f"Bearer {issue_staff_token(settings, official.id, Role.WARD_OFFICIAL)}"}
    elsewhere = await staff_headers(settings, Role.WARD_OFFICIAL, OTHER_WARD_SAME_DISTRICT)
    moderated = f"{V}/moderation/emergencies/{s.code}/messages"
    assert (await http.get(moderated, headers=own)).status_code == 404  # not reported: nobody's business

    reported = await s.as_poster("POST", "/report", json={"reason": "đòi ảnh giấy tờ"})
    assert reported.status_code == 200 and reported.json()["i_reported"]
    listed = (await http.get(f"{V}/moderation/threads", headers=own)).json()
    assert [(r["subject_kind"], r["subject_key"]) for r in listed] == [("emergency", s.code)]
    assert (await http.get(f"{V}/moderation/threads", headers=elsewhere)).json() == []
    assert (await http.get(moderated, headers=elsewhere)).status_code == 404
    opened = await http.get(moderated, headers=own)
    assert opened.status_code == 200 and [m["body"] for m in opened.json()["messages"]] == ["Gửi ảnh căn cước cho em"]
    assert opened.json()["reports"][0]["reason"] == "đòi ảnh giấy tờ" and digits(s.poster_phone) not in opened.text
    async with transaction() as session:
        thread = await session.scalar(
            select(MessageThread.id)
            .join(Emergency, Emergency.id == MessageThread.subject_id)
            .where(Emergency.code == s.code)
        )
        about = AuditEntry.detail["thread"].astext == str(thread)
        read = select(AuditEntry.actor_id).where(AuditEntry.action == "message_thread_read", about)
        readers = (await session.scalars(read)).all()
    assert readers == [official.id]  # audited, and the other ward's official read nothing
    decided = await http.post(f"{moderated}/decision", json={"outcome": "closed"}, headers=own)
    assert decided.status_code == 200 and decided.json()["state"] == "closed"
    assert (await http.post(s.url(), json={"body": "alo"}, headers=helper)).status_code == 422
    assert (await s.as_poster("GET")).json()["open"] is False


async def test_each_poster_has_their_own_rate_limit(client: Client, task_queue: str) -> None:
    """Posters have no household: each counts per emergency, not all together."""
    strict = MessagePolicy(per_minute=Limit(count=2, window=timedelta(minutes=1)))
    app, settings = emergency_app(client, task_queue)
    settings = settings.model_copy(update={"message_policy": strict})
    app = create_app(settings)
    app.state.temporal = client
    async for http in in_process(app):
        first, _, _ = await claimed(http, settings)
        second, _, _ = await claimed(http, settings)
        for n in range(2):
            assert (await first.as_poster("POST", json={"body": f"tin {n}"})).status_code == 201
            assert (await second.as_poster("POST", json={"body": f"tin {n}"})).status_code == 201
        refused = await first.as_poster("POST", json={"body": "tin 3"})
        assert refused.status_code == 429 and 1 <= int(refused.headers["Retry-After"]) <= 60
