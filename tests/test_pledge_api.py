"""Pledges through the real HTTP API: concurrent pledges never take a need past what was asked; bad amounts,
someone else's confirmation and a second confirmation are answered without writing anything; and the household's
account never reaches a Temporal history (even decoded), a search attribute or a log."""

import asyncio
import logging
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from google.protobuf.message import Message
from sqlalchemy import func, select
from temporalio.api.common.v1 import Payload
from temporalio.client import Client

from common.limits import Limit, RateLimits
from db.audit import AuditEntry
from db.base import transaction
from db.cash import Pledge
from db.notifications import Notification
from domain.cash import grouped
from domain.names import pledge_workflow_id
from domain.pledges import PledgeAnswer
from services import cash_ledger
from tests.pledge_fixtures import (
    ACCOUNT_NUMBER,
    HOLDER,
    V,
    a_helper,
    household_headers,
    pledge,
    pledge_app,
    published_need,
    world,
)
from tests.sms import last_code_sent_to
from tests.trust_fixtures import in_process
from texts import Lang, Text

pytestmark = pytest.mark.timeout(180)
__all__ = ["world"]  # the fixture, shared by the pledge tests


async def pledge_rows() -> int:
    async with transaction() as session:
        return int(await session.scalar(select(func.count()).select_from(Pledge)) or 0)


async def test_concurrent_pledges_through_the_api_never_exceed_the_need(world: Any) -> None:
    http, settings = world
    need = await published_need(1_000_000)
    helpers = [(await a_helper(settings))[1] for _ in range(8)]
    answers = await asyncio.gather(*(pledge(http, h, need, 300_000) for h in helpers))
    codes = sorted(a.status_code for a in answers)
    assert codes == [201] * 3 + [422] * 5, [a.text[:200] for a in answers]
    refused = next(a for a in answers if a.status_code == 422).json()["detail"][0]
    assert refused["loc"] == ["body", "amount_vnd"] and refused["type"] == "above_remaining"
    async with transaction() as session:
        totals = await cash_ledger.totals(session, need.request_id)
    assert totals.amount_pledged == 900_000 and await pledge_rows() == 3


@pytest.mark.parametrize(
    ("amount", "kind"),
    [
        (0, "below_minimum"),
        (-50_000, "below_minimum"),
        (50_000.5, "amount_not_whole"),
        ("50000.5", "amount_not_whole"),
        ("năm mươi nghìn", "amount_not_whole"),
        (1_000, "below_minimum"),
        (600_001, "above_remaining"),
    ],
)
async def test_a_bad_amount_names_its_field_in_vietnamese_and_english_and_writes_nothing(
    world: Any, amount: Any, kind: str
) -> None:
    """The same refusal, with the same code, in Vietnamese (by default) and in English (Accept-Language: en)."""
    http, settings = world
    need = await published_need(600_000)
    _, helper = await a_helper(settings)
    words = {
        "below_minimum": Text("err.pledge.below_minimum", minimum=grouped(settings.cash_policy.min_pledge_vnd)),
        "above_remaining": Text("err.above_remaining", remaining=grouped(600_000)),
        "amount_not_whole": Text("err.amount_not_whole"),
    }[kind]
    langs: tuple[tuple[Lang, dict[str, str]], ...] = (("vi", helper), ("en", {**helper, "Accept-Language": "en"}))
    for lang, headers in langs:
        answer = await pledge(http, headers, need, amount)
        assert answer.status_code == 422, answer.text
        problem = answer.json()["detail"][0]
        assert problem["loc"] == ["body", "amount_vnd"] and problem["type"] == kind, problem
        assert problem["msg"] == words.render(lang) and answer.headers["content-language"] == lang, problem
    assert await pledge_rows() == 0


async def test_a_grouped_amount_as_vietnamese_write_it_is_whole_dong(world: Any) -> None:
    http, settings = world
    need = await published_need(600_000)
    _, helper = await a_helper(settings)
    answer = await pledge(http, helper, need, "50.000")
    assert answer.status_code == 201 and answer.json()["amount_vnd"] == 50_000, answer.text


async def test_only_the_household_confirms_and_a_second_confirmation_writes_nothing(world: Any, client: Client) -> None:
    http, settings = world
    need = await published_need(300_000)
    _, helper = await a_helper(settings)
    code = (await pledge(http, helper, need, 300_000)).json()["code"]
    await http.post(f"{V}/helper/pledges/{code}/transfer", headers=helper)
    url = f"{V}/citizen/pledges/{code}/confirmation"
    stranger = household_headers(settings, (await published_need(100_000)).household_id)
    by_stranger = await http.post(url, json={"arrived": True}, headers=stranger)
    assert by_stranger.status_code == 404, by_stranger.text  # out of scope answers like a missing pledge
    by_helper = await http.post(url, json={"arrived": True}, headers=helper)
    assert by_helper.status_code == 403, by_helper.text
    household = household_headers(settings, need.household_id)
    first = await http.post(url, json={"arrived": True}, headers=household)
    assert first.json() == {"state": "confirmed"}, first.text
    await client.get_workflow_handle(pledge_workflow_id(code), result_type=PledgeAnswer).result()
    written = await _writes()
    second = await http.post(url, json={"arrived": True}, headers=household)
    assert second.status_code == 200 and second.json() == {"state": "confirmed"}, second.text
    assert await _writes() == written
    # Saying "not arrived" after confirming is refused, and writes nothing either.
    contrary = await http.post(url, json={"arrived": False}, headers=household)
    assert contrary.status_code == 409, contrary.text
    assert await _writes() == written


async def _writes() -> tuple[int, int]:
    async with transaction() as session:
        audit = await session.scalar(select(func.count()).select_from(AuditEntry))
        notes = await session.scalar(select(func.count()).select_from(Notification))
    return int(audit or 0), int(notes or 0)


def _payloads(message: Message) -> Iterator[Payload]:
    """Every Payload inside a history event, however deep."""
    for field, value in message.ListFields():
        if field.message_type is None:
            continue
        if field.message_type.GetOptions().map_entry:
            items = list(value.values())
        else:
            items = [value] if isinstance(value, Message) else list(value)
        for item in items:
            if isinstance(item, Payload):
                yield item
            elif isinstance(item, Message):
                yield from _payloads(item)


async def test_the_account_never_reaches_a_history_a_search_attribute_or_a_log(
    world: Any, client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    http, settings = world
    need = await published_need(300_000)
    _, helper = await a_helper(settings)
    code = (await pledge(http, helper, need, 300_000)).json()["code"]
    shown = (await http.get(f"{V}/helper/pledges/{code}", headers=helper)).json()["payment"]
    assert shown["account_number"] == ACCOUNT_NUMBER  # the helper did read it: it exists to leak
    await http.post(f"{V}/helper/pledges/{code}/transfer", headers=helper)
    household = household_headers(settings, need.household_id)
    await http.post(f"{V}/citizen/pledges/{code}/confirmation", json={"arrived": True}, headers=household)
    handle = client.get_workflow_handle(pledge_workflow_id(code), result_type=PledgeAnswer)
    await handle.result()
    history = await handle.fetch_history()
    codec = client.data_converter.payload_codec
    assert codec is not None
    decoded = []
    for event in history.events:
        payloads = list(_payloads(event))
        decoded += await codec.decode(payloads) if payloads else []
    assert decoded, "the history carries payloads (the pledge's input, its steps)"
    clear = b"".join(p.SerializeToString() for p in decoded) + history.to_json().encode()
    assert code.encode() in clear  # the decoded history is readable, and names the pledge
    for secret in (ACCOUNT_NUMBER, HOLDER):
        assert secret.encode() not in clear
        assert secret not in caplog.text
    attributes = (await handle.describe()).typed_search_attributes
    assert ACCOUNT_NUMBER not in repr(attributes) and HOLDER not in repr(attributes)


async def test_a_helper_signs_in_with_a_code_to_any_phone_and_a_citizens_code_does_not_sign_a_helper_in(
    world: Any,
) -> None:
    http, _ = world
    phone, e164 = "0913555777", "+84913555777"
    sent = await http.post(f"{V}/helper/otp", json={"phone": phone})
    assert sent.status_code == 202, sent.text
    code = await last_code_sent_to(e164)
    assert code is not None  # an unknown phone is sent a code: helpers need no registration
    # The citizen's door does not take the helper's code.
    as_citizen = await http.post(f"{V}/citizen/otp/verification", json={"phone": phone, "code": code})
    assert as_citizen.status_code == 401
    body = {"phone": phone, "code": code, "display_name": "Nhóm Bếp Yêu Thương", "kind": "group"}
    signed = await http.post(f"{V}/helper/otp/verification", json=body)
    assert signed.status_code == 200 and signed.json()["role"] == "community_helper", signed.text
    token = {"Authorization": f"Bearer {signed.json()['access_token']}"}
    need = await published_need(100_000)
    assert (await pledge(http, token, need, 100_000)).status_code == 201
    assert len((await http.get(f"{V}/helper/pledges", headers=token)).json()) == 1
    # Used once.
    again = await http.post(f"{V}/helper/otp/verification", json=body)
    assert again.status_code == 401


async def test_pledges_are_rate_limited_per_helper_phone(client: Client, task_queue: str) -> None:
    app, settings = pledge_app(client, task_queue)
    limits = RateLimits(pledge_per_phone=Limit(count=2, window=timedelta(days=1)))
    app.state.settings = settings = settings.model_copy(update={"rate_limits": limits})
    need = await published_need(1_000_000)
    _, helper = await a_helper(settings)
    _, another = await a_helper(settings)
    async for http in in_process(app):
        for _ in range(2):
            assert (await pledge(http, helper, need, 10_000)).status_code == 201
        third = await pledge(http, helper, need, 10_000)
        assert third.status_code == 429 and third.json()["kind"] == "RateLimited", third.text
        assert (await pledge(http, another, need, 10_000)).status_code == 201  # another phone is not held back
    assert await pledge_rows() == 3
