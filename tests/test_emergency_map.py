"""The community map's data through the API: clusters and approximate points for a viewport, nothing personal,
filters, and bad viewports refused naming the field."""

from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import httpx
import pytest
from temporalio.client import Client

from common.settings import get_settings
from domain.emergency import EmergencyCategory, EmergencyUrgency
from server import create_app
from tests.emergency_map_fixtures import EXACT, an_emergency
from tests.trust_fixtures import in_process
from usecases.emergency import map as emergency_map

V = "/api/v1"
CITY_VIEW: dict[str, Any] = {"bbox": "10.3,106.3,11.2,107.1", "zoom": 11}


@pytest.fixture
async def http(db: None, client: Client, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[httpx.AsyncClient]:
    monkeypatch.setattr(emergency_map, "MAP_SNAPSHOT_MAX_AGE", 0.0)
    app = create_app(get_settings())
    app.state.temporal = client
    async for http_client in in_process(app):
        yield http_client


def singles(answer: httpx.Response) -> dict[str, dict[str, Any]]:
    assert answer.status_code == 200, answer.text
    return {c["point"]["code"]: c for c in answer.json()["clusters"] if c["point"]}


async def test_the_map_shows_approximate_points_and_nothing_that_names_a_person(http: httpx.AsyncClient) -> None:
    code = await an_emergency()
    street = await http.get(f"{V}/emergencies/map", params={"bbox": "10.76,106.69,10.79,106.71", "zoom": 16})
    marker = singles(street)[code]
    assert set(marker["point"]) == {"code", "category", "urgency", "opened_at", "claimed"}
    # About 200 m from the exact point, never on it.
    assert (marker["latitude"], marker["longitude"]) != EXACT
    assert abs(marker["latitude"] - EXACT[0]) < 0.002 and abs(marker["longitude"] - EXACT[1]) < 0.002
    for secret in ("Lê Lợi", "cụ già", "0912000111", "912000111", str(EXACT[0])):
        assert secret not in street.text


async def test_clusters_count_every_open_and_claimed_emergency_and_filters_choose(http: httpx.AsyncClient) -> None:
    food = [await an_emergency() for _ in range(3)]
    medicine = await an_emergency(EmergencyCategory.MEDICINE, EmergencyUrgency.NOW)
    claimed = await an_emergency(state="claimed")
    old = await an_emergency(age=timedelta(hours=30))
    hidden = await an_emergency(state="hidden")
    closed = await an_emergency(state="closed")
    city = (await http.get(f"{V}/emergencies/map", params=CITY_VIEW)).json()
    assert city["total"] == city["matching"] == 6 and sum(c["count"] for c in city["clusters"]) == 6
    street: dict[str, Any] = {"bbox": "10.70,106.60,10.85,106.80", "zoom": 16}
    shown = singles(await http.get(f"{V}/emergencies/map", params=street))
    assert set(shown) == {*food, medicine, claimed, old} and not {hidden, closed} & set(shown)
    assert shown[claimed]["point"]["claimed"] is True
    only = singles(await http.get(f"{V}/emergencies/map", params={**street, "category": "medicine"}))
    assert set(only) == {medicine}
    urgent = singles(await http.get(f"{V}/emergencies/map", params={**street, "urgency": ["now", "soon"]}))
    assert set(urgent) == {medicine}
    unclaimed = singles(await http.get(f"{V}/emergencies/map", params={**street, "unclaimed": "true"}))
    assert claimed not in unclaimed and len(unclaimed) == 5
    recent = singles(await http.get(f"{V}/emergencies/map", params={**street, "max_age_hours": 24}))
    assert old not in recent and len(recent) == 5
    elsewhere = (await http.get(f"{V}/emergencies/map", params={"bbox": "10.9,106.4,11.0,106.5", "zoom": 14})).json()
    assert (elsewhere["matching"], elsewhere["total"], elsewhere["clusters"]) == (0, 6, [])


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"bbox": "10.9,106.6,10.7,106.8", "zoom": 12}, "bbox"),  # south above north
        ({"bbox": "10.7,106.6", "zoom": 12}, "bbox"),
        ({"bbox": "052.3710916,-64,693,8", "zoom": 15}, "bbox"),  # a latitude of 693: the fuzzer's find
        ({"bbox": "10.7,106.6,10.9,106.8", "zoom": 3}, "zoom"),
        ({"bbox": "10.7,106.6,10.9,106.8", "zoom": 12, "category": "pizza"}, "category"),
        ({"bbox": "10.7,106.6,10.9,106.8"}, "zoom"),
    ],
)
async def test_a_bad_viewport_is_refused_naming_the_field(
    http: httpx.AsyncClient, params: dict[str, Any], field: str
) -> None:
    answer = await http.get(f"{V}/emergencies/map", params=params)
    assert answer.status_code == 422, answer.text
    assert field in {str(loc) for problem in answer.json()["detail"] for loc in problem["loc"]}
