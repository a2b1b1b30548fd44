"""The emergency pages without JavaScript: a requester posts through the two forms (details, then the SMS code),
a bad field comes back named and kept; a helper takes it from the public list and sees the address on their own
page; the requester's page confirms; the ward's queue shows the late one first and closes or hides; the
registration's emergency choice leads to the new form. And the dashboard's emergency figures."""

from datetime import timedelta
from typing import Any

import pytest
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from domain.emergency import EMERGENCY_POLICY
from domain.roles import Role
from tests.emergency_fixtures import V, a_phone, posted, row, world
from tests.factories import DISTRICT, WARD, make_staff
from tests.pledge_fixtures import a_helper
from tests.sms import last_code_sent_to
from tests.trust_fixtures import jpeg_bytes
from usecases.trust.tokens import SESSION_COOKIE, issue_helper_token, issue_staff_token
from web.csrf import CSRF_COOKIE, form_token

pytestmark = pytest.mark.timeout(180)
__all__ = ["world"]
NONCE = "emergency-pages-nonce"


def cookies(token: str | None = None) -> dict[str, str]:
    session = f"{SESSION_COOKIE}={token}; " if token else ""
    return {"Cookie": f"{session}{CSRF_COOKIE}={NONCE}"}


async def staff_session(settings: Any, role: Role, unit: str) -> dict[str, str]:
    staff = await make_staff(role, unit)
    return cookies(issue_staff_token(settings, staff.id, staff.role))


DETAILS = {
    "district": DISTRICT, "category": "medicine", "urgency": "now", "description": "Bà cụ sốt cao, cần thuốc hạ sốt",
    "ward_code": WARD, "address": "45 Hẻm 3 Nguyễn Huệ",
}  # fmt: skip


async def test_posting_following_taking_and_confirming_on_the_pages(world: Any, client: Client) -> None:
    http, settings = world
    form = {"csrf_token": form_token(settings, NONCE)}
    first = await http.get("/khan-cap/moi")
    assert first.status_code == 200 and "Cần giúp khẩn cấp" in first.text and 'name="ward_code"' not in first.text
    step = await http.get("/khan-cap/moi", params={"district": DISTRICT})
    assert 'name="ward_code"' in step.text and "Phường Bến Nghé" in step.text
    phone = a_phone()
    bad = await http.post("/khan-cap/moi", data={**form, **DETAILS, "description": "!!!!!!!", "phone": phone},
                          headers=cookies())  # fmt: skip
    assert bad.status_code == 422 and 'href="#f-description"' in bad.text and "45 Hẻm 3 Nguyễn Huệ" in bad.text
    sent = await http.post("/khan-cap/moi", data={**form, **DETAILS, "phone": phone}, headers=cookies())
    assert sent.status_code == 200 and 'name="otp"' in sent.text, sent.text
    code = await last_code_sent_to(phone)
    assert code is not None
    wrong = await http.post("/khan-cap/gui", data={**form, **DETAILS, "phone": phone, "otp": "12345x"},
                            headers=cookies())  # fmt: skip
    assert wrong.status_code == 422 and 'href="#f-otp"' in wrong.text
    made = await http.post("/khan-cap/gui", data={**form, **DETAILS, "phone": phone, "otp": code}, headers=cookies())
    assert made.status_code == 303, made.text
    follow = made.headers["location"]
    page = await http.get(follow)
    assert page.status_code == 200 and "Đã gửi yêu cầu khẩn cấp" in page.text and "Đang chờ người giúp" in page.text
    emergency = follow.split("/khan-cap/")[1].split("?")[0]
    # The public list: the area, never the address or the description.
    public = await http.get("/khan-cap")
    assert emergency in public.text and "Phường Bến Nghé" in public.text
    assert "Nguyễn Huệ" not in public.text and "sốt cao" not in public.text
    helper_id, _ = await a_helper(settings)
    helper = cookies(issue_helper_token(settings, helper_id))
    listed = await http.get("/khan-cap", headers=helper)
    assert f'action="/khan-cap/{emergency}/nhan"' in listed.text
    taken = await http.post(f"/khan-cap/{emergency}/nhan", data=form, headers=helper)
    assert taken.status_code == 303 and taken.headers["location"] == "/nguoi-giup/khan-cap"
    mine = await http.get("/nguoi-giup/khan-cap", headers=helper)
    assert "45 Hẻm 3 Nguyễn Huệ" in mine.text and "sốt cao" in mine.text
    second_id, _ = await a_helper(settings)
    again = await http.post(f"/khan-cap/{emergency}/nhan", data=form,
                            headers=cookies(issue_helper_token(settings, second_id)))  # fmt: skip
    assert again.status_code == 409 and "đã có người nhận" in again.text
    assert 'enctype="multipart/form-data"' in mine.text and 'name="photo"' in mine.text
    not_a_photo = {"photo": ("x.jpg", b"not an image", "image/jpeg")}
    refused = await http.post(f"/khan-cap/{emergency}/da-giup", data={**form, "note": "đã đưa 1 vỉ thuốc"},
                              files=not_a_photo, headers=helper)  # fmt: skip
    assert refused.status_code == 422 and "Đang chờ người giúp" not in refused.text  # nothing done, it says why
    picture = {"photo": ("thuoc.jpg", jpeg_bytes((400, 300)), "image/jpeg")}
    done = await http.post(f"/khan-cap/{emergency}/da-giup", data={**form, "note": "đã đưa 1 vỉ thuốc"},
                           files=picture, headers=helper)  # fmt: skip
    assert done.status_code == 303, done.text
    page = await http.get(follow)
    assert "đã đưa 1 vỉ thuốc" in page.text and f'action="/khan-cap/{emergency}/xac-nhan"' in page.text
    token = follow.split("t=")[1].split("&")[0]
    assert f'src="/khan-cap/{emergency}/anh?t={token}"' in page.text  # the poster sees what was brought
    shown = await http.get(f"/khan-cap/{emergency}/anh", params={"t": token})
    assert shown.status_code == 200 and shown.headers["content-type"] == "image/jpeg"
    assert (await http.get(f"/khan-cap/{emergency}/anh", headers=helper)).content == shown.content
    assert (await http.get(f"/khan-cap/{emergency}/anh", params={"t": "wrong"})).status_code == 404
    confirmed = await http.post(f"/khan-cap/{emergency}/xac-nhan", data={**form, "token": token}, headers=cookies())
    assert confirmed.status_code == 303
    assert "Đã nhận được giúp đỡ" in (await http.get(follow)).text


async def test_the_wards_queue_shows_the_late_first_and_closes_and_hides(
    world: Any, client: Client, temporal_env: WorkflowEnvironment
) -> None:
    http, settings = world
    form = {"csrf_token": form_token(settings, NONCE)}
    late = (await posted(http, urgency="soon"))["code"]
    await temporal_env.sleep(EMERGENCY_POLICY.escalate_after + timedelta(minutes=1))
    fresh = (await posted(http))["code"]
    ward = await staff_session(settings, Role.WARD_OFFICIAL, WARD)
    page = await http.get("/can-bo/khan-cap", headers=ward)
    assert page.status_code == 200 and page.text.index(late) < page.text.index(fresh)
    assert "Trễ: chưa có người nhận" in page.text and "Hẻm 12 Lê Lợi" in page.text
    no_reason = await http.post(f"/can-bo/khan-cap/{fresh}/dong", data={**form, "reason": ""}, headers=ward)
    assert no_reason.status_code == 422 and (await row(fresh)).state == "open"
    closed = await http.post(f"/can-bo/khan-cap/{fresh}/dong", data={**form, "reason": "đã giúp qua tổ"}, headers=ward)
    assert closed.status_code == 303, closed.text
    hidden = await http.post(f"/can-bo/khan-cap/{late}/an", data={**form, "reason": "tin giả"}, headers=ward)
    assert hidden.status_code == 303, hidden.text
    assert late not in (await http.get("/khan-cap")).text


async def test_the_registrations_emergency_choice_leads_to_the_emergency_form(world: Any) -> None:
    http, _ = world
    answer = await http.get("/dang-ky/thong-tin", params={"ward": WARD, "loai": "khan-cap"})
    assert answer.status_code == 303 and answer.headers["location"] == f"/khan-cap/moi?ward={WARD}"
    form = await http.get(answer.headers["location"])
    assert f'<option value="{WARD}" selected>' in form.text


async def test_the_dashboard_counts_emergencies_by_district_with_times_to_claim_and_fulfil(
    world: Any, client: Client, temporal_env: WorkflowEnvironment
) -> None:
    http, settings = world
    _, helper = await a_helper(settings)
    codes = [(await posted(http))["code"] for _ in range(3)]
    await temporal_env.sleep(timedelta(minutes=10))
    await http.post(f"{V}/emergencies/{codes[0]}/claim", headers=helper)
    await temporal_env.sleep(timedelta(minutes=20))
    await http.post(f"{V}/emergencies/{codes[1]}/claim", headers=helper)
    await http.post(f"{V}/emergencies/{codes[0]}/fulfilment", json={}, headers=helper)
    await temporal_env.sleep(timedelta(minutes=5))  # codes[2] is now past the escalation: late
    city = await staff_session(settings, Role.CITY_OFFICIAL, "79")
    page = await http.get("/bang-dieu-khien", headers=city)
    assert page.status_code == 200, page.text
    row_html = page.text.split(f'data-sos-area="{DISTRICT}"')[1].split("</tr>")[0]
    assert "data-open>1<" in row_html and "data-claimed>1<" in row_html and "data-fulfilled>1<" in row_html
    assert '<span class="badge warn">1</span>' in row_html  # the late one
    claim_times = page.text.split('data-sos-time="to_claim"')[1].split("</tr>")[0]
    # Claimed 20 minutes apart (the test server's clock runs ahead of the rows' posting times, so only the
    # difference is known): the median halfway, the 90th percentile 8 minutes past it.
    median = float(claim_times.split("data-median>")[1].split("<")[0])
    p90 = float(claim_times.split("data-p90>")[1].split("<")[0])
    assert '<td class="num">2</td>' in claim_times and abs(p90 - median - 8) < 0.5, (median, p90)
    fulfil_times = page.text.split('data-sos-time="to_fulfil"')[1].split("</tr>")[0]
    assert '<td class="num">1</td>' in fulfil_times


async def test_a_district_official_sees_only_their_districts_emergency_figures(world: Any) -> None:
    http, settings = world
    await posted(http)
    other = await staff_session(settings, Role.DISTRICT_OFFICIAL, "770")
    page = await http.get("/bang-dieu-khien", headers=other)
    assert page.status_code == 200 and f'data-sos-area="{DISTRICT}"' not in page.text
