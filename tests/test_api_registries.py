"""No duplication, no omission, through the HTTP API: registry imports, coverage, outreach, address parsing,
and the ward answering a probable duplicate with the two households side by side."""

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from temporalio.client import Client

from tests.factories import OTHER_DISTRICT_WARD, WARD
from tests.test_registry_import import MESSY_CSV
from tests.trust_fixtures import World, build_world, in_process

V = "/api/v1"


@pytest.fixture
async def world(client: Client, task_queue: str, tmp_path: Path) -> World:
    return await build_world(client, task_queue, tmp_path / "photos")


@pytest.fixture
async def http(world: World) -> AsyncIterator[httpx.AsyncClient]:
    async for client in in_process(world.app):
        yield client


def upload(content: bytes, name: str = "ho-ngheo.csv") -> dict[str, tuple[str, bytes, str]]:
    return {"file": (name, content, "text/csv")}


async def test_a_ward_imports_its_list_and_downloads_the_report(world: World, http: httpx.AsyncClient) -> None:
    as_ward = world.headers["ward_official"]
    answer = await http.post(f"{V}/registries/{WARD}/imports", files=upload(MESSY_CSV.encode()), headers=as_ward)
    assert answer.status_code == 200, answer.text
    report = answer.json()
    assert (report["accepted"], report["merged"], report["rejected"], report["already_imported"]) == (4, 1, 3, False)
    again = await http.post(f"{V}/registries/{WARD}/imports", files=upload(MESSY_CSV.encode()), headers=as_ward)
    assert again.json()["already_imported"] and again.json()["import_id"] == report["import_id"]

    csv_report = await http.get(f"{V}/registries/{WARD}/imports/{report['import_id']}/report.csv", headers=as_ward)
    assert csv_report.status_code == 200 and "Từ chối" in csv_report.text
    assert csv_report.headers["content-type"].startswith("text/csv")

    broken = await http.post(f"{V}/registries/{WARD}/imports", files=upload(b"PK\x03\x04", "x.xlsx"), headers=as_ward)
    assert broken.status_code == 422 and "xlsx" in broken.json()["detail"]
    # Another district's ward is not this official's to import for, nor to read.
    elsewhere = await http.post(
        f"{V}/registries/{OTHER_DISTRICT_WARD}/imports", files=upload(MESSY_CSV.encode()), headers=as_ward
    )
    assert elsewhere.status_code == 404


async def test_coverage_and_outreach_show_who_was_not_reached(world: World, http: httpx.AsyncClient) -> None:
    as_ward, as_city = world.headers["ward_official"], world.headers["city_official"]
    await http.post(f"{V}/registries/{WARD}/imports", files=upload(MESSY_CSV.encode()), headers=as_ward)
    mine = (await http.get(f"{V}/coverage", headers=as_ward)).json()
    assert [(w["ward_code"], w["on_registry"], w["reached"], w["unreached"]) for w in mine] == [(WARD, 4, 0, 4)]
    city = (await http.get(f"{V}/coverage", headers=as_city)).json()
    assert len(city) == 273 and city[0]["ward_code"] == WARD  # the lowest coverage comes first
    outreach = await http.get(f"{V}/coverage/wards/{WARD}/outreach.csv", headers=as_ward)
    assert outreach.status_code == 200 and outreach.text.count("\n") == 5  # header and four households
    assert (
        await http.get(f"{V}/coverage/wards/{OTHER_DISTRICT_WARD}/outreach.csv", headers=as_ward)
    ).status_code == 404


async def test_the_ward_found_in_a_typed_address_is_offered_for_confirmation(http: httpx.AsyncClient) -> None:
    answer = await http.post(f"{V}/addresses/parse", json={"text": "12 nguyen hue p ben nghe q1"})
    assert answer.status_code == 200 and answer.json()["ward_code"] == WARD
    assert "xác nhận" in answer.json()["message"]
    assert (await http.post(f"{V}/addresses/parse", json={"text": "không rõ"})).status_code == 422


async def test_the_ward_sees_a_probable_duplicate_beside_the_request_and_answers(
    world: World, http: httpx.AsyncClient
) -> None:
    as_ward = world.headers["ward_official"]
    first = {
        "kind": "food_bag", "full_name": "Trần Thị Bảy", "national_id": "079175002345", "phone": "0912 777 888",
        "address": "34 Lê Lợi, Phường Bến Nghé", "ward_code": WARD, "household_size": 3,
    }  # fmt: skip
    registered = (await http.post(f"{V}/requests", json=first)).json()
    # The same woman with her old CMND, typed without diacritics.
    again = {**first, "full_name": "Tran Thi Bay", "national_id": "025123456"}
    flagged = await http.post(f"{V}/requests", json=again)
    assert flagged.status_code == 201 and flagged.json()["stage"] == "awaiting_verification", flagged.text
    code = flagged.json()["code"]
    view = (await http.get(f"{V}/requests/{code}", headers=as_ward)).json()
    assert view["probable_duplicate"]["open_request_codes"] == [registered["code"]]
    assert view["household"]["members"] == ["Tran Thi Bay (…3456)"]

    unanswered = await http.post(f"{V}/requests/{code}/verification", json={"approve": True}, headers=as_ward)
    assert unanswered.status_code == 409 and unanswered.json()["code"] == "InvalidDecision"
    assert "same_household" in unanswered.json()["reason"]  # the workflow's own reason names the missing answer
    merged = await http.post(
        f"{V}/requests/{code}/verification", json={"approve": True, "same_household": True}, headers=as_ward
    )
    # Once merged, the household has another request open: this one is refused, with that request's code.
    assert merged.status_code == 200 and merged.json()["stage"] == "refused", merged.text
    closed = (await http.get(f"{V}/requests/{code}", headers=as_ward)).json()
    assert closed["stage"] == "refused"
