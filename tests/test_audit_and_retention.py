"""The audit trail (who read or decided what, from where; scoped; append-only) and the retention purge."""

import io
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import BaseModel
from sqlalchemy import func, select, text, true, update
from sqlalchemy.dialects.postgresql import Range
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession
from temporalio.client import Client

from db.base import transaction
from db.cash import CashNeed, CommunityHelper, Pledge
from db.deliveries import Delivery
from db.households import HouseholdMember
from db.notifications import Notification
from db.private_messages import MessageReport, MessageThread, PrivateMessage
from db.requests import ReliefRequest
from db.staff import StaffUser
from domain.cash import PledgeState
from domain.private_messages import Side
from server import create_app
from services import cash_ledger, message_parties, message_threads, request_lists
from services.photos import photo_file, store_photo
from services.retention import purge_due
from tests.cash_factories import a_helper, a_need
from tests.factories import DISTRICT, WARD
from tests.trust_fixtures import World, build_world, in_process, insert_request, jpeg_bytes


@pytest.fixture
async def world(client: Client, task_queue: str, tmp_path: Path) -> World:
    return await build_world(client, task_queue, tmp_path / "photos")


@pytest.fixture
async def http(world: World) -> AsyncIterator[httpx.AsyncClient]:
    async for client in in_process(world.app):
        yield client


async def test_reads_and_decisions_are_audited_and_officials_see_their_own(
    world: World, http: httpx.AsyncClient
) -> None:
    ward, city = world.headers["ward_official"], world.headers["city_official"]
    assert (await http.get(f"/api/v1/requests/{world.own.code}", headers=ward)).status_code == 200
    assert (await http.get(f"/api/v1/requests/{world.own.code}/delivery/photo", headers=ward)).status_code == 200
    decided = await http.post(f"/api/v1/requests/{world.own.code}/verification", json={"approve": True}, headers=ward)
    assert decided.status_code == 200, decided.text
    assert (await http.get(f"/api/v1/requests/{world.other.code}", headers=city)).status_code == 200

    mine = (await http.get("/api/v1/audit", headers=ward)).json()
    actions = {(e["action"], e["request_code"]) for e in mine}
    assert {("read_applicant", world.own.code), ("read_delivery_photo", world.own.code)} <= actions
    assert ("verification", world.own.code) in actions
    assert all(e["ward_code"] == WARD for e in mine)  # the other district's reads are not shown to this ward
    entry = next(e for e in mine if e["action"] == "read_applicant")
    assert entry["actor_id"] == str(world.own.ward_official.id) and entry["ip"] == "127.0.0.1"
    assert entry["actor_role"] == "ward_official" and entry["at"]
    everything = (await http.get(f"/api/v1/audit?request_code={world.other.code}", headers=city)).json()
    assert [e["action"] for e in everything] == ["read_applicant"]
    assert (await http.get("/api/v1/audit", headers=world.headers["courier"])).status_code == 403
    assert (await http.delete("/api/v1/audit", headers=city)).status_code == 405


async def test_the_audit_log_refuses_update_delete_and_truncate(db: None) -> None:
    async with transaction() as session:
        await session.execute(text("INSERT INTO audit_log (actor_role, action, detail) VALUES ('test', 'x', '{}')"))
    for statement in (
        "UPDATE audit_log SET action = 'forged'",
        "DELETE FROM audit_log",
        "TRUNCATE audit_log",
    ):
        with pytest.raises(DBAPIError, match="append-only"):
            async with transaction() as session:
                await session.execute(text(statement))


async def test_request_bodies_accept_no_extra_fields() -> None:
    """No mass assignment: every JSON body model refuses fields it does not name."""
    app = create_app()
    schema = app.openapi()
    bodies = [
        op["requestBody"]["content"] for path in schema["paths"].values() for op in path.values() if "requestBody" in op
    ]
    json_refs = [c["application/json"]["schema"] for c in bodies if "application/json" in c]
    assert json_refs, "no JSON bodies found"
    for ref in json_refs:
        ref = ref.get("$ref") or next(r["$ref"] for r in ref.get("anyOf", []) if "$ref" in r)
        model = schema["components"]["schemas"][ref.rsplit("/", 1)[1]]
        assert model.get("additionalProperties") is False, ref
    from usecases.schemas import actions, citizen, registration

    for module in (actions, citizen, registration):
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, BaseModel) and value.__name__.endswith(("Body", "Form")):
                assert value.model_config.get("extra") == "forbid", value


async def test_retention_purges_old_closed_requests_and_keeps_the_counts(db: None, tmp_path: Path) -> None:
    now = datetime.now(UTC)
    old = await insert_request(WARD, DISTRICT, "+84903111222", stage="delivered", closed_at=now - timedelta(days=400))
    recent = await insert_request(WARD, DISTRICT, "+84903111333", stage="delivered", closed_at=now - timedelta(days=10))
    still_open = await insert_request(WARD, DISTRICT, "+84903111444")
    stored = store_photo(io.BytesIO(jpeg_bytes()), tmp_path)
    courier_id = uuid.uuid4()
    async with transaction() as session:
        session.add(StaffUser(id=courier_id, username=f"c-{courier_id.hex[:6]}", full_name="C", password_hash="x",
                              role="courier", unit_code=WARD))  # fmt: skip
        await session.flush()
        assert old.household_id
        session.add(
            Delivery(request_id=old.id, household_id=old.household_id, kind="food_bag",
                     delivered_at=now - timedelta(days=400),
                     entitled_period=Range(now - timedelta(days=400), now - timedelta(days=386), bounds="[)"),
                     courier_id=courier_id, photo_path=stored.relative_path, photo_sha256=stored.sha256,
                     recipient_national_id_hash="r" * 64, recipient_national_id_last4="1234",
                     recipient_phone="+84903111222", recipient_matches_household=False, latitude=10.7, longitude=106.7,
                     recipient_relationship="hàng xóm, chị Lan", needs_review=True)
        )  # fmt: skip
    async with transaction() as session:
        counts_before = await request_lists.stage_counts(session, true())
        report = await purge_due(session, timedelta(days=365), tmp_path, now, limit=500)
    assert (report.requests, report.photos, report.households) == (1, 1, 1)
    async with transaction() as session:
        purged = await session.get(ReliefRequest, old.id)
        kept = await session.get(ReliefRequest, recent.id)
        delivery = await session.scalar(select(Delivery).where(Delivery.request_id == old.id))
        members = await session.scalar(
            select(func.count()).select_from(HouseholdMember).where(HouseholdMember.household_id == old.household_id)
        )
        counts_after = await request_lists.stage_counts(session, true())
        again = await purge_due(session, timedelta(days=365), tmp_path, now, limit=500)
    assert purged is not None and kept is not None and delivery is not None
    assert (purged.applicant_name, purged.applicant_phone, purged.address, purged.applicant_phone_hash) == ("",) * 4
    assert (purged.code, purged.stage, purged.ward_code) == (old.code, "delivered", WARD)
    assert (delivery.recipient_phone, delivery.photo_path, delivery.latitude) == ("", "", None)
    assert delivery.recipient_relationship is None and delivery.needs_review  # what the courier said may name someone
    assert photo_file(tmp_path, stored.relative_path) is None
    assert members == 0
    assert kept.applicant_phone == "+84903111333" and kept.applicant_name
    assert counts_after == counts_before and again.requests == 0
    assert still_open.code


async def test_phones_are_encrypted_at_rest(db: None) -> None:
    row = await insert_request(WARD, DISTRICT, "+84903777888")
    async with transaction() as session:
        raw = await session.scalar(text("SELECT applicant_phone FROM relief_requests WHERE id = :id"), {"id": row.id})
        clear = await session.scalar(select(ReliefRequest.applicant_phone).where(ReliefRequest.id == row.id))
    assert raw is not None and raw.startswith("enc:") and "903777888" not in raw
    assert clear == "+84903777888"


async def test_retention_purges_donors_whose_donations_closed_long_ago_and_keeps_the_goods_traced(
    db: None, tmp_path: Path
) -> None:
    from db.donations import Donation, DonationLine, Donor
    from db.notifications import Notification
    from services.supply_demo import donated_goods
    from services.supply_seed import ward_point_code

    now = datetime.now(UTC)
    keeps = date.today() + timedelta(days=300)
    async with transaction() as session:
        old_id = await donated_goods(session, "old-gift", ward_point_code(WARD), {"rice": Decimal(50)}, keeps)
        new_id = await donated_goods(session, "new-gift", ward_point_code(WARD), {"rice": Decimal(50)}, keeps)
    async with transaction() as session:
        old, new = await session.get_one(Donation, old_id), await session.get_one(Donation, new_id)
        old.closed_at = now - timedelta(days=400)
    async with transaction() as session:
        report = await purge_due(session, timedelta(days=365), tmp_path, now, limit=500)
        again = await purge_due(session, timedelta(days=365), tmp_path, now, limit=500)
    assert (report.donors, again.donors) == (1, 0)
    async with transaction() as session:
        gone = await session.get(Donor, old.donor_id)
        kept = await session.get(Donor, new.donor_id)
        told = await session.scalars(select(Notification.message).where(Notification.donation_id == old.id))
        lines = await session.scalars(select(DonationLine.lot_id).where(DonationLine.donation_id == old.id))
        assert gone is not None and kept is not None
        assert (gone.name, gone.contact_phone, gone.phone_hash) == ("", "", "")
        assert kept.name and kept.contact_phone
        assert set(told.all()) == {""}
        assert all(lot is not None for lot in lines.all())  # the goods still trace to the donation


async def test_retention_purges_a_cash_needs_account_holder_and_notes_and_keeps_its_amounts(
    db: None, tmp_path: Path
) -> None:
    now = datetime.now(UTC)
    old, recent = await a_need(400_000), await a_need(400_000)
    helper = await a_helper()
    async with transaction() as session:
        for need, code in ((old, "OLDP"), (recent, "NEWP")):
            await cash_ledger.pledge(session, code, need, helper, 400_000)
            await cash_ledger.move_pledge(session, code, PledgeState.TRANSFERRED, now)
            await cash_ledger.move_pledge(session, code, PledgeState.DISPUTED, now, note="chưa thấy tiền, gọi chị Hoa")
            await cash_ledger.move_pledge(session, code, PledgeState.CONFIRMED, now)
            await a_conversation(session, code, now)
        for need, closed in ((old, now - timedelta(days=400)), (recent, now - timedelta(days=10))):
            await session.execute(
                update(ReliefRequest).where(ReliefRequest.id == need).values(stage="supported", closed_at=closed)
            )
    async with transaction() as session:
        report = await purge_due(session, timedelta(days=365), tmp_path, now, limit=500)
    assert report.requests == 1
    async with transaction() as session:
        purged, kept = await session.get(CashNeed, old), await session.get(CashNeed, recent)
        notes = dict((await session.execute(select(Pledge.code, Pledge.note))).tuples().all())
    assert purged is not None and kept is not None
    assert (purged.account_number, purged.holder_name, purged.account_hash) == ("", "", "")
    assert (purged.amount_asked, purged.amount_confirmed) == (400_000, 400_000)  # the dashboards' figures stay
    assert kept.account_number and kept.holder_name
    assert notes == {"OLDP": None, "NEWP": "chưa thấy tiền, gọi chị Hoa"}
    async with transaction() as session:  # the private messages go with the need's personal data
        said = dict((await session.execute(_by_pledge(PrivateMessage.body, PrivateMessage.thread_id))).all())
        reasons = dict((await session.execute(_by_pledge(MessageReport.reason, MessageReport.thread_id))).all())
        notices = dict((await session.execute(_by_pledge(Notification.message, Notification.thread_id))).all())
    assert said == {"OLDP": None, "NEWP": "Số nhà em là 12 Lê Lợi"}
    assert reasons == {"OLDP": None, "NEWP": "hỏi địa chỉ"}
    assert notices["OLDP"] == "" and notices["NEWP"].startswith("Bạn có tin nhắn mới")


async def a_conversation(session: AsyncSession, code: str, now: datetime) -> None:
    """A message from the household, its notice to the helper, and the helper's report."""
    parties = await message_parties.pledge_parties(session, code)
    assert parties is not None
    thread = await message_threads.open_thread(session, parties)
    await message_threads.add_message(session, thread.id, Side.HOUSEHOLD, "Số nhà em là 12 Lê Lợi")
    await message_threads.notify(session, thread.id, Side.HELPER, parties.label, now, timedelta(minutes=15))
    await message_threads.report(session, thread, Side.HELPER, "hỏi địa chỉ", now, 1)


def _by_pledge(column: Any, thread_id: Any) -> Any:
    """(pledge code, column) of the rows of each pledge's thread."""
    return (
        select(Pledge.code, column)
        .join(MessageThread, (MessageThread.subject_kind == "pledge") & (MessageThread.subject_id == Pledge.id))
        .join(column.class_, thread_id == MessageThread.id)
    )


async def test_retention_purges_helpers_whose_pledges_all_ended_long_ago(db: None, tmp_path: Path) -> None:
    now = datetime.now(UTC)
    long_ago = now - timedelta(days=400)
    need = await a_need(900_000)
    gone, busy, new = await a_helper(), await a_helper(), await a_helper()
    async with transaction() as session:
        await cash_ledger.pledge(session, "GONE", need, gone, 100_000)
        await cash_ledger.move_pledge(session, "GONE", PledgeState.EXPIRED, long_ago)
        await cash_ledger.pledge(session, "BUSY", need, busy, 100_000)  # still open: its helper is needed
        await session.execute(
            update(CommunityHelper).where(CommunityHelper.id.in_([gone, busy])).values(created_at=long_ago)
        )
    async with transaction() as session:
        report = await purge_due(session, timedelta(days=365), tmp_path, now, limit=500)
    assert report.helpers == 1
    async with transaction() as session:
        helpers = {h.id: h for h in (await session.scalars(select(CommunityHelper))).all()}
        pledges = await session.scalar(select(func.count()).select_from(Pledge))
    assert (helpers[gone].phone, helpers[gone].display_name) == ("", "")
    assert helpers[gone].phone_hash == f"purged:{gone}"
    assert helpers[busy].phone and helpers[new].phone  # a pledge still open, or signed in lately: kept
    assert pledges == 2  # the pledges stay, for the needs' totals
    async with transaction() as session:
        assert (await purge_due(session, timedelta(days=365), tmp_path, now, limit=500)).helpers == 0
