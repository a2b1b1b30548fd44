"""Shipments through the real HTTP API (in-process, on the time-skipping server with a worker, real PostgreSQL):
the source's staff see and dispatch a shipment, the destination's staff receive it with counts; bad input is a 4xx
naming the field in Vietnamese and English with nothing written; a receipt sent twice at once, and again with the
same key, moves the stock once and the ledger's balances still equal their movements."""

import asyncio
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import httpx
import pytest
from temporalio.client import Client

from common.settings import get_settings
from db.base import transaction
from domain.roles import Role
from domain.shipment_flow import OpenInput, ShipmentPolicy, ShipmentStage
from domain.shipments import ShipmentLine, ShipmentOrder
from server import create_app
from services import shipments
from services.supply_seed import ward_point_code
from tests.factories import DISTRICT, OTHER_DISTRICT_WARD, WARD, make_staff
from tests.shipment_helpers import (
    DESTINATION,
    SOURCE,
    a_code,
    in_days,
    ledger_discrepancies,
    movements,
    start,
    stock,
    until_stage,
)
from tests.test_donation_api import assert_names_field
from tests.trust_fixtures import in_process
from texts import text
from usecases.trust.tokens import issue_staff_token

pytestmark = pytest.mark.timeout(180)
V = "/api/v1"
DRIVER = {"driver_name": "Nguyễn Văn Tài", "driver_phone": "0912 345 678", "vehicle_plate": "51c-123.45"}


@dataclass
class Api:
    http: httpx.AsyncClient
    source: dict[str, str]  # headers of the source's staff
    destination: dict[str, str]
    elsewhere: dict[str, str]  # another district's ward point
    city: dict[str, str]


@pytest.fixture
async def api(client: Client, task_queue: str) -> AsyncIterator[Api]:
    settings = get_settings().model_copy(update={"task_queue": task_queue})
    app = create_app(settings)
    app.state.temporal = client

    async def headers(role: Role, unit: str, place: str | None = None) -> dict[str, str]:
        who = await make_staff(role, unit, place_code=place)
        return {"Authorization": f"Bearer {issue_staff_token(settings, who.id, who.role)}"}

    source = await headers(Role.WAREHOUSE_STAFF, DISTRICT, SOURCE)
    destination = await headers(Role.WAREHOUSE_STAFF, WARD, DESTINATION)
    elsewhere = await headers(Role.WAREHOUSE_STAFF, OTHER_DISTRICT_WARD, ward_point_code(OTHER_DISTRICT_WARD))
    city = await headers(Role.CITY_OFFICIAL, "79")
    async for http in in_process(app):
        yield Api(http, source, destination, elsewhere, city)


def _codes(answer: httpx.Response, which: str) -> list[str]:
    assert answer.status_code == 200, answer.text
    return [row["code"] for row in answer.json()[which]]


async def test_dispatched_and_received_through_the_api_exactly_once(api: Api, client: Client, task_queue: str) -> None:
    await stock(SOURCE, "rice", Decimal(100), in_days(30))
    await stock(SOURCE, "canned_fish", Decimal(24), in_days(300))
    handle = await start(client, task_queue, [("rice", Decimal(60), None), ("canned_fish", Decimal(24), None)])
    code = handle.id.removeprefix("shipment-")
    await until_stage(handle, ShipmentStage.PICKED)
    url = f"{V}/shipments/{code}"

    assert code in _codes(await api.http.get(f"{V}/shipments", headers=api.source), "outgoing")
    assert code in _codes(await api.http.get(f"{V}/shipments", headers=api.destination), "incoming")
    assert code not in (await api.http.get(f"{V}/shipments", headers=api.elsewhere)).text
    assert (await api.http.get(url, headers=api.elsewhere)).status_code == 404

    # Bad dispatches: nothing written.
    # The phone is a mobile's (domain/identity.py, whose code is its own); a landline is refused.
    for field, value, problem in (
        ("vehicle_plate", "ABC-1", "plate_invalid"),
        ("driver_phone", "028 3822 1234", None),
        ("driver_name", "", "driver_name_length"),
    ):
        answer = await api.http.post(f"{url}/dispatch", json=DRIVER | {field: value}, headers=api.source)
        assert_names_field(answer, field, problem)
    wrong_end = await api.http.post(f"{url}/dispatch", json=DRIVER, headers=api.destination)
    assert wrong_end.status_code == 403 and wrong_end.json()["kind"] == "OutOfScope"
    assert (await api.http.post(f"{url}/dispatch", json=DRIVER, headers=api.elsewhere)).status_code == 404
    assert await movements(code) == {("#", "#", "#"): 0}

    key = {"Idempotency-Key": f"dispatch-{uuid.uuid4().hex}"}
    sent = await api.http.post(f"{url}/dispatch", json=DRIVER, headers=api.source | key)
    again = await api.http.post(f"{url}/dispatch", json=DRIVER, headers=api.source | key)
    assert sent.status_code == again.status_code == 200 and sent.json() == again.json()
    assert sent.json()["stage"] == "in_transit"
    assert (await movements(code))[("#", "#", "#")] == 2
    view = (await api.http.get(url, headers=api.destination)).json()
    assert (view["vehicle_plate"], view["driver_phone"]) == ("51C-123.45", "+84912345678")
    assert (await api.http.get(url, headers=api.city)).json()["driver_phone"] == "0912***678"

    # Bad receipts: nothing written.
    good = [{"line_no": 1, "received_quantity": 58}, {"line_no": 2, "received_quantity": 24}]
    cases: list[tuple[list[dict[str, Any]], str, str]] = [
        ([{"line_no": 1, "received_quantity": -1}, good[1]], "lines.0.received_quantity", "counted_negative"),
        # More than twice the 60 sent.
        ([{"line_no": 1, "received_quantity": 121}, good[1]], "lines.0.received_quantity", "too_large"),
        ([good[0], {"line_no": 2, "received_quantity": "2.5"}], "lines.1.received_quantity", "not_whole"),  # tins
        ([*good, {"line_no": 3, "received_quantity": 1}], "lines.2.line_no", "unknown_line"),
        ([good[0], good[0], good[1]], "lines.1.line_no", "line_counted_twice"),
        (good[:1], "lines", "missing_lines"),
    ]
    for lines, field, problem in cases:
        answer = await api.http.post(f"{url}/receipt", json={"lines": lines}, headers=api.destination)
        assert_names_field(answer, field, problem)
    wrong_end = await api.http.post(f"{url}/receipt", json={"lines": good}, headers=api.source)
    assert wrong_end.status_code == 403 and wrong_end.json()["kind"] == "OutOfScope"
    assert (await api.http.post(f"{url}/receipt", json={"lines": good}, headers=api.elsewhere)).status_code == 404
    assert (await movements(code))[("#", "#", "#")] == 2

    # A double tap (two at once, one key), then a retry with the key: one receipt. Another key is refused.
    key = {"Idempotency-Key": f"receipt-{uuid.uuid4().hex}"}
    body = {"lines": good, "note": "2 kg gạo ướt"}
    first, second = await asyncio.gather(
        api.http.post(f"{url}/receipt", json=body, headers=api.destination | key),
        api.http.post(f"{url}/receipt", json=body, headers=api.destination | key),
    )
    retried = await api.http.post(f"{url}/receipt", json=body, headers=api.destination | key)
    assert {first.status_code, second.status_code, retried.status_code} == {200}, (first.text, second.text)
    assert first.json() == second.json() == retried.json() and first.json()["stage"] == "received"
    other = await api.http.post(f"{url}/receipt", json=body, headers=api.destination | {"Idempotency-Key": "x-2"})
    assert other.status_code == 409 and other.json()["kind"] == "WrongStage"
    twice = await api.http.post(f"{url}/receipt", json=body, headers=api.destination)
    assert twice.status_code == 409

    ledger = await movements(code)
    assert ledger[(DESTINATION, "transferred_in", "rice")] == 60
    assert ledger[(DESTINATION, "adjusted_down", "rice")] == -2
    assert ledger[("#", "#", "#")] == 5  # two out, two in, one short
    assert await ledger_discrepancies() == []
    assert code in _codes(await api.http.get(f"{V}/shipments", headers=api.city), "late")  # received short


async def test_a_shipment_not_picked_yet_cannot_be_dispatched(api: Api) -> None:
    code = a_code()
    order = ShipmentOrder(
        code=code, from_place=SOURCE, to_place=DESTINATION, lines=(ShipmentLine(item_code="rice", quantity=1),)
    )
    async with transaction() as session:
        await shipments.open_shipment(session, OpenInput(order=order, at=datetime.now(UTC)), ShipmentPolicy())
    early = await api.http.post(f"{V}/shipments/{code}/dispatch", json=DRIVER, headers=api.source)
    assert early.status_code == 409 and early.json()["kind"] == "WrongStage"
    assert early.json()["detail"] == text("vi", "refused.WrongStage") and "not picked yet" in early.json()["reason"]
