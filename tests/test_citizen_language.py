"""A household's messages follow the language it registered in (the page's, or the API's Accept-Language or
`language`), through the real path: the workflow's activities store them in the outbox as each stage changes; a
donor's and a helper's follow the language they announced or pledged in. Officials read theirs in Vietnamese; the
hotline is configuration; the history's labels are the pages' own."""

import html
import re
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import httpx
import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from temporalio.client import Client

from common.city_time import vn_date, vn_deadline
from common.settings import Settings, get_settings
from db.base import transaction
from db.cash import Pledge
from db.donations import Donation
from db.notifications import Notification
from db.requests import ReliefRequest
from db.supply import SupplyPlace
from domain.cash import vnd
from domain.donations import DonationEvent, DonationStage, DonationStep, DonorKind, DonorOrigin
from domain.messages import Transition
from domain.roles import Role
from domain.stages import EventType, Stage
from server import create_app
from services import donations
from services.supply_seed import ward_point_code
from services.transitions import apply_transition
from tests.factories import DISTRICT, WARD, make_staff
from tests.pledge_fixtures import a_helper, pledge_app, published_need
from tests.trust_fixtures import in_process, insert_request
from texts import CATALOGUE, Lang, label, text
from texts.facts import city_facts
from usecases.trust.tokens import SESSION_COOKIE, issue_staff_token
from web.csrf import CSRF_COOKIE, form_token

V = "/api/v1"
NONCE = "language-nonce"


@pytest.fixture
def settings(task_queue: str) -> Settings:
    return get_settings().model_copy(update={"task_queue": task_queue})


@pytest.fixture
async def http(client: Client, settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings)
    app.state.temporal = client
    async for http_client in in_process(app):
        yield http_client


def registration(national_id: str, phone: str, address: str, **more: Any) -> dict[str, Any]:
    return {
        "kind": "food_bag",
        "full_name": "Phạm Minh Tú",
        "national_id": national_id,
        "phone": phone,
        "address": address,
        "ward_code": WARD,
        "household_size": 2,
        **more,
    }


async def _outbox(code: str) -> list[Notification]:
    async with transaction() as session:
        request_id = select(ReliefRequest.id).where(ReliefRequest.code == code).scalar_subquery()
        rows = await session.scalars(
            select(Notification).where(Notification.request_id == request_id).order_by(Notification.seq)
        )
        return list(rows)


async def _told(http: httpx.AsyncClient, code: str, lang: Lang, headers: dict[str, str]) -> None:
    """The request, registered in `lang`, verified by the ward: the household's messages are in `lang`, the
    ward's in Vietnamese."""
    deadline = datetime.fromisoformat((await http.get(f"{V}/requests/{code}", headers=headers)).json()["deadline_at"])
    approved = await http.post(f"{V}/requests/{code}/verification", json={"approve": True}, headers=headers)
    assert approved.status_code == 200, approved.text
    rows = await _outbox(code)
    citizen = [(n.event, n.message) for n in rows if n.audience == "citizen"]
    # Verified, then waiting for a bag: the ward's point has none.
    assert [event for event, _ in citizen] == ["verification_requested", "approved", "stock_awaited"]
    assert citizen == [(event, text(lang, f"notice.citizen.{event}", code=code)) for event, _ in citizen]
    ward = [n.message for n in rows if n.audience == "ward"]
    assert ward[0] == text("vi", "notice.staff.verification_requested", code=code, deadline=vn_deadline(deadline))
    assert ward[1:] == [text("vi", "notice.staff.stock_awaited", code=code)]


async def test_a_household_registered_in_english_is_told_in_english_and_one_in_vietnamese_in_vietnamese(
    http: httpx.AsyncClient, settings: Settings
) -> None:
    official = await make_staff(Role.WARD_OFFICIAL, WARD)
    as_ward = {"Authorization": f"Bearer {issue_staff_token(settings, official.id, official.role)}"}
    english = await http.post(
        f"{V}/requests",
        json=registration("079203004111", "0912 400 111", "12 Hai Bà Trưng, Phường Bến Nghé"),
        headers={"Accept-Language": "en-GB,en;q=0.9"},
    )
    # The form's `language` wins over the header: an operator's English screen, a Vietnamese household.
    vietnamese = await http.post(
        f"{V}/requests",
        json=registration("079203004222", "0912 400 222", "80 Đồng Khởi, Phường Bến Nghé", language="vi"),
        headers={"Accept-Language": "en"},
    )
    assert english.status_code == vietnamese.status_code == 201, (english.text, vietnamese.text)
    en_code, vi_code = english.json()["code"], vietnamese.json()["code"]
    answers: list[tuple[httpx.Response, Lang, str]] = [(english, "en", en_code), (vietnamese, "vi", vi_code)]
    for answer, lang, code in answers:
        said = text(lang, "notice.citizen.verification_requested", code=code)
        assert answer.json()["message"] == f"{said} {text(lang, 'reg.answer.keep_code', code=code)}"
    async with transaction() as session:
        kept = {code: lang for code, lang in await session.execute(select(ReliefRequest.code, ReliefRequest.lang))}
    assert kept == {en_code: "en", vi_code: "vi"}

    await _told(http, en_code, "en", as_ward)
    await _told(http, vi_code, "vi", as_ward)

    # The English household registered again is refused in English, and its open request hears of it in English.
    again = await http.post(
        f"{V}/requests",
        json=registration("079203004111", "0912 400 111", "12 Hai Bà Trưng, Phường Bến Nghé"),
        headers={"Accept-Language": "en"},
    )
    assert again.json()["refusal"] == "already_in_progress"
    assert again.json()["message"] == text("en", "refusal.reason.already_in_progress")
    alert = [n.message for n in await _outbox(en_code) if n.event == "registration_attempt"]
    assert alert == [text("en", "notice.citizen.registration_attempt", code=en_code)]
    assert city_facts().hotline in alert[0]


async def test_the_registration_page_records_the_pages_language(http: httpx.AsyncClient, settings: Settings) -> None:
    form = {
        "csrf_token": form_token(settings, NONCE),
        **registration("079203004333", "0912 400 333", "5 Lê Thánh Tôn, Phường Bến Nghé", household_size="2"),
    }
    cookies = {"Cookie": f"{CSRF_COOKIE}={NONCE}; lang=en"}
    sent = await http.post("/dang-ky", data=form, headers=cookies)
    assert sent.status_code == 303, sent.text
    code = sent.headers["location"].split("/")[-1].split("?")[0]
    citizen = [n.message for n in await _outbox(code) if n.audience == "citizen"]
    assert citizen == [text("en", "notice.citizen.verification_requested", code=code)]


async def test_the_historys_labels_are_the_pages_in_the_readers_language(http: httpx.AsyncClient) -> None:
    answer = await http.post(
        f"{V}/requests", json=registration("079203004444", "0912 400 444", "9 Pasteur, Phường Bến Nghé")
    )
    code, token = answer.json()["code"], answer.json()["citizen_token"]
    for lang in ("vi", "en"):
        view = await http.get(
            f"{V}/requests/{code}", headers={"Authorization": f"Bearer {token}", "Accept-Language": lang}
        )
        timeline = view.json()["timeline"]
        assert [e["event"] for e in timeline] == ["registered", "verification_requested"]
        assert [e["label"] for e in timeline] == [label(lang, "event", e["event"]) for e in timeline]
        page = await http.get(f"/yeu-cau/{code}?lang={lang}", headers={"Cookie": f"{SESSION_COOKIE}={token}"})
        shown = re.findall(r"</time> ([^<]+?)</li>", page.text)[: len(timeline)]  # the history, then the messages
        assert [html.unescape(s) for s in shown] == [e["label"] for e in timeline], page.text
    # One table of event labels, every event in both languages: no history shows a raw key.
    assert [e for e in EventType if f"event.{e.value}" not in CATALOGUE] == []


@pytest.fixture
def hotline(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Another city's hotline, from the configuration only."""
    monkeypatch.setenv("CITY_HOTLINE", "1800 5555 01")
    get_settings.cache_clear()
    city_facts.cache_clear()
    yield "1800 5555 01"
    monkeypatch.undo()
    get_settings.cache_clear()
    city_facts.cache_clear()


@pytest.mark.parametrize("lang", ["vi", "en"])
async def test_an_expired_request_tells_the_household_the_hotline_of_the_configuration(
    db: None, hotline: str, lang: Lang
) -> None:
    request = await insert_request(WARD, DISTRICT, "+84912400555")
    async with transaction() as session:
        await session.execute(update(ReliefRequest).where(ReliefRequest.id == request.id).values(lang=lang))
        expired = Transition(
            request_id=request.id,
            seq=5,
            at=datetime.now(UTC),
            stage=Stage.EXPIRED,
            event=EventType.EXPIRED,
            notify_citizen=True,
        )
        assert await apply_transition(session, expired)
    [told] = await _outbox(request.code)
    assert told.message == text(lang, "notice.citizen.expired", code=request.code)
    assert hotline in told.message and "633 996" not in told.message


async def _donor_told(session: AsyncSession, donation_id: uuid.UUID) -> list[tuple[str, str]]:
    told = await session.execute(
        select(Notification.event, Notification.message)
        .where(Notification.donation_id == donation_id)
        .order_by(Notification.seq)
    )
    return [(event, message) for event, message in told]


async def test_a_donor_who_announced_in_english_is_told_in_english(http: httpx.AsyncClient) -> None:
    place, tomorrow = ward_point_code(WARD), date.today() + timedelta(days=1)
    form = {
        "donor": {"kind": "person", "origin": "overseas", "name": "Jane Doe", "phone": "0912400666"},
        "place_code": place,
        "expected_on": tomorrow.isoformat(),
        "lines": [{"item_code": "rice", "quantity": 20}],
    }
    announced = await http.post(f"{V}/donations", json=form, headers={"Accept-Language": "en-US,en;q=0.9"})
    assert announced.status_code == 201, announced.text
    code = announced.json()["code"]
    async with transaction() as session:
        donation = (await session.execute(select(Donation).where(Donation.code == code))).scalar_one()
        supply_place = await session.get(SupplyPlace, place)
        assert donation.lang == "en" and supply_place is not None and supply_place.district_code is not None
        values = {"code": code, "place": supply_place.name, "day": vn_date(tomorrow)}
        assert (await _donor_told(session, donation.id))[0] == (
            "donation_announced",
            text("en", "notice.donor.donation_announced", **values),
        )
        # Each later step reads the language kept on the donation (written here without a workflow, whose timers
        # run on the test server's clock).
        later_id, later_code, now = uuid.uuid4(), "DLANG001", datetime.now(UTC)
        line = donations.NewLine(uuid.uuid4(), "rice", Decimal(5), None, None)
        donor = donations.DonorContact(DonorKind.PERSON, DonorOrigin.OVERSEAS, "Jane Doe", "+84912400666")
        await donations.record_announcement(
            session, donation_id=later_id, code=later_code, donor=donor, place=supply_place,
            district_code=supply_place.district_code, expected_on=tomorrow, lines=[line], at=now, lang="en",
        )  # fmt: skip
        step = DonationStep(
            donation_id=later_id, code=later_code, seq=2, at=now, stage=DonationStage.ANNOUNCED,
            event=DonationEvent.REMINDER,
        )  # fmt: skip
        assert await donations.record_step(session, step)
        later = {**values, "code": later_code}
        assert await _donor_told(session, later_id) == [
            (event, text("en", f"notice.donor.{event}", **later))
            for event in ("donation_announced", "donation_reminder")
        ]


async def test_a_pledge_tells_the_helper_and_the_household_each_in_their_own_language(
    client: Client, task_queue: str
) -> None:
    app, settings = pledge_app(client, task_queue)
    need = await published_need()
    async with transaction() as session:  # the household registered in English
        await session.execute(update(ReliefRequest).where(ReliefRequest.id == need.request_id).values(lang="en"))
    hours = int(settings.cash_policy.pledge_transfer_within.total_seconds() // 3600)
    told: dict[str, list[tuple[str, str]]] = {}
    async for http in in_process(app):
        helpers: list[tuple[Lang, str]] = [("en", "en-GB,en;q=0.8"), ("vi", "vi")]
        for helper_lang, header in helpers:
            _, helper = await a_helper(settings)
            made = await http.post(
                f"{V}/cash-needs/{need.ref}/pledges",
                json={"amount_vnd": 200_000},
                headers={**helper, "Accept-Language": header},
            )
            assert made.status_code == 201, made.text
            code = made.json()["code"]
            async with transaction() as session:
                pledge_id = select(Pledge.id).where(Pledge.code == code).scalar_subquery()
                rows = await session.execute(
                    select(Notification.audience, Notification.message).where(Notification.pledge_id == pledge_id)
                )
                told[helper_lang] = sorted((audience, message) for audience, message in rows)
            values = {"code": code, "hours": hours}
            helper_words = text(helper_lang, "notice.helper.pledge.pledged", amount=vnd(200_000, helper_lang), **values)
            assert told[helper_lang] == [
                ("citizen", text("en", "notice.citizen.pledge.pledged", amount=vnd(200_000, "en"), **values)),
                ("helper", helper_words),
            ]
