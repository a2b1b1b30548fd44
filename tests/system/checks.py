"""The fault suite's verdict: PostgreSQL's records and Temporal's workflows, checked against each other."""

import asyncio
from collections import Counter, defaultdict
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TypeVar

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine
from temporalio.api.enums.v1 import EventType
from temporalio.client import Client, WorkflowExecutionStatus
from temporalio.service import RPCError, RPCStatusCode

from domain.allocation_round import allocation_round_workflow_id
from domain.names import pledge_workflow_id, shipment_workflow_id, workflow_id
from domain.stages import FINAL_STAGES, Stage
from services.stock_ledger import Discrepancy, discrepancies

# Relief requests only, bags and cash (the bare ceiling's workflows carry no search attributes).
OURS = '(AnSinhKind = "food_bag" OR AnSinhKind = "cash_support")'
_T = TypeVar("_T")


@dataclass(frozen=True)
class Check:
    name: str
    passed: bool
    detail: str


async def _rows(database_url: str, sql: str) -> list[tuple[object, ...]]:
    engine = create_async_engine(database_url)
    try:
        async with AsyncSession(engine) as session:
            return [tuple(r) for r in (await session.execute(text(sql))).all()]
    finally:
        await engine.dispose()


async def _ledger_discrepancies(database_url: str) -> list[Discrepancy]:
    engine = create_async_engine(database_url)
    try:
        async with AsyncSession(engine) as session:
            return await discrepancies(session)
    finally:
        await engine.dispose()


async def _temporal_stage_counts(client: Client) -> dict[str, int]:
    counts = {}
    for stage in Stage:
        query = f'{OURS} AND AnSinhStage = "{stage.value}"'
        counts[stage.value] = (await client.count_workflows(query)).count
    return counts


async def _settled(probe: Callable[[], Awaitable[_T]], done: Callable[[_T], bool], seconds: float) -> _T:
    """Probes once a second until `done` or `seconds` pass: what catches up eventually gets that long."""
    value = await probe()
    for _ in range(int(seconds)):
        if done(value):
            break
        await asyncio.sleep(1)
        value = await probe()
    return value


async def why_running(client: Client, code: str) -> str:
    """Where a workflow that should have ended stands: its last events and the failures among them, so that a
    failed run explains itself after its cluster is gone."""
    history = await client.get_workflow_handle(workflow_id(code)).fetch_history()
    tail = history.events[-12:]
    names = [EventType.Name(e.event_type).removeprefix("EVENT_TYPE_") for e in tail]
    failures = [
        f"{EventType.Name(e.event_type).removeprefix('EVENT_TYPE_')}: {failure.message[:160]}"
        for e in tail
        for failure in (
            e.workflow_task_failed_event_attributes.failure,
            e.activity_task_failed_event_attributes.failure,
        )
        if failure.message
    ]
    return f"{code} after {len(history.events)} events, last {names}; failures {failures}"


COUNTED = "('pledged', 'transferred', 'disputed', 'confirmed')"


async def cash_checks(database_url: str, client: Client, settle_seconds: float) -> list[Check]:
    """Pledges through the same faults: each ended and its workflow with it, every need holds exactly what its
    pledges say (none lost, none counted twice, none above the need), and every supported request was confirmed
    in full, once."""
    pledges = await _rows(database_url, "SELECT code, state FROM pledges")
    open_pledges = [code for code, state in pledges if state not in ("confirmed", "expired", "released")]

    async def unfinished() -> list[str]:
        running = []
        for code, _ in pledges:
            try:
                described = await client.get_workflow_handle(pledge_workflow_id(str(code))).describe()
            except RPCError as err:  # a pledge whose workflow was lost
                if err.status != RPCStatusCode.NOT_FOUND:
                    raise
                running.append(f"{code} (no workflow)")
                continue
            if described.status != WorkflowExecutionStatus.COMPLETED:
                running.append(str(code))
        return running

    running = await _settled(unfinished, lambda found: not found, settle_seconds) if pledges else []
    wrong_totals = await _rows(
        database_url,
        "SELECT r.code, n.amount_asked, n.amount_pledged, n.amount_confirmed, coalesce(p.held, 0), "
        "coalesce(p.confirmed, 0) FROM cash_needs n JOIN relief_requests r ON r.id = n.request_id "
        f"LEFT JOIN (SELECT request_id, sum(amount) FILTER (WHERE state IN {COUNTED}) AS held, "
        "sum(amount) FILTER (WHERE state = 'confirmed') AS confirmed FROM pledges GROUP BY request_id) p "
        "ON p.request_id = n.request_id WHERE n.amount_pledged <> coalesce(p.held, 0) "
        "OR n.amount_confirmed <> coalesce(p.confirmed, 0) OR n.amount_pledged > n.amount_asked",
    )
    supported = await _rows(
        database_url,
        "SELECT r.code, n.amount_asked, n.amount_confirmed, n.state, n.entitled_period IS NOT NULL "
        "FROM relief_requests r JOIN cash_needs n ON n.request_id = r.id WHERE r.stage = 'supported'",
    )
    short = [row for row in supported if row[1] != row[2] or row[3] != "closed" or not row[4]]
    return [
        Check(
            "every pledge ended, and its workflow with it",
            not open_pledges and not running,
            f"{len(pledges)} pledges; {len(open_pledges)} not ended {open_pledges[:5]}; "
            f"{len(running)} workflows not completed {running[:5]}",
        ),
        Check(
            "every cash need holds exactly its pledges, never more than it asked",
            not wrong_totals,
            f"{len(wrong_totals)} needs differ (code, asked, held, confirmed, pledges held, pledges confirmed) "
            f"{wrong_totals[:3]}",
        ),
        Check(
            "every supported request was confirmed in full, once, and starts its window",
            not short,
            f"{len(supported)} supported; {len(short)} short {short[:5]}",
        ),
    ]


async def ledger_checks(database_url: str) -> list[Check]:
    """The stock ledger under the same faults: balances are kept by triggers in each movement's transaction, so a
    cut at any point, or a retry, leaves every balance the sum of its movements (and none below zero); and no
    request that ended still holds a bag."""
    finals = ", ".join(f"'{s.value}'" for s in FINAL_STAGES)
    wrong = await _ledger_discrepancies(database_url)
    moved = await _rows(database_url, "SELECT count(*), count(DISTINCT (place_code, lot_id)) FROM stock_movements")
    movements, balances = moved[0]
    held = await _rows(
        database_url,
        "SELECT b.request_code, r.stage FROM bag_reservations b JOIN relief_requests r ON r.code = b.request_code "
        f"WHERE b.state = 'held' AND r.stage IN ({finals})",
    )
    return [
        Check(
            "every ledger balance equals the sum of its movements, and none is negative",
            # No movement at all would make this check say nothing.
            not wrong and int(str(movements)) > 0,
            f"{movements} movements into {balances} balances; {len(wrong)} differ {wrong[:3]}",
        ),
        Check("no bag stays reserved for a request that has ended", not held, f"{len(held)} held {held[:5]}"),
    ]


async def run_checks(database_url: str, client: Client, settle_seconds: float = 60.0) -> list[Check]:
    finals = ", ".join(f"'{s.value}'" for s in FINAL_STAGES)
    checks = []

    async def still_open() -> tuple[list[tuple[object, ...]], int]:
        rows = await _rows(database_url, f"SELECT code, stage FROM relief_requests WHERE stage NOT IN ({finals})")
        return rows, (await client.count_workflows(f'{OURS} AND ExecutionStatus = "Running"')).count

    # A request's last step writes its final stage before its workflow completes: a worker behind on a busy
    # machine finishes the last few moments after the load's final answer.
    open_rows, running = await _settled(still_open, lambda found: not found[0] and found[1] == 0, settle_seconds)
    checks.append(
        Check(
            "every request reached a final stage",
            not open_rows and running == 0,
            f"{len(open_rows)} open in PostgreSQL {open_rows[:5]}; {running} workflows still running in Temporal",
        )
    )

    # The workers' dispatcher sends what each step stored, through kills and restarts: none may stay unsent.
    counts = (
        "SELECT count(*) FILTER (WHERE sent_at IS NOT NULL), count(*) FILTER (WHERE sent_at IS NULL) FROM notifications"
    )
    rows = await _settled(lambda: _rows(database_url, counts), lambda rows: rows[0][1] == 0, settle_seconds)
    sent, unsent = rows[0]
    checks.append(Check("every notification a step stored was sent", unsent == 0, f"{sent} sent, {unsent} unsent"))

    doubles = await _rows(
        database_url,
        "SELECT a.household_id, a.request_id, b.request_id FROM deliveries a JOIN deliveries b "
        "ON a.household_id = b.household_id AND a.kind = b.kind AND a.id < b.id "
        "AND abs(extract(epoch FROM a.delivered_at - b.delivered_at)) < 14 * 86400",
    )
    checks.append(Check("no household has two deliveries within 14 days", not doubles, f"{len(doubles)} pairs"))

    ledger = await _rows(
        database_url,
        "SELECT r.code, r.stage, count(d.id) OVER (PARTITION BY d.request_id) FROM deliveries d "
        "JOIN relief_requests r ON r.id = d.request_id",
    )
    bad = []
    unfinished: list[str] = []
    for code, stage, per_request in ledger:
        if per_request != 1 or stage != Stage.DELIVERED.value:
            bad.append((code, stage, per_request))
            continue
        described = await client.get_workflow_handle(workflow_id(str(code))).describe()
        if described.status != WorkflowExecutionStatus.COMPLETED:
            bad.append((code, str(described.status), 1))
            unfinished.append(str(code))
    stuck = [await why_running(client, code) for code in unfinished[:3]]
    checks.append(
        Check(
            "every delivery in the ledger has exactly one workflow that produced it",
            not bad,
            f"{len(ledger)} deliveries; {len(bad)} without exactly one completed, delivered workflow {bad[:5]} {stuck}",
        )
    )

    claims = await _rows(
        database_url, "SELECT r.code FROM household_claims c JOIN relief_requests r ON r.id = c.request_id"
    )
    orphans = []
    for (code,) in claims:
        described = await client.get_workflow_handle(workflow_id(str(code))).describe()
        if described.status != WorkflowExecutionStatus.RUNNING:
            orphans.append(code)
    checks.append(
        Check(
            "no claim is left open without a running workflow",
            not orphans,
            f"{len(claims)} open claims, {len(orphans)} without a running workflow {orphans[:5]}",
        )
    )

    checks += await ledger_checks(database_url)
    checks += await cash_checks(database_url, client, settle_seconds)

    pg_counts = {
        str(stage): count
        for stage, count in await _rows(database_url, "SELECT stage, count(*) FROM relief_requests GROUP BY stage")
    }
    pg = {s.value: int(str(pg_counts.get(s.value, 0))) for s in Stage}
    # Visibility is eventually consistent: give it a moment to settle before calling it a disagreement.
    temporal = await _settled(lambda: _temporal_stage_counts(client), lambda counts: counts == pg, settle_seconds)
    differ = {s: (pg[s], temporal.get(s)) for s in pg if pg[s] != temporal.get(s)}
    checks.append(
        Check(
            "the counts in PostgreSQL agree with Temporal's (by AnSinhStage)",
            not differ,
            f"per stage { ({k: v for k, v in pg.items() if v}) }; differing (pg, temporal): {differ}",
        )
    )
    return checks


async def shipment_checks(database_url: str, client: Client, codes: list[str]) -> list[Check]:
    """Shipments through the same faults: each received and its workflow completed; received exactly once: every
    dispatched movement has exactly one receipt movement of the same quantity, and each line's count is what
    arrived plus its own adjustment, never twice."""
    if not codes:
        return []
    listed = ", ".join(f"'{code}'" for code in codes)
    rows = await _rows(database_url, f"SELECT code, stage FROM shipments WHERE code IN ({listed})")
    not_received = [(code, stage) for code, stage in rows if stage != "received"] + [
        (code, "no record") for code in set(codes) - {str(code) for code, _ in rows}
    ]
    running = []
    for code in codes:
        described = await client.get_workflow_handle(shipment_workflow_id(code)).describe()
        if described.status != WorkflowExecutionStatus.COMPLETED:
            running.append(code)
    movements = await _rows(
        database_url,
        "SELECT id, idempotency_key, quantity FROM stock_movements "
        f"WHERE idempotency_key LIKE 'shipment:%' AND split_part(idempotency_key, ':', 2) IN ({listed})",
    )
    lines = await _rows(
        database_url,
        "SELECT s.code, l.line_no, l.dispatched, l.received FROM shipments s "
        f"JOIN shipment_lines l ON l.shipment_id = s.id WHERE s.code IN ({listed})",
    )
    wrong_receipts, wrong_lines = read_shipment_ledger(movements, lines)
    return [
        Check(
            "every shipment was received, and its workflow completed",
            not not_received and not running,
            f"{len(codes)} shipments; not received {not_received[:5]}; workflows not completed {running[:5]}",
        ),
        Check(
            "every shipment was received exactly once: each dispatched movement has one receipt of it",
            not wrong_receipts and bool(movements),
            f"{len(movements)} shipment movements; dispatched ones without exactly one receipt {wrong_receipts[:5]}",
        ),
        Check(
            "every shipment line's count is what arrived and its own adjustment",
            not wrong_lines,
            f"{len(lines)} lines; differing (code, line, dispatched, arrived, received, counted) {wrong_lines[:5]}",
        ),
    ]


def read_shipment_ledger(
    movements: Sequence[tuple[object, ...]], lines: Sequence[tuple[object, ...]]
) -> tuple[list[str], list[tuple[object, ...]]]:
    """Reads the shipments' movements by their keys (services/shipments.py): `shipment:<code>:out:<line>:…` at the
    source, `…:in:<out movement id>` at the destination, `…:short:<line>:<lot>` and `…:extra:<line>` adjustments."""
    line_of: dict[int, tuple[str, int]] = {}
    sent: dict[int, Decimal] = {}
    received_for: dict[int, list[Decimal]] = defaultdict(list)
    moved: dict[tuple[str, int], dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for movement_id, key, quantity in movements:
        _, code, step, rest = str(key).split(":", 3)
        amount = Decimal(str(quantity))
        if step == "out":
            line = (code, int(rest.split(":")[0]))
            line_of[int(str(movement_id))], sent[int(str(movement_id))] = line, -amount
            moved[line]["dispatched"] += -amount
        elif step == "in":
            received_for[int(rest)].append(amount)
        else:
            moved[(code, int(rest.split(":")[0]))]["adjusted"] += amount
    wrong_receipts = [f"{line_of[m]}:{m}" for m in line_of if received_for.get(m) != [sent[m]]]
    for out_id, amounts in received_for.items():
        if out_id in line_of:
            moved[line_of[out_id]]["arrived"] += sum(amounts, Decimal(0))
        else:
            wrong_receipts.append(f"receipt of unknown movement {out_id}")
    wrong_lines: list[tuple[object, ...]] = []
    for shipment, line_no, dispatched, received in lines:
        got = moved[(str(shipment), int(str(line_no)))]
        counted = got["arrived"] + got["adjusted"]
        if received is None or got["dispatched"] != Decimal(str(dispatched)) or counted != Decimal(str(received)):
            wrong_lines.append((shipment, line_no, dispatched, got["arrived"], received, counted))
    return wrong_receipts, wrong_lines


async def round_checks(database_url: str, client: Client, round_date: date) -> list[Check]:
    """The allocation round through the same faults (approved across one, twice at once with one key): its workflow
    completed approved, with one approval accepted and its approved lines those proposed, stored once; and one
    shipment started for each of the lines' shipment codes, no more, each recorded once (shipment_checks finds each
    received once)."""
    day = f"'{round_date.isoformat()}'"
    stage = await _rows(
        database_url, f"SELECT stage, approved_by IS NOT NULL FROM allocation_rounds WHERE round_date = {day}"
    )
    lines = await _rows(
        database_url,
        "SELECT version, seq, from_place, lot_id::text, to_place, item_code, quantity, shipment_code "
        f"FROM allocation_round_lines WHERE round_date = {day}",
    )
    handle = client.get_workflow_handle(allocation_round_workflow_id(round_date))
    described = await handle.describe()
    events = (await handle.fetch_history()).events
    approvals = [
        e.workflow_execution_update_accepted_event_attributes.accepted_request.meta.update_id
        for e in events
        if e.event_type == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED
        and e.workflow_execution_update_accepted_event_attributes.accepted_request.input.name == "approve"
    ]
    children = [
        e.child_workflow_execution_started_event_attributes.workflow_execution.workflow_id
        for e in events
        if e.event_type == EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED
    ]
    codes = sorted({str(line[7]) for line in lines if line[0] == "approved" and line[7] is not None})
    listed = ", ".join(f"'{code}'" for code in codes) or "NULL"
    found = await _rows(database_url, f"SELECT code FROM shipments WHERE code IN ({listed})")
    recorded = [str(code) for (code,) in found]
    round_wrong, shipments_wrong = read_round(
        stage[0] if stage else None, described.status, approvals, lines, children, recorded
    )
    return [
        Check(
            "the allocation round was approved exactly once, its approved lines the proposed ones, stored once",
            not round_wrong,
            f"{len(approvals)} approvals accepted {approvals}; {len(lines)} lines; {round_wrong[:5]}",
        ),
        Check(
            "each of the round's shipments was started once and recorded once, and no other",
            not shipments_wrong,
            f"lines' shipments {codes}; children started {children}; {shipments_wrong[:5]}",
        ),
    ]


def read_round(
    stage: tuple[object, ...] | None,
    status: WorkflowExecutionStatus | None,
    approvals: Sequence[str],
    lines: Sequence[tuple[object, ...]],
    children: Sequence[str],
    recorded: Sequence[str],
) -> tuple[list[str], list[str]]:
    """What is wrong with a round approved once without edits (lines: version, seq, from, lot, to, item, quantity,
    shipment code): with the round, and with the shipments it started (child workflow ids) and recorded."""
    round_wrong = []
    if stage != ("approved", True):
        round_wrong.append(f"round stage, approved by someone: {stage}")
    if status != WorkflowExecutionStatus.COMPLETED:
        round_wrong.append(f"round workflow {status}")
    if len(approvals) != 1:
        round_wrong.append(f"{len(approvals)} approvals accepted")
    versions: dict[str, Counter[tuple[object, ...]]] = defaultdict(Counter)
    for version, seq, *what, _ in lines:
        versions[str(version)][(seq, *what)] += 1
    if not versions["approved"] or versions["approved"] != versions["proposed"]:
        round_wrong.append(f"approved lines {dict(versions['approved'])} != proposed {dict(versions['proposed'])}")
    codes = {str(line[7]) for line in lines if line[0] == "approved"}
    started = Counter(children)
    shipments_wrong = [f"{child} started {n} times" for child, n in started.items() if n != 1]
    expected = {shipment_workflow_id(code) for code in codes}
    if not expected:
        shipments_wrong.append("no approved line names a shipment")
    if set(started) != expected:
        shipments_wrong.append(f"started {sorted(started)}, the lines name {sorted(expected)}")
    shipments_wrong += [f"{code} recorded {n} times" for code in codes if (n := recorded.count(code)) != 1]
    return round_wrong, shipments_wrong
