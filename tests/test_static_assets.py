"""The pages name their stylesheet and script by content hash: a changed file reaches every phone at once, and an
unchanged one is cached for a year."""

import hashlib
import re
from collections.abc import AsyncIterator

import httpx
import pytest
from temporalio.client import Client

from common.settings import get_settings
from server import create_app
from tests.trust_fixtures import in_process
from web.render import STATIC


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
