"""An emergency's whole life through the real HTTP API on the time-skipping server: claimed, fulfilled and
confirmed; unclaimed and escalated, then closed as unfulfilled; a claim that lapses, is offered again and slows its
helper; fulfilled and never confirmed; closed and hidden by the ward; claimed by the ward and the SOS team in
scope; a second claim and someone else's fulfilment refused with nothing written."""

import asyncio
from datetime import timedelta
from typing import Any

import pytest
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from domain import names
from domain.emergency import EMERGENCY_POLICY, EmergencyPolicy, EmergencyState
from domain.roles import Role
from tests.emergency_fixtures import (
    BEN_NGHE_POINT,
    V,
    emergency_app,
    events,
    posted,
    result,
    row,
    staff_headers,
    world,
)
from tests.factories import DISTRICT, OTHER_DISTRICT, OTHER_WARD_SAME_DISTRICT, WARD
from tests.pledge_fixtures import a_helper
from tests.trust_fixtures import in_process
from texts import text

pytestmark = pytest.mark.timeout(180)
__all__ = ["world"]


async def search_attributes(client: Client, code: str) -> dict[str, Any]:
    described = await client.get_workflow_handle(names.emergency_workflow_id(code)).describe()
    attrs = described.typed_search_attributes
    keys = (names.SA_KIND, names.SA_STAGE, names.SA_DISTRICT, names.SA_WARD, names.SA_OVERDUE)
    return {key.name: attrs.get(key) for key in keys}


async def test_claimed_fulfilled_and_confirmed(world: Any, client: Client) -> None:
    http, settings = world
    made = await posted(http)
    code, follow = made["code"], made["follow_path"]
    assert made["state"] == "open" and follow.startswith(f"/khan-cap/{code}?t=")
    assert await search_attributes(client, code) == {
        "AnSinhKind": "emergency", "AnSinhStage": "open", "AnSinhDistrict": DISTRICT, "AnSinhWard": WARD,
        "AnSinhOverdue": False,
    }  # fmt: skip
    _, helper = await a_helper(settings)
    claimed = await http.post(f"{V}/emergencies/{code}/claim", headers=helper)
    assert claimed.json() == {"state": "claimed"}, claimed.text
    mine = (await http.get(f"{V}/helper/emergencies", headers=helper)).json()
    assert [m["code"] for m in mine] == [code] and mine[0]["address"] == "Hẻm 12 Lê Lợi, tầng 3"
    assert (mine[0]["exact_latitude"], mine[0]["exact_longitude"]) == BEN_NGHE_POINT
    done = await http.post(f"{V}/emergencies/{code}/fulfilment", json={"note": "đã mang 2 hộp sữa"}, headers=helper)
    assert done.json() == {"state": "fulfilled"}, done.text
    token = follow.split("?t=")[1]
    seen = (await http.get(f"{V}/emergencies/{code}/follow", params={"t": token})).json()
    assert seen["state"] == "fulfilled" and seen["fulfilment_note"] == "đã mang 2 hộp sữa"
    confirmed = await http.post(f"{V}/emergencies/{code}/confirmation", json={"token": token})
    assert confirmed.json() == {"state": "confirmed"}, confirmed.text
    again = await http.post(f"{V}/emergencies/{code}/confirmation", json={"token": token})
    assert again.json() == {"state": "confirmed"}
    assert await result(client, code) == EmergencyState.CONFIRMED
    assert await events(code) == ["posted", "claimed", "fulfilled", "confirmed"]
    assert (await search_attributes(client, code))["AnSinhStage"] == "confirmed"
    # A wrong token opens nothing.
    forged = ("y" if token[0] == "x" else "x") + token[1:]
    assert (await http.get(f"{V}/emergencies/{code}/follow", params={"t": forged})).status_code == 404


async def test_unclaimed_is_escalated_late_first_then_closed_unfulfilled(
    world: Any, client: Client, temporal_env: WorkflowEnvironment
) -> None:
    http, settings = world
    late = (await posted(http, urgency="soon"))["code"]
    await temporal_env.sleep(EMERGENCY_POLICY.escalate_after + timedelta(minutes=1))
    assert (await row(late)).escalated_at is not None
    assert (await search_attributes(client, late))["AnSinhOverdue"] is True
    fresh = (await posted(http, urgency="now"))["code"]
    ward = await staff_headers(settings, Role.WARD_OFFICIAL, WARD)
    queue = (await http.get(f"{V}/emergencies/queue", headers=ward)).json()
    assert [(q["code"], q["late"]) for q in queue] == [(late, True), (fresh, False)]  # late before more urgent
    sos = await staff_headers(settings, Role.CITY_OFFICIAL, "79")
    assert [q["code"] for q in (await http.get(f"{V}/emergencies/queue", headers=sos)).json()] == [late, fresh]
    await temporal_env.sleep(EMERGENCY_POLICY.open_for)
    assert await result(client, late) == EmergencyState.CLOSED
    assert await events(late) == ["posted", "escalated", "unfulfilled_closed"]
    assert late not in (await http.get(f"{V}/emergencies")).text


async def test_a_claim_not_fulfilled_in_time_is_released_offered_again_and_its_helper_slowed(
    client: Client, task_queue: str, temporal_env: WorkflowEnvironment
) -> None:
    policy = EmergencyPolicy(helper_lapses_to_slow=2, helper_lapses_to_flag=1, max_releases=2)
    app, settings = emergency_app(client, task_queue, policy)
    async for http in in_process(app):
        code = (await posted(http))["code"]
        _, helper = await a_helper(settings)
        for lapse in (1, 2):
            claimed = await http.post(f"{V}/emergencies/{code}/claim", headers=helper)
            assert claimed.json() == {"state": "claimed"}, claimed.text
            ward = await staff_headers(settings, Role.WARD_OFFICIAL, WARD)
            shown = (await http.get(f"{V}/emergencies/queue", headers=ward)).json()[0]
            assert shown["claimer_flagged"] is (lapse > 1)  # flagged from the first lapse on (this policy)
            await temporal_env.sleep(policy.fulfil_within + timedelta(minutes=1))
            if lapse == 1:
                assert (await row(code)).state == "open" and (await row(code)).releases == 1
                public = (await http.get(f"{V}/emergencies")).json()
                assert [(p["code"], p["state"]) for p in public] == [(code, "open")]  # offered again
                assert (await http.get(f"{V}/emergencies/queue", headers=ward)).json()[0]["releases"] == 1
        assert await result(client, code) == EmergencyState.CLOSED  # max_releases lapses
        assert await events(code) == [
            "posted", "claimed", "released", "claimed", "released", "unfulfilled_closed",
        ]  # fmt: skip
        # Slowed: no new claim for now.
        other = (await posted(http))["code"]
        slowed = await http.post(f"{V}/emergencies/{other}/claim", headers=helper)
        assert slowed.status_code == 429 and slowed.json()["kind"] == "RateLimited", slowed.text
        assert (await row(other)).state == "open"


async def test_fulfilled_and_never_confirmed_closes_itself(
    world: Any, client: Client, temporal_env: WorkflowEnvironment
) -> None:
    http, settings = world
    code = (await posted(http))["code"]
    _, helper = await a_helper(settings)
    await http.post(f"{V}/emergencies/{code}/claim", headers=helper)
    await http.post(f"{V}/emergencies/{code}/fulfilment", json={}, headers=helper)
    await temporal_env.sleep(EMERGENCY_POLICY.confirm_within + timedelta(minutes=1))
    assert await result(client, code) == EmergencyState.CLOSED
    assert await events(code) == ["posted", "claimed", "fulfilled", "unconfirmed_closed"]


async def test_the_ward_closes_with_a_reason_and_hides_a_false_post(world: Any, client: Client) -> None:
    http, settings = world
    ward = await staff_headers(settings, Role.WARD_OFFICIAL, WARD)
    closing = (await posted(http))["code"]
    no_reason = await http.post(f"{V}/emergencies/{closing}/closure", json={"reason": ""}, headers=ward)
    assert no_reason.status_code == 422 and no_reason.json()["detail"][0]["loc"] == ["body", "reason"]
    closed = await http.post(f"{V}/emergencies/{closing}/closure", json={"reason": "đã có tổ dân phố lo"}, headers=ward)
    assert closed.json() == {"state": "closed"}, closed.text
    assert (await row(closing)).close_reason == "đã có tổ dân phố lo"
    made = await posted(http)
    hiding = made["code"]
    hidden = await http.post(f"{V}/emergencies/{hiding}/hiding", json={"reason": "tin giả"}, headers=ward)
    assert hidden.json() == {"state": "hidden"}, hidden.text
    assert await result(client, hiding) == EmergencyState.HIDDEN
    assert hiding not in (await http.get(f"{V}/emergencies")).text
    token = made["follow_token"]
    assert (await http.get(f"{V}/emergencies/{hiding}/follow", params={"t": token})).status_code == 404
    _, helper = await a_helper(settings)
    assert (await http.post(f"{V}/emergencies/{hiding}/claim", headers=helper)).status_code == 404
    # Another district's official cannot close, hide or read it (404, as if it did not exist).
    elsewhere = await staff_headers(settings, Role.DISTRICT_OFFICIAL, OTHER_DISTRICT)
    assert (await http.get(f"{V}/emergencies/{closing}", headers=elsewhere)).status_code == 404


async def test_the_ward_and_the_sos_team_take_emergencies_in_their_scope(world: Any, client: Client) -> None:
    http, settings = world
    code = (await posted(http))["code"]
    other_ward = await staff_headers(settings, Role.WARD_OFFICIAL, OTHER_WARD_SAME_DISTRICT)
    assert (await http.post(f"{V}/emergencies/{code}/claim", headers=other_ward)).status_code == 404
    ward = await staff_headers(settings, Role.WARD_OFFICIAL, WARD)
    assert (await http.post(f"{V}/emergencies/{code}/claim", headers=ward)).json() == {"state": "claimed"}
    assert (await http.post(f"{V}/emergencies/{code}/fulfilment", json={}, headers=ward)).json() == {
        "state": "fulfilled"
    }
    sos_case = (await posted(http))["code"]
    sos = await staff_headers(settings, Role.CITY_OFFICIAL, "79")
    assert (await http.post(f"{V}/emergencies/{sos_case}/claim", headers=sos)).json() == {"state": "claimed"}
    assert (await row(sos_case)).claimed_by_staff is not None


async def test_a_second_claim_and_someone_elses_fulfilment_are_refused_and_write_nothing(
    world: Any, client: Client
) -> None:
    http, settings = world
    code = (await posted(http))["code"]
    (_, first), (_, second) = await a_helper(settings), await a_helper(settings)
    answers = await asyncio.gather(
        http.post(f"{V}/emergencies/{code}/claim", headers=first),
        http.post(f"{V}/emergencies/{code}/claim", headers=second),
    )
    first_status, second_status = sorted(a.status_code for a in answers)
    assert first_status == 200 and second_status in (409, 422), [a.text for a in answers]  # 409: the validator's
    winner = first if answers[0].status_code == 200 else second
    loser = second if winner is first else first
    before = await events(code)
    again = await http.post(f"{V}/emergencies/{code}/claim", headers=loser)
    assert again.status_code == 422, again.text
    assert again.json()["detail"][0]["loc"] == ["path", "emergency_code"]
    assert again.json()["detail"][0]["type"] == "already_claimed"
    assert again.json()["detail"][0]["msg"] == text("vi", "err.already_claimed")
    theirs = await http.post(f"{V}/emergencies/{code}/fulfilment", json={}, headers=loser)
    assert theirs.status_code == 422 and theirs.json()["detail"][0]["type"] == "not_your_claim", theirs.text
    assert (await http.get(f"{V}/emergencies/{code}", headers=loser)).status_code == 404  # no address either
    assert await events(code) == before == ["posted", "claimed"]
    assert (await http.post(f"{V}/emergencies/{code}/claim", headers=winner)).json() == {"state": "claimed"}
