"""Stock through the HTTP API: warehouse staff's actions at their own place (each once per key, refused whole with the
field named), the officials' stock by place with days of cover and lots near expiry, and the public's totals."""

import asyncio
import json
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, insert, select, text
from sqlalchemy.dialects import postgresql
from temporalio.client import Client

import texts
from common.settings import Settings, get_settings
from db.audit import AuditEntry
from db.base import transaction
from db.supply import StockMovement, SupplyPlace
from domain.roles import Role
from domain.supply import FOOD_BAG, MovementKind
from server import create_app
from services import stock_ledger
from services.supply_seed import district_warehouse_code, ward_point_code
from tests.factories import DISTRICT, OTHER_DISTRICT, OTHER_DISTRICT_WARD, WARD, make_staff
from tests.trust_fixtures import in_process
from usecases.supply import stock, stock_views
from usecases.trust.tokens import issue_staff_token

V = "/api/v1"
POINT = ward_point_code(WARD)
WAREHOUSE = district_warehouse_code(DISTRICT)
OTHER_POINT = ward_point_code(OTHER_DISTRICT_WARD)
LATER = date.today() + timedelta(days=60)
KIT = {"rice": 10, "cooking_oil": 1, "instant_noodles": 10, "canned_fish": 5, "vegetables": 2}  # one bag, version 1


@dataclass(frozen=True)
class Stockroom:
    app: FastAPI
    settings: Settings
    headers: dict[str, dict[str, str]]
    user_ids: dict[str, uuid.UUID]


@pytest.fixture
async def room(client: Client, db: None, monkeypatch: pytest.MonkeyPatch) -> Stockroom:
    monkeypatch.setattr(stock_views, "PUBLIC_TOTALS_MAX_AGE", 0.0)
    settings = get_settings()
    app = create_app(settings)
    app.state.temporal = client
    people = {
        "point": await make_staff(Role.WAREHOUSE_STAFF, WARD, place_code=POINT),
        "warehouse": await make_staff(Role.WAREHOUSE_STAFF, DISTRICT, place_code=WAREHOUSE),
        "other_point": await make_staff(Role.WAREHOUSE_STAFF, OTHER_DISTRICT_WARD, place_code=OTHER_POINT),
        "district": await make_staff(Role.DISTRICT_OFFICIAL, DISTRICT),
        "other_district": await make_staff(Role.DISTRICT_OFFICIAL, OTHER_DISTRICT),
        "city": await make_staff(Role.CITY_OFFICIAL, "79"),
        "ward": await make_staff(Role.WARD_OFFICIAL, WARD),
    }
    headers = {
        name: {"Authorization": f"Bearer {issue_staff_token(settings, who.id, who.role)}"}
        for name, who in people.items()
    }
    return Stockroom(app, settings, headers, {name: who.id for name, who in people.items()})


@pytest.fixture
async def http(room: Stockroom) -> AsyncIterator[httpx.AsyncClient]:
    async for client in in_process(room.app):
        yield client


async def receive(item: str, quantity: int | str, place: str = POINT, expires_on: date | None = LATER) -> uuid.UUID:
    async with transaction() as session:
        return await stock_ledger.receive(
            session, f"test-receipt:{uuid.uuid4()}", place, item, Decimal(quantity), expires_on
        )


async def receive_kits(bags: int, place: str = POINT) -> None:
    for item, per_bag in KIT.items():
        await receive(item, per_bag * bags, place)


async def movement_count() -> int:
    async with transaction() as session:
        return int((await session.execute(select(func.count()).select_from(StockMovement))).scalar_one())


def act(room: Stockroom, who: str, key: str) -> dict[str, str]:
    return {**room.headers[who], "Idempotency-Key": key}


async def test_bags_assembled_at_a_ward_point_once_per_key_wake_the_ward(
    room: Stockroom, http: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    woken: list[str] = []

    async def wake(ctx: Any, ward_code: str) -> None:
        woken.append(ward_code)

    monkeypatch.setattr(stock, "wake_requests_awaiting_stock", wake)
    await receive_kits(3)
    url = f"{V}/stock/places/{POINT}/assemblies"
    first = await http.post(url, json={"bags": 2}, headers=act(room, "point", "tap-1"))
    assert first.status_code == 200, first.text
    made = first.json()
    assert not made["repeated"]
    bags_in = [m for m in made["movements"] if m["kind"] == MovementKind.ASSEMBLED_IN]
    assert [(m["item_code"], Decimal(m["quantity"])) for m in bags_in] == [(FOOD_BAG, 2)]
    # The same form sent again, and twice more at the same instant: nothing more moves.
    again = await http.post(url, json={"bags": 2}, headers=act(room, "point", "tap-1"))
    assert again.status_code == 200 and again.json()["repeated"] and again.json()["movements"] == made["movements"]
    before = await movement_count()
    racing = await asyncio.gather(
        *(http.post(url, json={"bags": 1}, headers=act(room, "point", "tap-2")) for _ in range(2))
    )
    assert sorted(r.json()["repeated"] for r in racing) == [False, True]
    assert await movement_count() == before + len(KIT) + 1
    place = (await http.get(f"{V}/stock/places/{POINT}", headers=room.headers["point"])).json()
    assert Decimal(place["free_bags"]) == 3
    assert [i["item_code"] for i in place["items"]] == [FOOD_BAG]  # three bags took everything
    assert woken == [WARD, WARD]  # once per assembly, not per repeat
    async with transaction() as session:
        audited = (
            await session.execute(
                select(AuditEntry.detail).where(
                    AuditEntry.action == "stock_assembly", AuditEntry.actor_id == room.user_ids["point"]
                )
            )
        ).scalars()
        assert sorted(d["repeated"] for d in audited) == [False, False, True, True]


async def test_a_district_warehouse_assembles_and_sends_bags_to_a_ward_point(
    room: Stockroom, http: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    woken: list[str] = []

    async def wake(ctx: Any, ward_code: str) -> None:
        woken.append(ward_code)

    monkeypatch.setattr(stock, "wake_requests_awaiting_stock", wake)
    await receive_kits(4, WAREHOUSE)
    made = await http.post(
        f"{V}/stock/places/{WAREHOUSE}/assemblies", json={"bags": 4}, headers=act(room, "warehouse", "a")
    )
    assert made.status_code == 200, made.text
    assert woken == []  # bags at a district warehouse wait for no one yet
    sent = await http.post(
        f"{V}/stock/places/{WAREHOUSE}/transfers",
        json={"item_code": FOOD_BAG, "quantity": 3, "to_place_code": POINT},
        headers=act(room, "warehouse", "t"),
    )
    assert sent.status_code == 200, sent.text
    assert woken == [WARD]
    point = (await http.get(f"{V}/stock/places/{POINT}", headers=room.headers["point"])).json()
    assert Decimal(point["free_bags"]) == 3
    # A ward point's staff cannot assemble for the district's warehouse: it is not theirs to see.
    theirs = await http.post(
        f"{V}/stock/places/{WAREHOUSE}/assemblies", json={"bags": 1}, headers=act(room, "point", "x")
    )
    assert theirs.status_code == 404


async def test_count_write_off_and_issue_move_stock_once(room: Stockroom, http: httpx.AsyncClient) -> None:
    rice = await receive("rice", 100)
    fish = await receive("canned_fish", 40)
    base = f"{V}/stock/places/{POINT}"
    counted = await http.post(
        f"{base}/counts", json={"lot_id": str(rice), "counted": 97.5}, headers=act(room, "point", "c")
    )
    assert counted.status_code == 200, counted.text
    [adjusted] = counted.json()["movements"]
    assert (adjusted["kind"], Decimal(adjusted["quantity"])) == (MovementKind.ADJUSTED_DOWN, Decimal("-2.5"))
    again = await http.post(
        f"{base}/counts", json={"lot_id": str(rice), "counted": 97.5}, headers=act(room, "point", "c")
    )
    assert again.json()["repeated"] and again.json()["movements"] == counted.json()["movements"]

    body = {"lot_id": str(fish), "quantity": 4, "cause": "damaged", "reason": "hộp bị móp"}
    for _ in range(2):
        off = await http.post(f"{base}/write-offs", json=body, headers=act(room, "point", "w"))
        assert off.status_code == 200, off.text
    issued = await http.post(
        f"{base}/issues",
        json={"item_code": "canned_fish", "quantity": 6, "institution_code": "BV-115"},
        headers=act(room, "point", "i"),
    )
    assert issued.status_code == 200, issued.text
    place = (await http.get(base, headers=room.headers["point"])).json()
    on_hand = {i["item_code"]: Decimal(i["on_hand"]) for i in place["items"]}
    assert on_hand == {"rice": Decimal("97.5"), "canned_fish": 30}
    async with transaction() as session:
        reason = (
            await session.execute(select(StockMovement.reason).where(StockMovement.kind == MovementKind.WRITTEN_OFF))
        ).scalar_one()
        assert reason == "damaged: hộp bị móp"
        assert await stock_ledger.discrepancies(session) == []


def problem(answer: httpx.Response) -> tuple[str, str, str]:
    [detail] = answer.json()["detail"]
    return detail["loc"][-1], detail["type"], detail["msg"]


async def test_bad_input_names_the_field_in_both_languages_and_moves_nothing(
    room: Stockroom, http: httpx.AsyncClient
) -> None:
    rice = await receive("rice", 50)
    fish = await receive("canned_fish", 10)
    theirs = await receive("canned_fish", 10, OTHER_POINT)
    stale = await receive("vegetables", 5, expires_on=date.today() + timedelta(days=1))
    async with transaction() as session:  # two days pass
        await session.execute(
            text("UPDATE supply_lots SET expires_on = :d WHERE id = :lot"),
            {"d": date.today() - timedelta(days=1), "lot": stale},
        )
    for item, per_bag in KIT.items():  # one bag's worth of everything but vegetables (the stale lot)
        if item not in ("rice", "canned_fish", "vegetables"):
            await receive(item, per_bag)
    base = f"{V}/stock/places/{POINT}"
    transfer = {"item_code": "rice", "quantity": 5, "to_place_code": WAREHOUSE}
    cases: list[tuple[str, dict[str, Any], str, str]] = [
        ("transfers", {**transfer, "quantity": 0}, "quantity", "not_positive"),
        ("transfers", {**transfer, "quantity": -3}, "quantity", "not_positive"),
        ("transfers", {**transfer, "quantity": 5_000_000}, "quantity", "too_large"),
        ("transfers", {**transfer, "quantity": "1.0001"}, "quantity", "too_precise"),
        ("transfers", {**transfer, "item_code": "canned_fish", "quantity": 1.5}, "quantity", "not_whole"),
        ("transfers", {**transfer, "item_code": "caviar"}, "item_code", "unknown_item"),
        ("transfers", {**transfer, "quantity": 51}, "quantity", "insufficient_stock"),
        ("transfers", {**transfer, "to_place_code": "KHO-NOWHERE"}, "to_place_code", "unknown_place"),
        ("transfers", {**transfer, "to_place_code": POINT}, "to_place_code", "same_place"),
        (
            "transfers",
            {**transfer, "item_code": "vegetables", "quantity": 1, "lot_id": str(stale)},
            "lot_id",
            "lot_expired",
        ),
        (
            "issues",
            {"item_code": "canned_fish", "quantity": 11, "institution_code": "BV-115"},
            "quantity",
            "insufficient_stock",
        ),
        (
            "issues",
            {"item_code": "rice", "quantity": 1, "institution_code": WAREHOUSE},
            "institution_code",
            "unknown_institution",
        ),
        (
            "write-offs",
            {"lot_id": str(theirs), "quantity": 1, "cause": "spoiled", "reason": "ướt"},
            "lot_id",
            "unknown_lot",
        ),
        (
            "write-offs",
            {"lot_id": str(fish), "quantity": 1, "cause": "lost", "reason": "mất"},
            "cause",
            "unknown_cause",
        ),
        ("write-offs", {"lot_id": str(fish), "quantity": 1, "cause": "spoiled"}, "reason", "missing"),
        (
            "write-offs",
            {"lot_id": str(fish), "quantity": 11, "cause": "spoiled", "reason": "ướt mưa"},
            "quantity",
            "insufficient_stock",
        ),
        ("counts", {"lot_id": str(rice), "counted": -1}, "counted", "not_positive"),
        ("assemblies", {"bags": 0}, "bags", "not_positive"),
        ("assemblies", {"bags": 2.5}, "bags", "not_whole"),
        ("assemblies", {"bags": 100_000}, "bags", "too_large"),
        # Everything for one bag but its vegetables, which are past their date: nothing is taken for it.
        ("assemblies", {"bags": 1}, "bags", "insufficient_stock"),
    ]
    before = await movement_count()
    failures = []
    for i, (action, body, field, code) in enumerate(cases):
        answers = {
            lang: await http.post(
                f"{base}/{action}", json=body, headers=act(room, "point", f"bad-{i}") | {"Accept-Language": lang}
            )
            for lang in ("vi", "en")
        }
        got = {
            lang: problem(a) if a.status_code == 422 else (str(a.status_code), a.text, "")
            for lang, a in answers.items()
        }
        # The same field and code in both languages, each message in its own language alone.
        vi, en = got["vi"], got["en"]
        if vi[:2] != (field, code) or en[:2] != (field, code) or vi[2] == en[2] or "(" in vi[2] or "(" in en[2]:
            failures.append(f"{action} {body}: want {field}/{code}, got {got}")
    assert not failures, "\n".join(failures)
    assert await movement_count() == before
    # The words are the catalogue's, with the item's name and unit in the reader's language.
    short = {**transfer, "quantity": 51}
    names: tuple[tuple[texts.Lang, str], ...] = (("vi", "Gạo"), ("en", "Rice"))
    for lang, name in names:
        answer = await http.post(
            f"{base}/transfers", json=short, headers=act(room, "point", "short") | {"Accept-Language": lang}
        )
        unit = texts.text(lang, "unit.kg")
        words = texts.text(lang, "err.insufficient_free_stock", item=name, free="50", unit=unit, wanted="51")
        assert problem(answer) == ("quantity", "insufficient_stock", words)
        assert answer.headers["content-language"] == lang
    fraction = {**transfer, "item_code": "canned_fish", "quantity": 1.5}
    answer = await http.post(f"{base}/transfers", json=fraction, headers=act(room, "point", "fraction"))
    assert problem(answer)[2] == "Cá hộp được đếm theo hộp: nhập số nguyên."
    async with transaction() as session:  # what the ledger refused is on the record
        refused = await session.execute(
            select(AuditEntry.action).where(
                AuditEntry.actor_id == room.user_ids["point"], AuditEntry.action.like("%_refused")
            )
        )
        assert set(refused.scalars()) == {f"stock_{a}_refused" for a in ("transfer", "issue", "write_off", "assembly")}

    missing_key = await http.post(f"{base}/assemblies", json={"bags": 1}, headers=room.headers["point"])
    assert missing_key.status_code == 422
    assert missing_key.json()["detail"][0]["loc"] == ["header", "Idempotency-Key"]
    # Another place's stock: its address answers as if it did not exist, for writing as for reading.
    elsewhere = f"{V}/stock/places/{OTHER_POINT}"
    off = {"lot_id": str(theirs), "quantity": 1, "cause": "spoiled", "reason": "ướt mưa"}
    assert (await http.post(f"{elsewhere}/write-offs", json=off, headers=act(room, "point", "o"))).status_code == 404
    assert (await http.get(elsewhere, headers=room.headers["point"])).status_code == 404
    assert await movement_count() == before


async def issue_bags(place: str, bags: int, days_ago: int) -> None:
    """Bags issued to households `days_ago` days back (written with that time: the ledger is append-only)."""
    lot = await receive(FOOD_BAG, bags, place)
    async with transaction() as session:
        await session.execute(
            insert(StockMovement).values(
                idempotency_key=f"test-issue:{uuid.uuid4()}",
                place_code=place,
                lot_id=lot,
                item_code=FOOD_BAG,
                kind=MovementKind.ISSUED_HOUSEHOLD.value,
                quantity=-bags,
                occurred_at=datetime.now(UTC) - timedelta(days=days_ago),
            )
        )


async def test_officials_see_days_of_cover_and_lots_near_expiry_in_their_scope(
    room: Stockroom, http: httpx.AsyncClient
) -> None:
    await issue_bags(POINT, 10, days_ago=2)
    await issue_bags(POINT, 4, days_ago=6)
    await issue_bags(POINT, 50, days_ago=9)  # outside the week
    await receive(FOOD_BAG, 10)  # free: 10 bags; 14 issued in 7 days = 2 a day → 5 days
    soon = await receive("vegetables", 8, expires_on=date.today() + timedelta(days=3))
    await receive("rice", 8, expires_on=date.today() + timedelta(days=30))
    await receive("rice", 5, OTHER_POINT, expires_on=date.today() + timedelta(days=2))

    mine = (await http.get(f"{V}/stock", headers=room.headers["district"])).json()
    places = {p["place_code"]: p for p in mine["places"]}
    assert OTHER_POINT not in places and WAREHOUSE in places
    point = places[POINT]
    assert (Decimal(point["free_bags"]), Decimal(point["bags_issued_7_days"])) == (10, 14)
    assert Decimal(point["days_of_cover"]) == Decimal("5.0")
    assert places[WAREHOUSE]["days_of_cover"] is None  # nothing issued: no pace to divide by
    assert [(lot["lot_id"], lot["item_code"]) for lot in mine["near_expiry"]] == [(str(soon), "vegetables")]

    city = (await http.get(f"{V}/stock", headers=room.headers["city"])).json()
    assert [lot["place_code"] for lot in city["near_expiry"]] == [OTHER_POINT, POINT]
    # A district official asking for another district still gets their own.
    asked = (await http.get(f"{V}/stock?district_code={OTHER_DISTRICT}", headers=room.headers["district"])).json()
    assert OTHER_POINT not in {p["place_code"] for p in asked["places"]}
    staff = (await http.get(f"{V}/stock", headers=room.headers["point"])).json()
    assert [p["place_code"] for p in staff["places"]] == [POINT]
    assert (await http.get(f"{V}/stock/places/{POINT}", headers=room.headers["other_district"])).status_code == 404
    assert (await http.get(f"{V}/stock", headers=room.headers["ward"])).status_code == 403


async def test_the_public_sees_totals_by_item_and_district_without_signing_in(
    room: Stockroom, http: httpx.AsyncClient
) -> None:
    await receive("rice", 100)
    await receive("rice", 40, OTHER_POINT)
    fish = await receive("canned_fish", 20)
    await issue_bags(POINT, 3, days_ago=1)
    async with transaction() as session:
        await stock_ledger.take(
            session, "t-issue", POINT, "rice", Decimal(30), MovementKind.ISSUED_INSTITUTION, "BV-115"
        )
        await stock_ledger.record(
            session,
            stock_ledger.Movement("t-off", POINT, fish, MovementKind.WRITTEN_OFF, Decimal(2), reason="spoiled: ướt"),
        )
    answer = await http.get(f"{V}/stock/public")
    assert answer.status_code == 200
    totals = answer.json()

    def figures(rows: list[dict[str, Any]], item: str) -> tuple[Decimal, ...]:
        row = next(r for r in rows if r["item_code"] == item)
        return tuple(Decimal(row[k]) for k in ("received", "distributed", "on_hand", "spoiled"))

    assert figures(totals["items"], "rice") == (140, 30, 110, 0)
    assert figures(totals["items"], "canned_fish") == (20, 0, 18, 2)
    assert figures(totals["items"], FOOD_BAG) == (3, 3, 0, 0)
    district = {d["district_code"]: d for d in totals["districts"]}
    assert figures(district[DISTRICT]["items"], "rice") == (100, 30, 70, 0)
    assert figures(district[OTHER_DISTRICT]["items"], "rice") == (40, 0, 40, 0)
    assert "DP-" not in answer.text  # no place below a district


async def test_the_city_s_overview_reads_the_week_of_issues_and_not_the_months_before(db: None) -> None:
    """~300 places × 20 items, a month of issues behind them: the days of cover read the week's issues by index."""
    async with transaction() as session:
        places = list((await session.execute(select(SupplyPlace.code).where(SupplyPlace.kind != "hospital"))).scalars())
        # Rows only, without the triggers' balances (not what is measured here).
        await session.execute(text("SET LOCAL session_replication_role = replica"))
        await session.execute(
            text(
                "INSERT INTO supply_lots (id, item_code, created_at) SELECT gen_random_uuid(), code, now()"
                " FROM supply_items"
            )
        )
        await session.execute(
            text(
                "INSERT INTO stock_balances (place_code, lot_id, item_code, on_hand, reserved)"
                " SELECT p.code, l.id, l.item_code, 100, 0 FROM supply_places p CROSS JOIN supply_lots l"
            )
        )
        await session.execute(
            text(
                "INSERT INTO stock_movements (idempotency_key, place_code, lot_id, item_code, kind, quantity,"
                " occurred_at) SELECT 'plan-' || g, p.code, l.id, 'food_bag', 'issued_household', -1,"
                " now() - (g % 30 || ' days')::interval - interval '1 hour'"
                " FROM generate_series(1, 60000) g"
                " JOIN LATERAL (SELECT code FROM supply_places ORDER BY code OFFSET g % 290 LIMIT 1) p ON true"
                " CROSS JOIN (SELECT id FROM supply_lots WHERE item_code = 'food_bag') l"
            )
        )
        await session.execute(text("ANALYZE stock_movements"))
        await session.execute(text("ANALYZE stock_balances"))
        sql = stock_views.bags_issued_in_window(places).compile(
            dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True}
        )
        plan = (await session.execute(text(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}"))).scalar_one()
        await session.rollback()
    week = 60000 * 7 // 30

    def read(step: dict[str, Any]) -> int:
        rows = sum(step.get(k, 0) for k in ("Actual Rows", "Rows Removed by Filter", "Rows Removed by Index Recheck"))
        return max([int(rows * step["Actual Loops"]), *(read(child) for child in step.get("Plans", []))])

    assert "ix_stock_movements_issues_place_at" in json.dumps(plan)
    assert read(plan[0]["Plan"]) <= week * 1.2, json.dumps(plan, indent=1)


async def test_a_repeated_action_finds_its_movements_by_index(db: None) -> None:
    """Every action (and every pick of the ledger) looks for the movements under its key by prefix."""
    async with transaction() as session:
        await session.execute(text("SET LOCAL enable_seqscan = off"))  # a plan that still scans had no index
        ours = stock.movements_under("stock:assembly:ab_c").compile(
            dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True}
        )
        ledger = "SELECT * FROM stock_movements WHERE idempotency_key LIKE 'pick\\_1:%' ESCAPE '\\'"
        for sql in (str(ours), ledger):
            found = "\n".join(r[0] for r in await session.execute(text(f"EXPLAIN {sql}")))
            assert "ix_stock_movements_key_prefix" in found and "Seq Scan" not in found, found
