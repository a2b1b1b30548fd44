"""Help groups through the real HTTP API (in-process, real PostgreSQL): registration → verification by a district
official of the group's coverage → the public directory; refusal and suspension; the scope of verification; bad
input answered 422 naming the field, in Vietnamese and English, with nothing written; registrations rate-limited
per phone."""

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from temporalio.client import Client

from common.limits import Limit, RateLimits
from common.settings import Settings, get_settings
from db.audit import AuditEntry
from db.base import transaction
from db.cash import CommunityHelper
from db.help_groups import HelpGroup, HelpGroupCoverage, HelpGroupHours
from domain.roles import Role
from server import create_app
from tests.factories import DISTRICT, OTHER_DISTRICT, OTHER_DISTRICT_WARD, OTHER_WARD_SAME_DISTRICT, make_staff
from tests.pledge_fixtures import a_helper
from tests.trust_fixtures import in_process
from texts import Text, text
from usecases.trust.tokens import issue_staff_token

pytestmark = pytest.mark.timeout(120)
V = "/api/v1"
CONTACT = "0912345670"
HOTLINE = "028 3822 1234"
ANOTHER_DISTRICT = "774"  # Quận 5: neither the group's district nor the ward's


def body(**changes: Any) -> dict[str, Any]:
    """A valid registration: Quận 1 whole, and one ward of Quận 3."""
    return {
        "name": "Bếp ăn 0 đồng Chùa Hoằng Pháp",
        "kind": "free_meals",
        "help_kinds": ["food", "transport"],
        "description": "Nấu và phát cơm trưa miễn phí cho người lao động, người già neo đơn trong khu vực.",
        "coverage": [DISTRICT, OTHER_DISTRICT_WARD],
        "hours": [{"weekday": "mon", "opens": "10:00", "closes": "13:00"}],
        "public_hotline": HOTLINE,
        "contact_phone": CONTACT,
    } | changes


async def _app(client: Client, task_queue: str, settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings.model_copy(update={"task_queue": task_queue}))
    app.state.temporal = client
    async for http in in_process(app):
        yield http


@pytest.fixture
async def api(client: Client, task_queue: str) -> AsyncIterator[tuple[httpx.AsyncClient, Settings]]:
    settings = get_settings()
    async for http in _app(client, task_queue, settings):
        yield http, settings


async def official(settings: Settings, role: Role, unit: str) -> dict[str, str]:
    staff = await make_staff(role, unit)
    return {"Authorization": f"Bearer {issue_staff_token(settings, staff.id, staff.role)}"}


async def group_rows() -> int:
    async with transaction() as session:
        counts = [
            await session.scalar(select(func.count()).select_from(table))
            for table in (HelpGroup, HelpGroupCoverage, HelpGroupHours)
        ]
    return sum(int(c or 0) for c in counts)


async def directory_codes(http: httpx.AsyncClient, **params: str) -> set[str]:
    answer = await http.get(f"{V}/help-groups", params=params)
    assert answer.status_code == 200, answer.text
    return {item["code"] for item in answer.json()["items"]}


async def test_registration_verification_and_the_directory(api: tuple[httpx.AsyncClient, Settings]) -> None:
    http, settings = api
    helper_id, helper = await a_helper(settings)
    registered = await http.post(f"{V}/help-groups", json=body(), headers=helper)
    assert registered.status_code == 201, registered.text
    group = registered.json()
    code = group["code"]
    assert group["state"] == "pending" and group["contact_phone_masked"] == "0912***670"
    # Pending: nobody sees it in public.
    assert code not in await directory_codes(http)
    assert (await http.get(f"{V}/help-groups/{code}")).status_code == 404
    # The helper's account now acts for the group, under its name.
    async with transaction() as session:
        account = await session.get(CommunityHelper, helper_id)
        assert account is not None and (account.kind, account.display_name) == ("group", group["name"])

    # The officials of Quận 3 (one ward covered) and Quận 1 see it; Quận 5's neither sees nor decides it.
    quan_3 = await official(settings, Role.DISTRICT_OFFICIAL, OTHER_DISTRICT)
    quan_5 = await official(settings, Role.DISTRICT_OFFICIAL, ANOTHER_DISTRICT)
    queue = (await http.get(f"{V}/official/help-groups", headers=quan_3)).json()
    assert [g["code"] for g in queue] == [code] and queue[0]["contact_phone"] == "+84912345670"
    assert (await http.get(f"{V}/official/help-groups", headers=quan_5)).json() == []
    outside = await http.post(f"{V}/help-groups/{code}/verification", json={"approve": True}, headers=quan_5)
    assert outside.status_code == 404

    quan_1 = await official(settings, Role.DISTRICT_OFFICIAL, DISTRICT)
    verified = await http.post(f"{V}/help-groups/{code}/verification", json={"approve": True}, headers=quan_1)
    assert verified.status_code == 200 and verified.json()["state"] == "verified"
    again = await http.post(f"{V}/help-groups/{code}/verification", json={"approve": False, "reason": "trùng tên"},
                            headers=quan_3)  # fmt: skip
    assert again.status_code == 422
    problem = again.json()["detail"][0]
    assert problem["loc"] == ["path", "group_code"] and problem["type"] == "already_decided"
    assert problem["msg"] == text("vi", "err.group.already_decided", state=text("vi", "group_state.verified"))

    # The directory: by district (whole or through a ward), by ward, kind, help, words without diacritics.
    assert code in await directory_codes(http, district=DISTRICT)
    assert code in await directory_codes(http, district=OTHER_DISTRICT)
    assert code not in await directory_codes(http, district=ANOTHER_DISTRICT)
    assert code in await directory_codes(http, ward=OTHER_WARD_SAME_DISTRICT)  # Quận 1 is covered whole
    assert code in await directory_codes(http, ward=OTHER_DISTRICT_WARD)
    assert code not in await directory_codes(http, ward="27127")  # another ward of Quận 3
    assert code in await directory_codes(http, kind="free_meals", help_kind="transport")
    assert code not in await directory_codes(http, kind="medical_team")
    assert code not in await directory_codes(http, help_kind="medicine")
    assert code in await directory_codes(http, q="bep an hoang phap")
    assert code not in await directory_codes(http, q="y te")

    page = await http.get(f"{V}/help-groups/{code}")
    assert page.status_code == 200
    public = page.json()
    assert public["verified_by_unit"] == "Quận 1" and public["public_hotline"] == "+842838221234"
    assert "912345670" not in page.text and "contact" not in page.text and str(helper_id) not in page.text
    own = (await http.get(f"{V}/helper/help-group", headers=helper)).json()
    assert own["state"] == "verified"


async def test_refusal_needs_a_reason_and_the_group_reads_it(api: tuple[httpx.AsyncClient, Settings]) -> None:
    http, settings = api
    _, helper = await a_helper(settings)
    code = (await http.post(f"{V}/help-groups", json=body(), headers=helper)).json()["code"]
    quan_1 = await official(settings, Role.DISTRICT_OFFICIAL, DISTRICT)
    bare = await http.post(f"{V}/help-groups/{code}/verification", json={"approve": False}, headers=quan_1)
    assert bare.status_code == 422 and bare.json()["detail"][0]["loc"] == ["body", "reason"]
    assert (await http.get(f"{V}/helper/help-group", headers=helper)).json()["state"] == "pending"

    reason = "Không liên lạc được số điện thoại của nhóm"
    refused = await http.post(
        f"{V}/help-groups/{code}/verification", json={"approve": False, "reason": reason}, headers=quan_1
    )
    assert refused.status_code == 200 and refused.json()["state"] == "refused"
    own = (await http.get(f"{V}/helper/help-group", headers=helper)).json()
    assert own["state"] == "refused" and own["refusal_reason"] == reason
    assert own["contact_phone_masked"] is None  # erased with the refusal
    assert code not in await directory_codes(http)
    # A refused group's account may register the group again, corrected.
    again = await http.post(f"{V}/help-groups", json=body(name="Bếp ăn 0 đồng Hoằng Pháp"), headers=helper)
    assert again.status_code == 201 and again.json()["code"] != code


async def test_a_suspended_group_leaves_the_directory(api: tuple[httpx.AsyncClient, Settings]) -> None:
    http, settings = api
    _, helper = await a_helper(settings)
    code = (await http.post(f"{V}/help-groups", json=body(), headers=helper)).json()["code"]
    city = await official(settings, Role.CITY_OFFICIAL, "79")
    pending = await http.post(f"{V}/help-groups/{code}/suspension", json={"reason": "vi phạm"}, headers=city)
    assert pending.status_code == 422 and pending.json()["detail"][0]["type"] == "not_verified"
    await http.post(f"{V}/help-groups/{code}/verification", json={"approve": True}, headers=city)
    assert code in await directory_codes(http)
    assert (await http.get(f"{V}/help-groups/{code}")).json()["verified_by_unit"] == "Thành phố Hồ Chí Minh"

    quan_3 = await official(settings, Role.DISTRICT_OFFICIAL, OTHER_DISTRICT)
    suspended = await http.post(
        f"{V}/help-groups/{code}/suspension", json={"reason": "Thu tiền của người nhận cơm"}, headers=quan_3
    )
    assert suspended.status_code == 200 and suspended.json()["state"] == "suspended"
    assert code not in await directory_codes(http)
    assert (await http.get(f"{V}/help-groups/{code}")).status_code == 404
    own = (await http.get(f"{V}/helper/help-group", headers=helper)).json()
    assert own["state"] == "suspended" and own["suspension_reason"] == "Thu tiền của người nhận cơm"
    # A suspended group's account cannot start over under another name.
    again = await http.post(f"{V}/help-groups", json=body(name="Nhóm Mới Toanh"), headers=helper)
    assert again.status_code == 422 and again.json()["detail"][0]["type"] == "already_registered"


def our_words(kind: str, field: str, changes: dict[str, Any], settings: Settings) -> Text | None:
    """The catalogue's words for the refusals of ours (None: pydantic's own kinds)."""
    policy = settings.help_group_policy
    if kind == "length":
        least, most = (
            (policy.name_min, policy.name_max) if field == "name" else (policy.description_min, policy.description_max)
        )
        return Text(f"err.group.{field}_length", least=least, most=most)
    found = {
        "not_meaningful": Text(f"err.group.{field}_not_meaningful"),
        "unknown_unit": Text("err.unknown_unit", unit=(changes.get("coverage") or [""])[0]),
        "missing": Text("err.group.hours_missing"),
        "closes_before_opening": Text("err.closes_before_opening"),
        "overlapping": Text("err.group.hours_overlap"),
        "hours_with_always_open": Text("err.hours_with_always_open"),
    }
    return found.get(kind)


@pytest.mark.parametrize(
    ("changes", "field", "kind"),
    [
        ({"name": ""}, "name", "length"),
        ({"name": "   "}, "name", "length"),
        ({"name": "!!!!!!!!!!"}, "name", "not_meaningful"),
        ({"name": "aaaaaaaaaaaa"}, "name", "not_meaningful"),
        ({"name": "Nhóm " + "x" * 300}, "name", "length"),
        ({"description": "ngắn"}, "description", "length"),
        ({"kind": "bank"}, "kind", "enum"),
        ({"help_kinds": []}, "help_kinds", "too_short"),
        ({"coverage": []}, "coverage", "too_short"),
        ({"coverage": ["99999"]}, "coverage", "unknown_unit"),
        ({"coverage": ["79"]}, "coverage", "unknown_unit"),  # the city itself is not a district or ward
        ({"coverage": ["'; drop"]}, "coverage", "string_pattern_mismatch"),
        ({"hours": []}, "hours", "missing"),
        ({"hours": [{"weekday": "mon", "opens": "13:00", "closes": "10:00"}]}, "hours.0", "closes_before_opening"),
        ({"hours": [{"weekday": "mon", "opens": "25:00", "closes": "26:00"}]}, "hours", "string_pattern_mismatch"),
        ({"hours": [{"weekday": "someday", "opens": "08:00", "closes": "10:00"}]}, "hours", "enum"),
        (
            {"hours": [{"weekday": "mon", "opens": "08:00", "closes": "12:00"},
                       {"weekday": "mon", "opens": "11:00", "closes": "14:00"}]},
            "hours",
            "overlapping",
        ),
        ({"always_open": True}, "hours", "hours_with_always_open"),
        ({"contact_phone": "12345"}, "contact_phone", "phone_invalid"),
        ({"public_hotline": "không có"}, "public_hotline", "phone_invalid"),
    ],
)  # fmt: skip
async def test_bad_input_names_the_field_and_writes_nothing(
    api: tuple[httpx.AsyncClient, Settings], changes: dict[str, Any], field: str, kind: str
) -> None:
    http, settings = api
    _, helper = await a_helper(settings)
    answer = await http.post(f"{V}/help-groups", json=body(**changes), headers=helper)
    assert answer.status_code == 422, answer.text
    problem = answer.json()["detail"][0]
    assert ".".join(str(p) for p in problem["loc"][1:]).startswith(field) and problem["type"] == kind, problem
    assert problem["msg"] and "(" not in problem["msg"], problem["msg"]  # one language: not "tiếng Việt (English)"
    words = our_words(kind, field, changes, settings)
    if words is not None:
        assert problem["msg"] == words.render("vi"), problem["msg"]
    assert await group_rows() == 0


async def test_the_directory_names_an_unknown_ward_or_district(api: tuple[httpx.AsyncClient, Settings]) -> None:
    http, _ = api
    for param in ("ward", "district"):
        answer = await http.get(f"{V}/help-groups", params={param: "99999"})
        assert answer.status_code == 422 and answer.json()["detail"][0]["loc"] == ["query", param]


async def test_registrations_are_limited_per_phone(client: Client, task_queue: str) -> None:
    one_a_day = RateLimits(help_group_registration_per_phone=Limit(count=1, window=timedelta(days=1)))
    settings = get_settings().model_copy(update={"rate_limits": one_a_day})
    async for http in _app(client, task_queue, settings):
        _, helper = await a_helper(settings)
        code = (await http.post(f"{V}/help-groups", json=body(), headers=helper)).json()["code"]
        city = await official(settings, Role.CITY_OFFICIAL, "79")
        refused = {"approve": False, "reason": "thông tin chưa đủ"}
        await http.post(f"{V}/help-groups/{code}/verification", json=refused, headers=city)
        again = await http.post(f"{V}/help-groups", json=body(), headers=helper)
        assert again.status_code == 429 and int(again.headers["Retry-After"]) > 0
        async with transaction() as session:
            assert await session.scalar(select(func.count()).select_from(HelpGroup)) == 1


async def test_two_officials_deciding_at_once_make_one_decision(api: tuple[httpx.AsyncClient, Settings]) -> None:
    http, settings = api
    _, helper = await a_helper(settings)
    code = (await http.post(f"{V}/help-groups", json=body(), headers=helper)).json()["code"]
    quan_1 = await official(settings, Role.DISTRICT_OFFICIAL, DISTRICT)
    quan_3 = await official(settings, Role.DISTRICT_OFFICIAL, OTHER_DISTRICT)
    url = f"{V}/help-groups/{code}/verification"
    answers = await asyncio.gather(
        http.post(url, json={"approve": True}, headers=quan_1),
        http.post(url, json={"approve": False, "reason": "không liên lạc được"}, headers=quan_3),
    )
    assert sorted(a.status_code for a in answers) == [200, 422], [a.text for a in answers]
    decided = next(a for a in answers if a.status_code == 200).json()["state"]
    assert (await http.get(f"{V}/helper/help-group", headers=helper)).json()["state"] == decided
    async with transaction() as session:
        about_it = AuditEntry.detail["group"].astext == code
        actions = list(await session.scalars(select(AuditEntry.action).where(about_it)))
    assert sorted(actions) == sorted(["help_group_registered", f"help_group_{decided}"])
