"""The fault suite's allocation-round verdict (tests/system/checks.py) can fail: a round approved once, its approved
lines the proposed ones and one shipment started and recorded per shipment code, passes; a second approval, a
round not approved or not completed, approved lines that are not the proposal, a shipment started twice, one
missing or one extra, and a shipment recorded twice or never, fail."""

from decimal import Decimal

from temporalio.client import WorkflowExecutionStatus

from domain.names import shipment_workflow_id
from tests.system.checks import read_round

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
