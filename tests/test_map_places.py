"""The map's place names: every district and ward of the city at its centre, for a map drawn without tiles."""

from collections.abc import AsyncIterator

import httpx
import pytest
from temporalio.client import Client

from common.settings import get_settings
from server import create_app
from tests.trust_fixtures import in_process

V = "/api/v1"


@pytest.fixture
async def http(db: None, client: Client) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(get_settings())
    app.state.temporal = client
    async for http_client in in_process(app):
        yield http_client


async def test_every_district_and_ward_of_the_city_is_named_at_its_centre(http: httpx.AsyncClient) -> None:
    answer = await http.get(f"{V}/map/places")
    assert answer.status_code == 200 and "max-age=86400" in answer.headers["cache-control"]
    places = answer.json()
    districts = {p["code"] for p in places if p["level"] == "district"}
    wards = [p for p in places if p["level"] == "ward"]
    assert districts == {d["code"] for d in (await http.get(f"{V}/districts")).json()}
    for code in sorted(districts)[:3]:
        listed = {w["code"] for w in (await http.get(f"{V}/districts/{code}/wards")).json()}
        assert listed <= {w["code"] for w in wards}
    assert len(wards) > 250 and {p["level"] for p in places} == {"district", "ward"}
    assert all(10.3 < p["lat"] < 11.2 and 106.3 < p["lon"] < 107.1 for p in places), "a place outside the city"
    assert any(p["name"] == "Phường Bến Nghé" for p in wards)
