"""The fault suite's allocation-round verdict (tests/system/checks.py) can fail: a round approved once, its approved
lines the proposed ones and one shipment started and recorded per shipment code, passes; a second approval, a
round not approved or not completed, approved lines that are not the proposal, a shipment started twice, one
missing or one extra, and a shipment recorded twice or never, fail; through the real API and workflows, a round left
proposed fails both checks and the same round approved (twice at once, one key) passes them."""

import asyncio
from decimal import Decimal

from sqlalchemy import func, select
from temporalio.client import WorkflowExecutionStatus

from db.base import transaction
from db.shipments import Shipment
from domain.allocation_round import allocation_round_workflow_id
from domain.names import shipment_workflow_id
from tests.allocation_round_helpers import city_lot, waiting_for_bags
from tests.factories import DISTRICT, WARD
from tests.system.checks import read_round, round_checks
from tests.test_allocation_round_api import Api, V, _proposed, api  # noqa: F401 - the module's fixture, shared
from usecases.supply.allocation_rounds import city_today

CODES = ("CH-20261205-001", "CH-20261205-002")
PROPOSED: list[tuple[object, ...]] = [
    ("proposed", 1, "KHO-TP-1", "lot-a", "BV-115", "rice", Decimal(30), None),
    ("proposed", 2, "KHO-TP-1", "lot-b", "BV-CHO-RAY", "canned_fish", Decimal(12), None),
]
APPROVED: list[tuple[object, ...]] = [
    ("approved", *line[1:-1], code) for line, code in zip(PROPOSED, CODES, strict=True)
]
CHILDREN = [shipment_workflow_id(code) for code in CODES]
DONE = WorkflowExecutionStatus.COMPLETED
GOOD = (("approved", True), DONE, ["approve-key"], PROPOSED + APPROVED, CHILDREN, list(CODES))


def test_a_round_approved_once_with_one_shipment_per_code_passes() -> None:
    assert read_round(*GOOD) == ([], [])


def test_a_second_approval_or_an_unfinished_round_fails() -> None:
    assert read_round(GOOD[0], DONE, ["approve-key", "approve-again"], *GOOD[3:])[0]
    assert read_round(("proposed", False), DONE, [], PROPOSED, [], [])[0]
    assert read_round(GOOD[0], WorkflowExecutionStatus.RUNNING, *GOOD[2:])[0]


def test_approved_lines_other_than_the_proposal_fail() -> None:
    changed = [(*APPROVED[0][:6], Decimal(29), *APPROVED[0][7:]), APPROVED[1]]
    assert read_round(*GOOD[:3], PROPOSED + changed, *GOOD[4:])[0]
    assert read_round(*GOOD[:3], PROPOSED + APPROVED[:1], CHILDREN[:1], list(CODES[:1]))[0]
    assert read_round(*GOOD[:3], PROPOSED + APPROVED + APPROVED[:1], *GOOD[4:])[0]


def test_a_shipment_started_twice_missing_or_extra_or_recorded_other_than_once_fails() -> None:
    assert read_round(*GOOD[:4], CHILDREN + CHILDREN[:1], list(CODES))[1]
    assert read_round(*GOOD[:4], CHILDREN[:1], list(CODES))[1]
    assert read_round(*GOOD[:4], [*CHILDREN, shipment_workflow_id("CH-20261205-900")], list(CODES))[1]
    assert read_round(*GOOD[:4], CHILDREN, [*CODES, CODES[0]])[1]
    assert read_round(*GOOD[:4], CHILDREN, list(CODES[:1]))[1]


async def test_a_round_approved_through_the_api_passes_and_one_left_proposed_fails(
    api: Api,  # noqa: F811
    database_url: str,
) -> None:
    client = api.temporal
    await waiting_for_bags(WARD, DISTRICT, 10)
    await city_lot("KHO-TP-1", "rice", Decimal(100), None)
    day = (await api.http.post(f"{V}/allocation-rounds", headers=api.official)).json()["round_date"]
    await _proposed(api, day)
    assert [c.passed for c in await round_checks(database_url, client, city_today())] == [False, False]

    keyed = {**api.official, "Idempotency-Key": "approve-1"}
    answers = await asyncio.gather(
        *(api.http.post(f"{V}/allocation-rounds/{day}/approval", json={}, headers=keyed) for _ in range(2))
    )
    assert [a.status_code for a in answers] == [200, 200], [a.text for a in answers]
    await client.get_workflow_handle(allocation_round_workflow_id(city_today())).result()
    for _ in range(100):  # each shipment records itself in its first step
        async with transaction() as session:
            if await session.scalar(select(func.count()).select_from(Shipment)) == len(answers[0].json()["shipments"]):
                break
        await asyncio.sleep(0.1)
    assert [c.passed for c in await round_checks(database_url, client, city_today())] == [True, True]
