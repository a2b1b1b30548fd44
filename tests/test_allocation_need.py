"""The round's need, computed from the database with its parts: a district's bags for requests waiting for stock,
requests open ahead and registry households not reached, through the kit, less stock at its wards' points and in
transit to it by shipment; an institution's latest proposal, less what it holds. Worked out by hand."""

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

from db.base import transaction
from db.place_reports import PlaceReport, PlaceReportProposal
from domain.allocation_need import NeedPartKind
from domain.allocation_round import AllocationRoundPolicy
from domain.roles import Role
from domain.supply import MovementKind
from services import allocation_need, stock_ledger
from services.registry_import import import_registry
from services.stock_ledger import Movement
from services.supply_seed import ward_point_code
from tests.allocation_round_helpers import city_lot, waiting_for_bags
from tests.factories import DISTRICT, WARD, make_staff
from tests.trust_fixtures import insert_request

TODAY = date(2026, 12, 5)
TODAY_AT = datetime.now(UTC)
REGISTRY = """STT;Họ và tên chủ hộ;Năm sinh;Số CMND/CCCD;SĐT;Địa chỉ;Phường/Xã;Số nhân khẩu;Diện
1;Nguyễn Văn Tám;1960;079060001234;0903 111 222;12 Nguyễn Huệ;P. Bến Nghé;4;Hộ nghèo
2;Trần Thị Bảy;1975;079175002345;;34 Lê Lợi;Phường Bến Nghé;3;Hộ cận nghèo
"""


async def test_a_districts_need_counts_bags_by_their_reasons_less_what_is_there_or_on_the_way(db: None) -> None:
    await waiting_for_bags(WARD, DISTRICT, 3)
    for n in range(2):
        await insert_request(WARD, DISTRICT, f"+849011100{n:02d}", stage="registered")
    async with transaction() as session:
        report = await import_registry(
            session,
            ward_code=WARD,
            filename="list.csv",
            content=REGISTRY.encode(),
            imported_by=None,
            at=datetime.now(UTC),
        )
    assert report.accepted == 2
    await city_lot(ward_point_code(WARD), "rice", Decimal(20), None)  # loose rice at the ward's point
    city = await city_lot("KHO-TP-1", "rice", Decimal(100), None)
    async with transaction() as session:  # 30 kg dispatched to the district by a shipment, not yet received
        await stock_ledger.record(
            session,
            Movement(
                "shipment:CH-20261204-001:rice",
                "KHO-TP-1",
                uuid.UUID(city),
                MovementKind.TRANSFERRED_OUT,
                Decimal(30),
                counterpart_code=f"KHO-Q{DISTRICT}",
            ),
        )
    nurse = await make_staff(Role.WAREHOUSE_STAFF, "771", place_code="BV-115")
    async with transaction() as session:
        report_id = uuid.uuid4()
        session.add(
            PlaceReport(
                id=report_id,
                place_code="BV-115",
                district_code="771",
                report_date=TODAY,
                filed_by=nurse.id,
                filed_at=datetime.now(UTC),
                deadline_at=datetime.now(UTC),
                late=False,
            )
        )
        await session.flush()
        session.add(
            PlaceReportProposal(
                report_id=report_id, line_no=1, item_code="rice", quantity=Decimal(50), days=5, reason="120 bệnh nhân"
            )
        )

    async with transaction() as session:
        prepared = await allocation_need.prepare(session, TODAY, datetime.now(UTC), AllocationRoundPolicy())
    needs = {n.place_code: n for n in prepared.needs}
    district = needs[f"KHO-Q{DISTRICT}"]
    assert sorted((p.kind, p.quantity) for p in district.bag_parts) == [
        (NeedPartKind.AHEAD, Decimal(2)),
        (NeedPartKind.AWAITING_STOCK, Decimal(3)),
        (NeedPartKind.UNREACHED, Decimal(2)),
    ]
    items = {i.item_code: i for i in district.items}
    rice = items["rice"]  # 7 bags × 10 kg, less 20 kg at the ward's point and 30 kg on the way
    assert (rice.gross, rice.on_hand, rice.in_transit, rice.net) == (Decimal(70), Decimal(20), Decimal(30), Decimal(20))
    assert items["vegetables"].net == Decimal(14)
    hospital = needs["BV-115"]
    assert [(i.item_code, i.net, i.daily_use) for i in hospital.items] == [("rice", Decimal(50), 10.0)]
    proposal = hospital.items[0].parts[0]  # its days apart from the note, for the page to say in its words
    assert (proposal.kind, proposal.days, proposal.note) == (NeedPartKind.PROPOSAL, 5, f"{TODAY} · 120 bệnh nhân")

    # The problem: the city's lot, less what left by the shipment, and each destination's net need.
    lots = [(lot.item_code, lot.quantity) for s in prepared.problem.sources for lot in s.lots]
    assert lots == [("rice", Decimal(70))]
    problem_needs = {(d.code, n.item_code): n.quantity for d in prepared.problem.destinations for n in d.needs}
    assert problem_needs[(f"KHO-Q{DISTRICT}", "rice")] == Decimal(20)
    assert problem_needs[("BV-115", "rice")] == Decimal(50)
