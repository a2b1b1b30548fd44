"""Places' daily reports through the HTTP API, end to end with the report's workflow: bad input refused whole with
the field named (another place's report 404), a report filed once (a second filing 409, naming the first), a
counted difference reaching the ledger only when a second person approves it, once, and the officials' list."""

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from common.city_time import CITY_TZ
from common.settings import get_settings
from db.base import transaction
from db.place_reports import PlaceReport
from domain import names
from domain.place_reports import PLACE_REPORT_POLICY
from domain.roles import Role
from server import create_app
from services import place_reports, stock_ledger
from services.supply_seed import district_warehouse_code
from tests.factories import make_staff
from tests.place_report_helpers import Opened
from tests.trust_fixtures import in_process
from texts import text
from usecases.supply.place_reports import city_now
from usecases.trust.tokens import issue_staff_token

pytestmark = pytest.mark.timeout(120)

V = "/api/v1"
OTHER = district_warehouse_code("760")
# A district warehouse of its own for each test: the day's workflow of a place outlives a test on the shared server.
DISTRICTS = {
    "test_bad_reports_are_refused_whole_naming_the_field": "774",
    "test_filed_once_and_a_difference_reaches_the_ledger_only_through_a_second_person": "775",
    "test_officials_see_the_days_reports_of_their_scope": "776",
}


@dataclass(frozen=True)
class Office:
    app: FastAPI
    headers: dict[str, dict[str, str]]
    ids: dict[str, uuid.UUID]
    district: str
    place: str


@pytest.fixture
async def office(client: Client, task_queue: str, request: pytest.FixtureRequest) -> AsyncIterator[Office]:
    district = DISTRICTS[request.node.name]
    place = district_warehouse_code(district)
    settings = get_settings().model_copy(update={"task_queue": task_queue})
    app = create_app(settings)
    app.state.temporal = client
    people = {
        "counter": await make_staff(Role.WAREHOUSE_STAFF, district, place_code=place),
        "colleague": await make_staff(Role.WAREHOUSE_STAFF, district, place_code=place),
        "other_place": await make_staff(Role.WAREHOUSE_STAFF, "760", place_code=OTHER),
        "district": await make_staff(Role.DISTRICT_OFFICIAL, district),
        "other_district": await make_staff(Role.DISTRICT_OFFICIAL, "760"),
        "city": await make_staff(Role.CITY_OFFICIAL, "79"),
    }
    headers = {
        name: {"Authorization": f"Bearer {issue_staff_token(settings, who.id, who.role)}"}
        for name, who in people.items()
    }
    yield Office(app, headers, {name: who.id for name, who in people.items()}, district, place)
    opened = Opened(client)  # the day's workflow the filing started: replayed from its history
    opened.ids.append(names.place_report_workflow_id(place, city_now().date()))
    await opened.close()


@pytest.fixture
async def http(office: Office) -> AsyncIterator[httpx.AsyncClient]:
    async for c in in_process(office.app):
        yield c


async def _stock_rice(office: Office, quantity: int) -> None:
    async with transaction() as session:
        await stock_ledger.receive(
            session, "d1:rice", office.place, "rice", Decimal(quantity), date.today() + timedelta(60)
        )


async def _reports() -> int:
    async with transaction() as session:
        return (await session.execute(select(func.count()).select_from(PlaceReport))).scalar_one()


def _report(rice_counted: Any = 35, reason: str = "Hai khu cách ly mới mở") -> dict[str, Any]:
    return {
        "counts": [{"item_code": "rice", "counted": rice_counted, "consumed": 5}],
        "proposals": [{"item_code": "rice", "quantity": 300, "days": 3, "reason": reason}],
    }


def _fields(answer: httpx.Response) -> dict[str, tuple[str, str]]:
    """field → (code, message) of a refusal."""
    assert answer.status_code == 422, answer.text
    return {".".join(map(str, d["loc"][1:])): (d["type"], d["msg"]) for d in answer.json()["detail"]}


async def test_bad_reports_are_refused_whole_naming_the_field(office: Office, http: httpx.AsyncClient) -> None:
    await _stock_rice(office, 40)
    place = office.place
    url, staff = f"{V}/place-reports/places/{place}", office.headers["counter"]
    other = await http.post(url, json=_report(), headers=office.headers["other_place"])
    assert other.status_code == 404 and other.json()["code"] == "not_found"
    assert other.json()["detail"] == text("vi", "err.supply_place_not_found", place=place)
    cases = [
        (_report(rice_counted=-1), "counts.0.counted", "negative", text("vi", "err.quantity_negative")),
        # Above ten times the ledger's 40 plus 1 000 units: a slip of the finger.
        (_report(rice_counted=1401), "counts.0.counted", "implausible", text("vi", "err.count_implausible", most=1400)),
        (_report(reason="   "), "proposals.0.reason", "reason_required", text("vi", "err.proposal_reason_required")),
    ]
    for body, field, code, words in cases:
        assert _fields(await http.post(url, json=body, headers=staff)) == {field: (code, words)}
    unknown = _report() | {"counts": [{"item_code": "caviar", "counted": 1}]}
    assert list(_fields(await http.post(url, json=unknown, headers=staff))) == ["counts.0.item_code"]
    assert await _reports() == 0
    # The limit is the ledger's on-hand × 10 + 1 000: 1 400 is believed.
    assert (await http.post(url, json=_report(rice_counted=1400), headers=staff)).status_code == 201


async def test_filed_once_and_a_difference_reaches_the_ledger_only_through_a_second_person(
    office: Office, http: httpx.AsyncClient, temporal_env: WorkflowEnvironment
) -> None:
    await _stock_rice(office, 40)
    place = office.place
    url, headers = f"{V}/place-reports/places/{place}", office.headers
    filed = await http.post(url, json=_report(), headers=headers["counter"])
    assert filed.status_code == 201, filed.text
    # Late when the workflow's clock (the test server's, which earlier tests may have moved on) is past 17:00.
    server_now = await temporal_env.get_current_time()
    late = server_now > PLACE_REPORT_POLICY.deadline(city_now().date())
    assert filed.json()["stage"] == ("late" if late else "filed") and filed.json()["pending_adjustments"] == 1

    again = await http.post(url, json=_report(rice_counted=39), headers=headers["colleague"])
    assert again.status_code == 409 and again.json()["kind"] == "Duplicate", again.text
    assert again.json()["detail"] == text("vi", "refused.Duplicate") and "filed already" in again.json()["reason"]
    assert await _reports() == 1

    report = (await http.get(url, headers=headers["district"])).json()
    rice = next(i for i in report["items"] if i["item_code"] == "rice")
    assert (Decimal(rice["ledger_on_hand"]), Decimal(rice["counted"])) == (40, 35)
    assert [p["reason"] for p in report["proposals"]] == ["Hai khu cách ly mới mở"]

    [pending] = (await http.get(f"{V}/place-reports/adjustments", headers=headers["colleague"])).json()
    assert Decimal(pending["difference"]) == -5
    approval = f"{V}/place-reports/adjustments/{pending['id']}/approval"
    assert list(_fields(await http.post(approval, headers=headers["counter"]))) == ["approved_by"]
    assert (await http.post(approval, headers=headers["other_district"])).status_code == 404
    assert (await http.post(approval, headers=headers["other_place"])).status_code == 404
    async with transaction() as session:
        assert await place_reports.on_hand_by_item(session, place) == {"rice": 40}  # nothing written yet

    for who in ("district", "colleague"):  # the second approval writes nothing more
        answer = await http.post(approval, headers=headers[who])
        assert answer.status_code == 200 and answer.json()["state"] == "approved"
        assert answer.json()["approved_by"] == str(office.ids["district"])
    async with transaction() as session:
        assert await place_reports.on_hand_by_item(session, place) == {"rice": 35}
        assert await stock_ledger.discrepancies(session) == []
        [line] = await place_reports.latest_proposals(session, city_now().date())
    assert (line.place_code, line.quantity, line.days) == (place, 300, 3)
    assert (await http.get(f"{V}/place-reports/adjustments", headers=headers["colleague"])).json() == []


async def test_officials_see_the_days_reports_of_their_scope(office: Office, http: httpx.AsyncClient) -> None:
    await _stock_rice(office, 40)
    place = office.place
    url = f"{V}/place-reports/places/{place}"
    assert (await http.post(url, json=_report(), headers=office.headers["counter"])).status_code == 201

    district = (await http.get(f"{V}/place-reports", headers=office.headers["district"])).json()
    [own] = district["districts"]
    row = next(r for r in own["places"] if r["place_code"] == place)
    assert own["district_code"] == office.district and row["stage"] in ("filed", "late")
    assert row["pending_adjustments"] == 1
    assert own["filed"] == 1 and own["expected"] == own["filed"] + own["missing"] + own["open"]

    city = (await http.get(f"{V}/place-reports", headers=office.headers["city"])).json()
    async with transaction() as session:
        expected = len(await place_reports.reporting_places(session))
    assert sum(d["expected"] for d in city["districts"]) == expected
    past_deadline = city_now() > PLACE_REPORT_POLICY.deadline(city_now().date()).astimezone(CITY_TZ)
    assert sum(d["missing"] for d in city["districts"]) == (expected - 1 if past_deadline else 0)
    other = (await http.get(f"{V}/place-reports", headers=office.headers["other_district"])).json()
    assert place not in str(other)
