"""The household's and the ward's pledge forms, without JavaScript: the household's partial lists its pledges with
one-tap "Đã nhận được" / "Chưa nhận được"; the ward's page lists the disputed pledge and decides it. Each form
carries the CSRF token, and the same use cases as the API answer."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from temporalio.client import Client

from db.base import get_sessionmaker
from domain.roles import Role
from tests.factories import WARD, make_staff
from tests.pledge_fixtures import a_helper, pledge_app, published_need
from tests.trust_fixtures import in_process
from usecases.cash import pledges
from usecases.context import Context
from usecases.principal import citizen_principal
from usecases.trust.tokens import SESSION_COOKIE, issue_citizen_token, issue_staff_token
from web.csrf import CSRF_COOKIE, form_token

pytestmark = pytest.mark.timeout(180)
V = "/api/v1"
NONCE = "pledge-pages-nonce"


@pytest.fixture
async def world(client: Client, task_queue: str) -> AsyncIterator[tuple[httpx.AsyncClient, Any, FastAPI]]:
    app, settings = pledge_app(client, task_queue)
    async for http in in_process(app):
        yield http, settings, app


def session(settings: Any, token: str) -> dict[str, str]:
    return {"Cookie": f"{SESSION_COOKIE}={token}; {CSRF_COOKIE}={NONCE}"}


async def test_the_household_answers_on_its_page_and_the_ward_decides_on_its_own(world: Any, client: Client) -> None:
    http, settings, app = world
    need = await published_need(500_000)
    _, helper = await a_helper(settings)
    codes = []
    for amount in (200_000, 300_000):
        code = (
            await http.post(f"{V}/cash-needs/{need.ref}/pledges", json={"amount_vnd": amount}, headers=helper)
        ).json()["code"]
        await http.post(f"{V}/helper/pledges/{code}/transfer", headers=helper)
        codes.append(code)
    household = session(settings, issue_citizen_token(settings, [need.household_id]))
    form = {"csrf_token": form_token(settings, NONCE)}
    # The household's request page lists both, each with its two answers.
    page = await http.get(f"/yeu-cau/{need.request_code}", headers=household)
    assert page.status_code == 200, page.text
    assert page.text.count('action="/cam-ket/') == 4 and codes[0] in page.text and codes[1] in page.text
    # Without the CSRF token: refused.
    forged = await http.post(f"/cam-ket/{codes[0]}/da-nhan", headers=household)
    assert forged.status_code == 403
    arrived = await http.post(f"/cam-ket/{codes[0]}/da-nhan", data=form, headers=household)
    assert arrived.status_code == 303 and arrived.headers["location"] == f"/yeu-cau/{need.request_code}#cam-ket"
    not_yet = await http.post(f"/cam-ket/{codes[1]}/chua-nhan", data=form, headers=household)
    assert not_yet.status_code == 303, not_yet.text
    # Someone else's household: as if the pledge did not exist.
    other = await published_need(100_000)
    stranger = session(settings, issue_citizen_token(settings, [other.household_id]))
    assert (await http.post(f"/cam-ket/{codes[1]}/da-nhan", data=form, headers=stranger)).status_code == 404
    official = await make_staff(Role.WARD_OFFICIAL, WARD)
    ward = session(settings, issue_staff_token(settings, official.id, official.role))
    page = await http.get("/can-bo/ho-tro-tien-mat", headers=ward)
    assert page.status_code == 200 and f"ANSINH {codes[1]}" in page.text and f"ANSINH {codes[0]}" not in page.text
    decided = await http.post(
        f"/can-bo/ho-tro-tien-mat/{codes[1]}/quyet-dinh", data={**form, "arrived": "no"}, headers=ward
    )
    assert decided.status_code == 303, decided.text
    principal = citizen_principal([need.household_id], None)
    async with _context(app, settings) as ctx:
        after = {p.code: p.state.value for p in await pledges.household_pledges(ctx, principal, need.request_code)}
    assert after == {codes[0]: "confirmed", codes[1]: "released"}


@asynccontextmanager
async def _context(app: FastAPI, settings: Any) -> AsyncIterator[Context]:
    """A use-case context on a session of its own, as a page's dependency builds it."""
    state = app.state
    async with get_sessionmaker()() as db:
        yield Context(db, settings, state.temporal, state.photos, state.registrations, None)
