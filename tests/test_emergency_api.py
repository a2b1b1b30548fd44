"""Emergencies through the HTTP API: bad input answered 422 naming the field in Vietnamese and English with nothing
written; who sees the approximate point and who the exact address; rate limits per phone; repeated posts flagged
to the ward; a claim without a verified phone refused."""

from typing import Any

import pytest
from temporalio.client import Client

from domain.emergency import APPROXIMATE_STEP_DEGREES, EmergencyCategory, EmergencyPolicy
from domain.roles import Role
from tests.emergency_fixtures import (
    BEN_NGHE_POINT,
    V,
    a_phone,
    emergency_app,
    emergency_count,
    post,
    post_body,
    posted,
    row,
    staff_headers,
    world,
)
from tests.factories import OTHER_DISTRICT, WARD
from tests.pledge_fixtures import a_helper
from tests.sms import last_code_sent_to
from tests.trust_fixtures import in_process
from texts import Text, text

pytestmark = pytest.mark.timeout(180)
__all__ = ["world"]

BAD_POSTS = [
    ({"ward_code": "99999"}, "ward_code", "outside_city", Text("err.emergency.ward_outside_city")),
    # Hà Nội's Phúc Xá: a ward, not the city's
    ({"ward_code": "00001"}, "ward_code", "outside_city", Text("err.emergency.ward_outside_city")),
    ({"latitude": 21.0285, "longitude": 105.8542}, "latitude", "outside_city",
     Text("err.emergency.point_outside_city")),  # Hà Nội
    ({"latitude": 10.78, "longitude": None}, None, "latitude_and_longitude", Text("err.latitude_and_longitude")),
    ({"description": ""}, "description", "description_too_short", Text("err.description_too_short", least=10)),
    ({"description": "   cần   "}, "description", "description_too_short",
     Text("err.description_too_short", least=10)),
    ({"description": "Cần gạo. " * 120}, "description", "description_too_long",
     Text("err.description_too_long", most=1000)),
    ({"description": "!!!!.....??????"}, "description", "description_only_punctuation",
     Text("err.description_only_punctuation")),
    ({"description": "aaaaaaaaaaaaaaaa"}, "description", "description_says_nothing",
     Text("err.description_says_nothing")),
    ({"description": "giúp vớiiiiiiiii ạ"}, "description", "description_repeated_character",
     Text("err.description_repeated_character")),
    ({"description": "ab ab ab ab ab ab"}, "description", "description_says_nothing",
     Text("err.description_says_nothing")),
    ({"category": "weapons"}, "category", "unknown_category", None),
    ({"urgency": "yesterday"}, "urgency", "unknown_urgency", None),
    ({"address": ""}, "address", "address_length", Text("err.address_length", least=3, most=300)),
]  # fmt: skip


@pytest.mark.parametrize(("change", "field", "kind", "words"), BAD_POSTS)
async def test_bad_posts_are_refused_naming_the_field_and_write_nothing(
    world: Any, change: dict[str, Any], field: str | None, kind: str, words: Text | None
) -> None:
    http, _ = world
    answer = await post(http, **change)
    assert answer.status_code == 422, answer.text
    problem = answer.json()["detail"][0]
    assert problem["type"] == kind and (field is None or problem["loc"][-1] == field), problem
    assert "(" not in problem["msg"], problem  # one language, not "tiếng Việt (English)"
    if words is not None:
        assert problem["msg"] == words.render("vi"), problem
    assert await emergency_count() == 0


async def test_answers_are_in_the_callers_language_and_a_refusal_keeps_its_code(world: Any) -> None:
    http, _ = world
    phone = a_phone()
    sent = await http.post(f"{V}/emergencies/otp", json={"phone": phone}, headers={"Accept-Language": "en"})
    assert sent.status_code == 202 and sent.json()["message"] == text("en", "community.code_sent"), sent.text
    body = {"phone": phone, "code": await last_code_sent_to(phone), **post_body(category="weapons")}
    answers = [await http.post(f"{V}/emergencies", json=body, headers=h) for h in ({}, {"Accept-Language": "en"})]
    problems = [answer.json()["detail"][0] for answer in answers]
    assert [a.status_code for a in answers] == [422, 422] and {p["type"] for p in problems} == {"unknown_category"}
    choices = ", ".join(c.value for c in EmergencyCategory)
    assert problems[0]["msg"] == text("vi", "err.unknown_category", choices=choices), problems[0]
    assert problems[1]["msg"] == text("en", "err.unknown_category", choices=choices), problems[1]
    assert await emergency_count() == 0


async def test_a_wrong_code_posts_nothing(world: Any) -> None:
    http, _ = world
    phone = a_phone()
    await http.post(f"{V}/emergencies/otp", json={"phone": phone})
    right = await last_code_sent_to(phone)
    wrong = "000000" if right != "000000" else "111111"
    answer = await http.post(f"{V}/emergencies", json={"phone": phone, "code": wrong, **post_body()})
    assert answer.status_code == 401 and "(" not in answer.json()["detail"], answer.text
    assert await emergency_count() == 0


async def test_the_public_sees_an_approximate_point_and_nothing_personal(world: Any) -> None:
    http, settings = world
    made = await posted(http)
    public = (await http.get(f"{V}/emergencies")).json()
    assert len(public) == 1
    shown = public[0]
    assert set(shown) == {"code", "category", "urgency", "state", "ward_code", "ward_name", "district_code",
                          "district_name", "latitude", "longitude", "posted_at"}  # fmt: skip
    assert (shown["latitude"], shown["longitude"]) != BEN_NGHE_POINT
    assert abs(shown["latitude"] - BEN_NGHE_POINT[0]) <= APPROXIMATE_STEP_DEGREES
    assert abs(shown["longitude"] - BEN_NGHE_POINT[1]) <= APPROXIMATE_STEP_DEGREES
    assert "Lê Lợi" not in (await http.get(f"{V}/emergencies")).text
    # A map's viewport: inside the box, found; elsewhere, not.
    inside = (
        f"{BEN_NGHE_POINT[0] - 0.01},{BEN_NGHE_POINT[1] - 0.01},{BEN_NGHE_POINT[0] + 0.01},{BEN_NGHE_POINT[1] + 0.01}"
    )
    assert [e["code"] for e in (await http.get(f"{V}/emergencies", params={"bbox": inside})).json()] == [made["code"]]
    assert (await http.get(f"{V}/emergencies", params={"bbox": "10.9,106.5,11.0,106.6"})).json() == []
    inverted = await http.get(f"{V}/emergencies", params={"bbox": "11.0,106.5,10.9,106.6"})
    assert inverted.status_code == 422 and inverted.json()["detail"][0]["loc"] == ["body", "bbox"]
    # Before a claim, a helper sees no address; the ward in scope does (and reading it is audited).
    _, helper = await a_helper(settings)
    assert (await http.get(f"{V}/emergencies/{made['code']}", headers=helper)).status_code == 404
    ward = await staff_headers(settings, Role.WARD_OFFICIAL, WARD)
    exact = (await http.get(f"{V}/emergencies/{made['code']}", headers=ward)).json()
    assert exact["address"] == "Hẻm 12 Lê Lợi, tầng 3" and exact["exact_latitude"] == BEN_NGHE_POINT[0]
    elsewhere = await staff_headers(settings, Role.DISTRICT_OFFICIAL, OTHER_DISTRICT)
    assert (await http.get(f"{V}/emergencies/{made['code']}", headers=elsewhere)).status_code == 404
    # Claimed, the helper sees the exact address.
    await http.post(f"{V}/emergencies/{made['code']}/claim", headers=helper)
    mine = (await http.get(f"{V}/emergencies/{made['code']}", headers=helper)).json()
    assert mine["address"] == "Hẻm 12 Lê Lợi, tầng 3"


async def test_without_a_point_the_public_sees_the_wards_centre(world: Any) -> None:
    http, _ = world
    await posted(http, latitude=None, longitude=None)
    shown = (await http.get(f"{V}/emergencies")).json()[0]
    assert (shown["latitude"], shown["longitude"]) == (10.780833, 106.702825)  # Phường Bến Nghé's centre


async def test_a_claim_needs_a_helpers_verified_phone(world: Any) -> None:
    http, _ = world
    code = (await posted(http))["code"]
    assert (await http.post(f"{V}/emergencies/{code}/claim")).status_code == 401
    citizen = {"Authorization": "Bearer not-a-token"}
    assert (await http.post(f"{V}/emergencies/{code}/claim", headers=citizen)).status_code == 401
    assert (await row(code)).state == "open"


async def test_posts_are_rate_limited_per_phone_and_repeated_posts_are_flagged_to_the_ward(
    client: Client, task_queue: str
) -> None:
    policy = EmergencyPolicy(repeated_posts=2, post_per_phone={"count": 2, "window": "P1D"})
    app, settings = emergency_app(client, task_queue, policy)
    async for http in in_process(app):
        phone = a_phone()
        first = (await posted(http, phone=phone))["code"]
        second = (await posted(http, phone=phone))["code"]
        third = await post(http, phone=phone)
        assert third.status_code == 429 and third.json()["kind"] == "RateLimited", third.text
        assert await emergency_count() == 2
        once = (await posted(http))["code"]  # another phone: one post, no flag
        ward = await staff_headers(settings, Role.WARD_OFFICIAL, WARD)
        queue = {q["code"]: q for q in (await http.get(f"{V}/emergencies/queue", headers=ward)).json()}
        assert (queue[first]["repeated"], queue[second]["repeated"], queue[once]["repeated"]) == (False, True, False)
        assert queue[second]["posts_by_same_poster"] == 2
