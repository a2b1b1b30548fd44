"""Allocation rounds through the real HTTP API (in-process, on a Temporal dev server with the worker, real
PostgreSQL): a centre official starts today's round, reads its proposal with the need's breakdown, approves it
with an edit; edits beyond a lot or below zero are a 422 naming the field with nothing written; a second approval
is a 409 naming the round; supervisors read and cannot act."""

import asyncio
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import httpx
import pytest
from temporalio.client import Client

from common.settings import get_settings
from domain.roles import Role
from server import create_app
from tests.allocation_round_helpers import city_lot, round_row, waiting_for_bags
from tests.factories import DISTRICT, OTHER_DISTRICT, OTHER_DISTRICT_WARD, WARD, make_staff
from tests.live_stack import dev_server
from tests.trust_fixtures import in_process
from texts import text
from usecases.supply.allocation_rounds import city_today
from usecases.trust.tokens import issue_staff_token
from worker import build_worker

pytestmark = pytest.mark.timeout(180)

V = "/api/v1"
OWN, OTHER = f"KHO-Q{DISTRICT}", f"KHO-Q{OTHER_DISTRICT}"


@dataclass
class Api:
    http: httpx.AsyncClient
    official: dict[str, str]
    second_official: dict[str, str]
    supervisor: dict[str, str]
    temporal: Client  # the dev server the round runs on, not the suite's time-skipping one


@pytest.fixture
async def api(db: None) -> AsyncIterator[Api]:
    """The app and a worker on a dev server of their own: today's round is the real day's, and a round that other
    tests' time-skipping server had seen would be that day's for good."""
    async with dev_server() as env:
        queue = f"rounds-{uuid.uuid4()}"
        async with build_worker(env.client, queue):
            async for api in _api(env.client, queue):
                yield api


async def _api(client: Client, queue: str) -> AsyncIterator[Api]:
    settings = get_settings().model_copy(update={"task_queue": queue})
    app = create_app(settings)
    app.state.temporal = client

    async def headers(role: Role) -> dict[str, str]:
        who = await make_staff(role, "79")
        return {"Authorization": f"Bearer {issue_staff_token(settings, who.id, who.role)}"}

    official, second, supervisor = (
        await headers(Role.CITY_OFFICIAL),
        await headers(Role.CITY_OFFICIAL),
        await headers(Role.SUPERVISOR),
    )
    async for http in in_process(app):
        yield Api(http, official, second, supervisor, client)


async def _proposed(api: Api, day: str) -> dict[str, Any]:
    for _ in range(300):
        answer = await api.http.get(f"{V}/allocation-rounds/{day}", headers=api.supervisor)
        if answer.status_code == 200 and answer.json()["stage"] != "solving":
            return dict(answer.json())
        await asyncio.sleep(0.05)
    raise AssertionError("the round was never proposed")


async def test_a_round_started_now_is_proposed_read_and_approved_with_an_edit(api: Api) -> None:
    await waiting_for_bags(WARD, DISTRICT, 10)
    await waiting_for_bags(OTHER_DISTRICT_WARD, OTHER_DISTRICT, 10)
    lot = await city_lot("KHO-TP-1", "rice", Decimal(100), None)

    assert (await api.http.post(f"{V}/allocation-rounds", headers=api.supervisor)).status_code == 403
    started = await api.http.post(f"{V}/allocation-rounds", headers=api.official)
    assert started.status_code == 202, started.text
    day = started.json()["round_date"]
    assert day == city_today().isoformat()

    view = await _proposed(api, day)
    assert view["stage"] == "proposed"
    assert [(x["to_place"], x["item_code"], Decimal(x["quantity"])) for x in view["proposed"]] == [
        (OWN, "rice", Decimal(50)),
        (OTHER, "rice", Decimal(50)),
    ]
    line = view["proposed"][0]
    assert Decimal(line["need"]) == 100 and Decimal(line["stock_left"]) == 0 and line["expires_on"] is None
    own = next(n for n in view["needs"] if n["place_code"] == OWN)
    assert [(p["kind"], Decimal(p["quantity"]), p["note"]) for p in own["bag_parts"]] == [
        ("awaiting_stock", Decimal(10), WARD)
    ]
    rice = next(i for i in own["items"] if i["item_code"] == "rice")
    assert Decimal(rice["gross"]) == 100 and Decimal(rice["on_hand"]) == 0
    assert {c["district_code"] for c in view["coverage"]} == {DISTRICT, OTHER_DISTRICT}
    assert [(x["lot_id"], x["days_to_expiry"]) for x in view["lots"]] == [(lot, None)]
    listed = await api.http.get(f"{V}/allocation-rounds", headers=api.supervisor)
    assert [r["round_date"] for r in listed.json()] == [day]

    def edit(quantity: str, to: str = OWN) -> dict[str, Any]:
        return {"edits": [{"lot_id": lot, "to_place": to, "quantity": quantity, "why": "quận 8 thiếu nặng hơn"}]}

    beyond = text("vi", "err.round_edit.beyond_lot", holds="100")  # 51 here and the other district's 50
    for body, field, code, words in (
        (edit("51"), "edits.0.quantity", "beyond_lot", beyond),
        (edit("-1"), "edits.0.quantity", "below_zero", text("vi", "err.round_edit.below_zero")),
        (
            edit("5", "BV-115"),
            "edits.0.to_place",
            "unknown_destination",
            text("vi", "err.round_edit.unknown_destination"),
        ),
    ):
        refused = await api.http.post(f"{V}/allocation-rounds/{day}/approval", json=body, headers=api.official)
        assert refused.status_code == 422, refused.text
        [problem] = refused.json()["detail"]
        assert (problem["loc"], problem["type"], problem["msg"]) == (["body", field], code, words), refused.text
    assert (
        await api.http.post(f"{V}/allocation-rounds/{day}/approval", json={}, headers=api.supervisor)
    ).status_code == 403
    assert (await round_row(city_today())).stage == "proposed"

    # Less to the own district: approved with the change, sent twice under one key, recorded once.
    keyed = {**api.official, "Idempotency-Key": "approve-1"}
    approved = await api.http.post(f"{V}/allocation-rounds/{day}/approval", json=edit("40"), headers=keyed)
    again = await api.http.post(f"{V}/allocation-rounds/{day}/approval", json=edit("40"), headers=keyed)
    assert approved.status_code == 200, approved.text
    assert approved.json() == again.json() and approved.json()["stage"] == "approved"
    assert len(approved.json()["shipments"]) == 2

    second = await api.http.post(f"{V}/allocation-rounds/{day}/approval", json={}, headers=api.second_official)
    assert second.status_code == 409 and second.json()["kind"] == "WrongStage" and day in second.json()["reason"]
    resolve = await api.http.post(f"{V}/allocation-rounds/{day}/solve-again", headers=api.official)
    assert resolve.status_code == 409

    view = (await api.http.get(f"{V}/allocation-rounds/{day}", headers=api.official)).json()
    assert [(x["to_place"], Decimal(x["quantity"]), Decimal(x["proposed"]), x["why"]) for x in view["approved"]] == [
        (OWN, Decimal(40), Decimal(50), "quận 8 thiếu nặng hơn"),
        (OTHER, Decimal(50), Decimal(50), None),
    ]
    assert all(x["shipment_code"] for x in view["approved"])
