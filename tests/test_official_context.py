"""Officials decide with the context in front of them: the inbox says who, where, how many and by when, and
filters without JavaScript; the request page shows a form only to someone who can send it (the workflow's own
rule); it names who approved and who delivers, and after two officials decided at once, which one did; an
approval that a merge turned into a refusal says why, and a merged household is shown once."""

import re
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import Range
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from common.city_time import CITY_TZ, due_by
from db.base import transaction
from db.deliveries import Delivery
from db.requests import ReliefRequest
from domain.roles import Role
from tests.donation_helpers import until
from tests.factories import WARD, Staff, make_staff, stock_ward
from tests.trust_fixtures import World, build_world, in_process
from usecases.trust.tokens import issue_staff_token
from web.csrf import CSRF_COOKIE, form_token

V = "/api/v1"
NONCE = "nonce-of-this-browser"


@pytest.fixture
async def world(client: Client, task_queue: str, tmp_path: Path) -> World:
    return await build_world(client, task_queue, tmp_path / "photos")


@pytest.fixture
async def http(world: World) -> AsyncIterator[httpx.AsyncClient]:
    async for client in in_process(world.app):
        client.cookies.set(CSRF_COOKIE, NONCE)
        yield client


def as_staff(world: World, who: Staff) -> dict[str, str]:
    return {"Authorization": f"Bearer {issue_staff_token(world.settings, who.id, who.role)}"}


def decision_form(world: World, **fields: str) -> dict[str, str]:
    return {"csrf_token": form_token(world.settings, NONCE), **fields}


def decision_form_shown(page: str, code: str) -> bool:
    return f'action="/yeu-cau/{code}/xac-minh"' in page


async def set_request(code: str, **values: Any) -> None:
    async with transaction() as session:
        await session.execute(update(ReliefRequest).where(ReliefRequest.code == code).values(**values))


def test_a_deadline_is_a_day_and_the_hour_it_is_due_before() -> None:
    day = datetime(2026, 12, 4, tzinfo=CITY_TZ).date()
    assert due_by(datetime(2026, 12, 4, 16, 42, tzinfo=CITY_TZ)) == (day, 17)
    assert due_by(datetime(2026, 12, 4, 17, 0, tzinfo=CITY_TZ)) == (day, 17)
    assert due_by(datetime(2026, 12, 4, 9, 42, tzinfo=UTC)) == (day, 17)  # 16:42 in the city
    assert due_by(datetime(2026, 12, 4, 23, 30, tzinfo=CITY_TZ)) == (day, 24)


async def test_the_inbox_says_who_where_how_many_and_by_when_and_filters(world: World, http: httpx.AsyncClient) -> None:
    as_ward, code = world.headers["ward_official"], world.own.code
    deadline = datetime.now(CITY_TZ).replace(hour=16, minute=42, second=0, microsecond=0) + timedelta(days=1)
    await set_request(code, deadline_at=deadline)
    page = await http.get("/can-bo", headers=as_ward)
    assert page.status_code == 200
    row = re.search(rf'<li[^>]*data-code="{code}".*?</li>', page.text, re.DOTALL)
    assert row is not None, page.text
    text = re.sub(r"<[^>]+>", "", row.group(0))
    assert "Nguyễn Thị Lan" in text and "Nguyễn Trãi, Phường Bến Nghé" in text and "4 người" in text
    assert f"Hạn: {deadline:%d/%m/%Y}, trước 17 giờ" in text
    assert "16:42" not in text  # a day and an hour, not the minute
    api_row = next(r for r in (await http.get(f"{V}/inbox", headers=as_ward)).json() if r["code"] == code)
    assert (api_row["applicant_name"], api_row["household_size"], api_row["probable_duplicate"]) == (
        "Nguyễn Thị Lan",
        4,
        False,
    )

    # The filters are a plain GET form: by stage, and the overdue only.
    assert 'method="get" action="/can-bo"' in page.text
    waiting = await http.get("/can-bo?stage=awaiting_verification", headers=as_ward)
    assert f'data-code="{code}"' in waiting.text
    dispatch = await http.get("/can-bo?stage=awaiting_dispatch", headers=as_ward)
    assert f'data-code="{code}"' not in dispatch.text and "Không có yêu cầu nào khớp bộ lọc" in dispatch.text
    assert f'data-code="{code}"' not in (await http.get("/can-bo?overdue=1", headers=as_ward)).text
    await set_request(code, deadline_at=datetime.now(UTC) - timedelta(hours=1))
    overdue = await http.get("/can-bo?overdue=1", headers=as_ward)
    assert f'data-code="{code}"' in overdue.text and 'name="overdue" value="1" checked' in overdue.text


async def test_the_inbox_flags_a_probable_duplicate(world: World, http: httpx.AsyncClient) -> None:
    code = await flagged_pair(http)
    page = await http.get("/can-bo", headers=world.headers["ward_official"])
    row = re.search(rf'<li[^>]*data-code="{code}".*?</li>', page.text, re.DOTALL)
    assert row is not None and "Có thể trùng hộ" in row.group(0)


async def test_a_form_is_shown_only_to_whom_the_workflow_accepts_it_from(world: World, http: httpx.AsyncClient) -> None:
    code = world.own.code
    district, ward = world.headers["district_official"], world.headers["ward_official"]
    # A district official, on a request not escalated to the district: the page, but no form.
    page = await http.get(f"/yeu-cau/{code}", headers=district)
    assert page.status_code == 200 and not decision_form_shown(page.text, code)
    assert "Yêu cầu này do phường quyết định; bạn chỉ xem được." in page.text
    assert (await http.get(f"{V}/requests/{code}", headers=district)).json()["can_decide"] is False
    # ...as the workflow's validator would refuse it.
    sent = await http.post(f"{V}/requests/{code}/verification", json={"approve": True}, headers=district)
    assert sent.status_code == 403 and sent.json()["kind"] == "OutOfScope", sent.text
    # The ward's official has the form, written to an official, not the citizen's note.
    ward_page = await http.get(f"/yeu-cau/{code}", headers=ward)
    assert decision_form_shown(ward_page.text, code)
    assert "đối chiếu hộ gia đình rồi gửi quyết định trước" in ward_page.text and "Hãy ghi lại mã" not in ward_page.text
    assert re.search(r"quyết định trước \d{1,2} giờ ngày \d\d/\d\d/\d{4}\.", ward_page.text)
    # Once escalated to the district, its official has the form too.
    await set_request(code, escalation="district")
    assert decision_form_shown((await http.get(f"/yeu-cau/{code}", headers=district)).text, code)
    assert (await http.get(f"{V}/requests/{code}", headers=district)).json()["can_decide"] is True


async def test_the_page_names_who_approved_who_delivers_and_who_decided_first(
    world: World, http: httpx.AsyncClient
) -> None:
    code = world.own.code
    first = await make_staff(Role.WARD_OFFICIAL, WARD, full_name="Lê Thị Mai")
    second = await make_staff(Role.WARD_OFFICIAL, WARD, full_name="Phạm Văn Tùng")
    await stock_ward(WARD, bags=1)  # the bag held at approval, so the request waits for a courier
    # Both opened the page with the form; the first sends.
    assert decision_form_shown((await http.get(f"/yeu-cau/{code}", headers=as_staff(world, second))).text, code)
    sent = await http.post(
        f"/yeu-cau/{code}/xac-minh", data=decision_form(world, decision="approve"), headers=as_staff(world, first)
    )
    assert sent.status_code == 303, sent.text
    # The second sends from the page they had: told who decided, what, and when.
    late = await http.post(
        f"/yeu-cau/{code}/xac-minh", data=decision_form(world, decision="reject", reason="không đủ điều kiện"),
        headers=as_staff(world, second),
    )  # fmt: skip
    assert late.status_code == 409
    view = (await http.get(f"{V}/requests/{code}", headers=as_staff(world, second))).json()
    approved_at = datetime.fromisoformat(view["decision"]["occurred_at"]).astimezone(CITY_TZ)
    assert f"Cán bộ Lê Thị Mai đã chấp thuận lúc {approved_at:%H:%M}." in late.text
    assert "tải lại trang" not in late.text
    assert not decision_form_shown(late.text, code)

    # The courier assigned is named, and who approved.
    courier = world.own.courier
    assigned = await http.post(
        f"{V}/requests/{code}/assignment", json={"courier_id": str(courier.id)}, headers=as_staff(world, first)
    )
    assert assigned.status_code == 200, assigned.text
    page = (await http.get(f"/yeu-cau/{code}", headers=as_staff(world, second))).text
    assert re.search(r'class="decided-by">Lê Thị Mai · ', page), page
    assert 'class="courier-name">Cán bộ thử nghiệm<' in page
    assert "bởi Lê Thị Mai" in page  # in the timeline


async def flagged_pair(http: httpx.AsyncClient) -> str:
    """A household that registered, and the same woman again with her old ID: the second is flagged."""
    first = {
        "kind": "food_bag", "full_name": "Trần Thị Bảy", "national_id": "079175002345", "phone": "0912 777 888",
        "address": "34 Lê Lợi, Phường Bến Nghé", "ward_code": WARD, "household_size": 3,
    }  # fmt: skip
    assert (await http.post(f"{V}/requests", json=first)).status_code == 201
    again = {**first, "full_name": "Tran Thi Bay", "national_id": "025123456"}
    flagged = await http.post(f"{V}/requests", json=again)
    assert flagged.status_code == 201 and flagged.json()["stage"] == "awaiting_verification", flagged.text
    return str(flagged.json()["code"])


async def test_a_merge_that_refuses_says_why_and_shows_the_household_once(
    world: World, http: httpx.AsyncClient, temporal_env: WorkflowEnvironment
) -> None:
    as_ward = world.headers["ward_official"]
    code = await flagged_pair(http)
    before = (await http.get(f"/yeu-cau/{code}", headers=as_ward)).text
    assert before.count('class="card household"') == 2  # the household and its probable duplicate
    # The first household received a bag two days ago (its request's own delivery, stamped in the ledger).
    view = (await http.get(f"{V}/requests/{code}", headers=as_ward)).json()
    candidate = uuid.UUID(view["probable_duplicate"]["household_id"])
    first_code = view["probable_duplicate"]["open_request_codes"][0]
    # Two days before the workflows' own clock: the shared time-skipping server may be days ahead of the wall's.
    delivered_at = await temporal_env.get_current_time() - timedelta(days=2)
    async with transaction() as session:
        first_id = await session.scalar(select(ReliefRequest.id).where(ReliefRequest.code == first_code))
        session.add(
            Delivery(
                request_id=first_id, household_id=candidate, kind="food_bag", delivered_at=delivered_at,
                entitled_period=Range(delivered_at, delivered_at + timedelta(days=14), bounds="[)"),
                courier_id=world.own.courier.id, photo_path="p", photo_sha256="s" * 64,
                recipient_national_id_hash="x" * 64, recipient_national_id_last4="2345",
                recipient_phone="+84912777888", recipient_matches_household=True,
            )
        )  # fmt: skip
    merged = await http.post(
        f"/yeu-cau/{code}/xac-minh", data=decision_form(world, decision="approve", same_household="yes"),
        headers=as_ward,
    )  # fmt: skip
    assert merged.status_code == 303, merged.text

    async def decided() -> str:  # the merge's refusal is the workflow's next step, written beside the test
        decision = (await http.get(f"{V}/requests/{code}", headers=as_ward)).json().get("decision") or {}
        return str(decision.get("event"))

    await until(decided, "refused", seconds=30)
    page = (await http.get(f"/yeu-cau/{code}", headers=as_ward)).text
    day = f"{delivered_at.astimezone(CITY_TZ):%d/%m/%Y}"
    assert f"hộ này đã nhận túi ngày {day}, nên yêu cầu chuyển từ chấp thuận thành từ chối" in page
    assert page.count('class="card household"') == 1  # merged: one household, shown once
    api = (await http.get(f"{V}/requests/{code}", headers=as_ward)).json()
    assert api["merge_refusal"]["last_delivered_on"] == day and api["decision"]["event"] == "refused"


async def test_a_refusal_card_explains_itself(world: World, http: httpx.AsyncClient) -> None:
    await flagged_pair(http)
    same = {
        "kind": "food_bag", "full_name": "Trần Thị Bảy", "national_id": "079175002345", "phone": "0912 777 888",
        "address": "34 Lê Lợi, Phường Bến Nghé", "ward_code": WARD, "household_size": 3,
    }  # fmt: skip
    refused = (await http.post(f"{V}/requests", json=same)).json()
    assert refused["stage"] == "refused", refused
    page = (await http.get(f"/yeu-cau/{refused['code']}", headers=world.headers["ward_official"])).text
    assert 'data-refusal="already_in_progress"' in page
    assert "Hộ gia đình này đã có một yêu cầu đang được xử lý; không cần đăng ký lại." in page
