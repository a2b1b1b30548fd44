"""The pages name their stylesheet and script by content hash: a changed file reaches every phone at once, and an
unchanged one is cached for a year."""

import hashlib
import re
from collections.abc import AsyncIterator

import httpx
import pytest
from pydantic import ValidationError
from temporalio.client import Client

from common.settings import Settings, get_settings
from server import create_app
from tests.trust_fixtures import in_process
from web.app import content_security_policy
from web.render import STATIC
from web.vendor_assets import vendor_url


@pytest.fixture
async def http(db: None, client: Client) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(get_settings())
    app.state.temporal = client
    async for http_client in in_process(app):
        yield http_client


async def test_pages_name_their_assets_by_content_and_those_are_cached_for_good(http: httpx.AsyncClient) -> None:
    page = (await http.get("/dang-ky")).text
    for name in ("app.css", "app.js"):
        found = re.search(rf'/static/{re.escape(name)}\?v=([0-9a-f]+)"', page)
        assert found, f"the page does not name {name} by version"
        assert found.group(1) == hashlib.sha256((STATIC / name).read_bytes()).hexdigest()[:12]
        current = await http.get(f"/static/{name}", params={"v": found.group(1)})
        assert current.status_code == 200 and "immutable" in current.headers["cache-control"]
        stale = await http.get(f"/static/{name}", params={"v": "3"})
        assert stale.status_code == 200 and stale.headers["cache-control"] == "no-cache"


async def test_the_map_library_comes_from_its_pinned_package_and_nothing_else_of_it_is_served(
    http: httpx.AsyncClient,
) -> None:
    script = await http.get(vendor_url("leaflet", "leaflet.js"))
    assert script.status_code == 200 and "immutable" in script.headers["cache-control"]
    assert script.headers["content-type"].startswith("text/javascript") and b"Leaflet" in script.content[:400]
    assert (await http.get(vendor_url("leaflet", "images/layers.png"))).headers["content-type"] == "image/png"
    version = vendor_url("leaflet", "leaflet.js").split("/")[4]
    for path in (
        f"/static/vendor/leaflet/{version}/leaflet-src.esm.js",  # in the package, not used by a page
        f"/static/vendor/leaflet/{version}/../../../../pyproject.toml",
        "/static/vendor/leaflet/0.7.0/leaflet.js",  # another version: the pages never name it
        f"/static/vendor/unknown/{version}/leaflet.js",
    ):
        assert (await http.get(path)).status_code == 404, path


def test_the_pages_allow_images_from_the_configured_tile_server_only() -> None:
    offline = content_security_policy(get_settings().model_copy(update={"map_tile_url": ""}))
    assert "img-src 'self' data:;" in offline
    tiles = get_settings().model_copy(update={"map_tile_url": "https://tiles.hcmc.example/{z}/{x}/{y}.png"})
    assert "img-src 'self' data: https://tiles.hcmc.example;" in content_security_policy(tiles)
    assert "script-src 'self';" in content_security_policy(tiles)


@pytest.mark.parametrize("url", ["http://tiles.example/{z}/{x}/{y}.png", "https://tiles.example/a.png", "javascript:x"])
def test_a_tile_url_must_be_https_with_a_zoom(url: str) -> None:
    with pytest.raises(ValidationError):
        Settings(map_tile_url=url)
