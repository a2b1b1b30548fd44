"""One day's allocation round as the workflow, the database and the pages see it: its stages, its policy, the
centre official's approval (with edited lines) and the shipment orders an approved plan becomes.

One round a day, whoever starts it: its workflow id is the city day's (`allocation-round-2026-12-05`), so the
schedule and an official's "start one now" meet on the same round. The rules an approval must keep are here,
pure, so the workflow's validator and the use case apply the same ones.
"""

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from domain.allocation import AllocationLine, AllocationPolicy, AllocationProblem, LineReason
from domain.policy import Policy
from domain.roles import Role
from domain.shipments import ShipmentLine, ShipmentOrder, shipment_code

ALLOCATION_ROUND_KIND = "allocation_round"
ALLOCATION_ROUND_SCHEDULE_ID = "ansinh-allocation-round"


def allocation_round_workflow_id(round_date: date) -> str:
    return f"allocation-round-{round_date.isoformat()}"


class RoundStage(StrEnum):
    SOLVING = "solving"
    PROPOSED = "proposed"  # a plan waits for a centre official
    WAITING_FOR_PERSON = "waiting_for_person"  # the solver failed or timed out: nothing proposed, nothing sent
    APPROVED = "approved"  # approved lines stored, shipments started
    LAPSED = "lapsed"  # nobody approved before the last deadline: nothing was sent; the next day's round takes over

    @property
    def is_final(self) -> bool:
        return self in (RoundStage.APPROVED, RoundStage.LAPSED)


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class AllocationRoundPolicy(_Frozen):
    """The round's times and the need's horizon, as data (architecture §5)."""

    horizon_days: int = Field(default=3, ge=1, le=14)  # days of need a round covers
    transit_days: int = Field(default=1, ge=0, le=30)
    waiting_weight_cap: float = Field(default=7.0, ge=1)  # 1 + days waited, at most this
    # A registry household not reached within it counts as needing a bag: the relief policy's window.
    entitlement_window: timedelta = Policy().entitlement_window
    remind_after: timedelta = timedelta(hours=2)
    escalate_after: timedelta = timedelta(hours=6)
    lapse_after: timedelta = timedelta(hours=22)
    # Who the escalation goes to, as the search attribute names it (the centre's director); data, so a city can
    # name its own. Its words for people are the catalogue's.
    escalate_to: str = "director"
    # Weight for the haul's cost only; an item not listed weighs by its unit, else `other_kg_per_unit`.
    kg_per_unit: dict[str, float] = Field(default_factory=lambda: {"kg": 1.0, "L": 1.0, "bag": 25.0})
    other_kg_per_unit: float = Field(default=0.5, gt=0)
    allocation: AllocationPolicy = AllocationPolicy()


class RoundInput(_Frozen):
    round_date: date
    policy: AllocationRoundPolicy = AllocationRoundPolicy()


class ScheduledRound(_Frozen):
    """What the schedule starts: the day's round, on the city's day when it fires."""

    policy: AllocationRoundPolicy = AllocationRoundPolicy()


class RoundStarted(_Frozen):
    """What the schedule's run did: started the day's round, or found it started (by an official, or a retry)."""

    round_date: date
    started: bool


class RoundActor(_Frozen):
    role: Role
    user_id: UUID


class LineEdit(_Frozen):
    """A line as the official wants it: the lot, where it goes and how much (0 takes the line out)."""

    lot_id: str
    to_place: str
    quantity: Decimal
    why: str = Field(min_length=1, max_length=300)


class RoundApproval(_Frozen):
    actor: RoundActor
    edits: tuple[LineEdit, ...] = ()
    signature: str | None = None


class RoundResolve(_Frozen):
    """Compute the need and solve again (a failed round, or a proposal the official wants fresh)."""

    actor: RoundActor
    signature: str | None = None


class ApprovedLine(_Frozen):
    seq: int
    from_place: str
    lot_id: str
    to_place: str
    item_code: str
    quantity: Decimal
    proposed: Decimal  # what the optimiser proposed (0 for a line the official added)
    reason: LineReason | None
    why: str | None = None  # the official's reason, when they changed it
    shipment_code: str | None = None


class RoundAnswer(_Frozen):
    round_date: date
    stage: RoundStage
    reason: str | None = None
    lines: int = 0
    shipments: tuple[str, ...] = ()


class EditRefusal(_Frozen):
    """Why an approval's edits cannot be accepted: the field, a stable code (its words are the catalogue's
    "err.round_edit.<code>", filled with `values`) and the reason in English for the workflow's refusal."""

    field: str
    code: str
    reason: str
    values: dict[str, str] = Field(default_factory=dict)

    def __str__(self) -> str:
        return f"{self.field}: {self.reason}"


def refusal_of_edits(
    problem: AllocationProblem, lines: tuple[AllocationLine, ...], edits: tuple[LineEdit, ...]
) -> EditRefusal | None:
    """Why these edits cannot be approved, or None: a quantity below zero, an unknown lot or destination, an item
    the destination does not need, a line twice, or more out of a lot than it holds once the edits are applied."""
    lots = {lot.lot_id: (source.code, lot) for source in problem.sources for lot in source.lots}
    destinations = {d.code: d for d in problem.destinations}
    seen: set[tuple[str, str]] = set()
    for n, edit in enumerate(edits):
        where = f"edits.{n}"
        if edit.quantity < 0:
            return EditRefusal(field=f"{where}.quantity", code="below_zero", reason="below zero")
        if edit.lot_id not in lots:
            return EditRefusal(field=f"{where}.lot_id", code="unknown_lot", reason="not a lot of this round")
        if edit.to_place not in destinations:
            return EditRefusal(
                field=f"{where}.to_place", code="unknown_destination", reason="not a destination of this round"
            )
        source, lot = lots[edit.lot_id]
        if source == edit.to_place:
            return EditRefusal(field=f"{where}.to_place", code="same_place", reason="the lot is there already")
        if lot.item_code not in {need.item_code for need in destinations[edit.to_place].needs}:
            return EditRefusal(
                field=f"{where}.to_place",
                code="not_needed",
                reason=f"{edit.to_place} has no need of {lot.item_code} this round",
            )
        if (edit.lot_id, edit.to_place) in seen:
            return EditRefusal(field=where, code="line_twice", reason="the same lot and destination twice")
        seen.add((edit.lot_id, edit.to_place))
    taken: dict[str, Decimal] = defaultdict(Decimal)
    for line in edited_lines(problem, lines, edits):
        taken[line.lot_id] += line.quantity
    for lot_id, quantity in sorted(taken.items()):
        holds = lots[lot_id][1].quantity
        if quantity > holds:
            n = next((i for i, e in enumerate(edits) if e.lot_id == lot_id), 0)
            return EditRefusal(
                field=f"edits.{n}.quantity",
                code="beyond_lot",
                reason=f"{quantity} out of lot {lot_id}, which holds {holds}",
                values={"holds": f"{holds.normalize():f}"},
            )
    return None


def edited_lines(
    problem: AllocationProblem, lines: tuple[AllocationLine, ...], edits: tuple[LineEdit, ...]
) -> tuple[ApprovedLine, ...]:
    """The proposal with the official's edits applied, in (source, destination, item, lot) order, numbered from 1;
    a line edited to 0 is gone. Assumes the edits passed refusal_of_edits (known lots and destinations)."""
    sources = {lot.lot_id: (source.code, lot.item_code) for source in problem.sources for lot in source.lots}
    by_key = {(line.lot_id, line.to_place): line for line in lines}
    wanted = {(e.lot_id, e.to_place): e for e in edits}
    keys = sorted(set(by_key) | set(wanted), key=lambda k: (sources[k[0]][0], k[1], sources[k[0]][1], k[0]))
    approved: list[ApprovedLine] = []
    for lot_id, to_place in keys:
        line, edit = by_key.get((lot_id, to_place)), wanted.get((lot_id, to_place))
        quantity = edit.quantity if edit is not None else line.quantity if line is not None else Decimal(0)
        if quantity <= 0:
            continue
        approved.append(
            ApprovedLine(
                seq=len(approved) + 1,
                from_place=sources[lot_id][0],
                lot_id=lot_id,
                to_place=to_place,
                item_code=sources[lot_id][1],
                quantity=quantity,
                proposed=line.quantity if line is not None else Decimal(0),
                reason=line.reason if line is not None else None,
                why=edit.why if edit is not None else None,
            )
        )
    return tuple(approved)


def shipment_orders(round_date: date, lines: tuple[ApprovedLine, ...]) -> tuple[ShipmentOrder, ...]:
    """One order per (source, destination) pair with its lines, numbered in the lines' order: the same approved
    plan always names the same shipments."""
    pairs: dict[tuple[str, str], list[ApprovedLine]] = defaultdict(list)
    for line in lines:
        pairs[(line.from_place, line.to_place)].append(line)
    compact = round_date.strftime("%Y%m%d")
    return tuple(
        ShipmentOrder(
            code=shipment_code(compact, seq),
            round_id=allocation_round_workflow_id(round_date),
            from_place=from_place,
            to_place=to_place,
            lines=tuple(ShipmentLine(item_code=x.item_code, quantity=x.quantity, lot_id=x.lot_id) for x in group),
        )
        for seq, ((from_place, to_place), group) in enumerate(sorted(pairs.items()), start=1)
    )


def with_shipment_codes(round_date: date, lines: tuple[ApprovedLine, ...]) -> tuple[ApprovedLine, ...]:
    codes = {(order.from_place, order.to_place): order.code for order in shipment_orders(round_date, lines)}
    return tuple(line.model_copy(update={"shipment_code": codes[(line.from_place, line.to_place)]}) for line in lines)
