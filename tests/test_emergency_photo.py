"""The fulfilment's photo, through the real HTTP API on the time-skipping server: the claimer shows what was
brought (re-encoded, a later photo replacing the first); the poster sees it by their follow link, the ward in
scope and the claimer by their sign-in (audited); anyone else is refused and nothing is kept; a photo that is not
one, or one after the claim is over, is refused naming the field; the retention purge deletes it."""

from typing import Any

import pytest
from sqlalchemy import func, select

from db.audit import AuditEntry
from db.base import transaction
from db.emergencies import Emergency
from domain.roles import Role
from services.photos import photo_file
from tests.emergency_fixtures import V, a_phone, post, staff_headers, world
from tests.factories import OTHER_DISTRICT_WARD, WARD
from tests.pledge_fixtures import a_helper
from tests.trust_fixtures import jpeg_bytes

pytestmark = pytest.mark.timeout(180)
__all__ = ["world"]


async def photo_of(code: str) -> tuple[str | None, str | None]:
    async with transaction() as session:
        row = await session.scalar(select(Emergency).where(Emergency.code == code))
        assert row is not None
        return row.fulfilment_photo_path, row.fulfilment_photo_sha256


async def test_the_claimer_shows_what_was_brought_and_the_poster_and_the_ward_see_it(world: Any) -> None:
    http, settings = world
    made = (await post(http, a_phone())).json()
    code, token = made["code"], made["follow_token"]
    _, helper = await a_helper(settings)
    _, stranger = await a_helper(settings)
    url = f"{V}/emergencies/{code}/fulfilment/photo"
    files = {"photo": ("sua.jpg", jpeg_bytes((640, 480)), "image/jpeg")}

    assert (await http.put(url, files=files, headers=helper)).status_code == 422  # nobody's claim yet
    assert (await http.post(f"{V}/emergencies/{code}/claim", headers=helper)).json() == {"state": "claimed"}
    theirs = await http.put(url, files=files, headers=stranger)
    assert theirs.status_code == 422 and theirs.json()["detail"][0]["type"] == "not_your_claim", theirs.text
    not_a_photo = await http.put(url, files={"photo": ("x.jpg", b"not an image", "image/jpeg")}, headers=helper)
    assert not_a_photo.status_code == 422 and not_a_photo.json()["detail"][0]["loc"] == ["body", "photo"]
    assert await photo_of(code) == (None, None)  # nothing kept from the refused ones

    first = await http.put(url, files=files, headers=helper)
    assert first.status_code == 204, first.text
    first_path, _ = await photo_of(code)
    assert first_path is not None
    fulfilled = await http.post(f"{V}/emergencies/{code}/fulfilment", json={"note": "2 hộp sữa"}, headers=helper)
    assert fulfilled.json() == {"state": "fulfilled"}, fulfilled.text
    again = await http.put(url, files={"photo": ("b.jpg", jpeg_bytes((320, 240)), "image/jpeg")}, headers=helper)
    assert again.status_code == 204
    path, sha = await photo_of(code)
    assert path != first_path and photo_file(settings.photo_dir, first_path) is None  # replaced, the first gone

    follow = await http.get(f"{V}/emergencies/{code}/follow", params={"t": token})
    assert follow.json()["has_fulfilment_photo"] is True
    as_poster = await http.get(f"{V}/emergencies/{code}/follow/photo", params={"t": token})
    assert as_poster.status_code == 200 and as_poster.headers["content-type"] == "image/jpeg"
    assert as_poster.content[:2] == b"\xff\xd8" and as_poster.headers["cache-control"] == "private, no-store"
    assert (await http.get(f"{V}/emergencies/{code}/follow/photo", params={"t": "wrong"})).status_code == 404
    ward = await staff_headers(settings, Role.WARD_OFFICIAL, WARD)
    assert (await http.get(url, headers=ward)).content == as_poster.content
    assert (await http.get(url, headers=helper)).status_code == 200
    elsewhere = await staff_headers(settings, Role.WARD_OFFICIAL, OTHER_DISTRICT_WARD)
    assert (await http.get(url, headers=elsewhere)).status_code == 404
    assert (await http.get(url, headers=stranger)).status_code == 404
    async with transaction() as session:
        readings = await session.scalar(
            select(func.count()).where(
                AuditEntry.action == "emergency_photo_read", AuditEntry.detail["emergency"].astext == code
            )
        )
    assert readings == 2  # the ward's and the claimer's; the poster reads their own

    assert (await http.post(f"{V}/emergencies/{code}/confirmation", json={"token": token})).status_code == 200
    late = await http.put(url, files=files, headers=helper)
    assert late.status_code == 422 and late.json()["detail"][0]["type"] == "claim_over"
    assert await photo_of(code) == (path, sha)
