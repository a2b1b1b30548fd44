"""An allocation round's rows: written by the round's activities, each keyed so that a retry writes nothing twice,
and read by the pages.

- `record_problem` opens the day's row (once) and stores the need and problem of solve number N.
- `record_plan` stores solve N's proposal (or its failure) only if no later solve was stored: the row's `solves`
  says which solve the lines belong to, under the row's lock.
- `record_approval` writes the approved lines once: a round already approved is left as it is.
"""

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from pydantic import TypeAdapter
from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from common.city_time import vn_date
from db.allocation_rounds import AllocationRound, AllocationRoundLine
from db.notifications import Notification
from db.supply import SupplyPlace
from domain.allocation import AllocationPlan, AllocationProblem, LineReason, SolverStatus
from domain.allocation_need import DestinationNeed
from domain.allocation_round import ApprovedLine, RoundStage
from domain.supply import PlaceKind
from services.notices import STAFF_LANG, notice

PROPOSED = "proposed"
APPROVED = "approved"
_NEEDS = TypeAdapter(list[DestinationNeed])


@dataclass(frozen=True)
class RoundRecord:
    round: AllocationRound
    proposed: list[AllocationRoundLine]
    approved: list[AllocationRoundLine]

    @property
    def needs(self) -> list[DestinationNeed]:
        return _NEEDS.validate_python(self.round.need)

    @property
    def problem(self) -> AllocationProblem | None:
        return AllocationProblem.model_validate(self.round.problem) if self.round.problem else None

    @property
    def plan(self) -> AllocationPlan | None:
        return AllocationPlan.model_validate(self.round.plan) if self.round.plan else None


async def _locked(session: AsyncSession, round_date: date, at: datetime) -> AllocationRound:
    await session.execute(
        insert(AllocationRound)
        .values(
            round_date=round_date, stage=RoundStage.SOLVING.value, solves=0, need=[], escalated=False, updated_at=at
        )
        .on_conflict_do_nothing()
    )
    row = await session.scalar(
        select(AllocationRound).where(AllocationRound.round_date == round_date).with_for_update()
    )
    assert row is not None
    return row


async def open_round(session: AsyncSession, round_date: date, at: datetime) -> None:
    """The day's row, `solving`, so the round can be read as soon as it is started (its first step writes it too)."""
    await _locked(session, round_date, at)


async def record_problem(
    session: AsyncSession,
    round_date: date,
    solve: int,
    needs: tuple[DestinationNeed, ...],
    problem: AllocationProblem,
    at: datetime,
) -> None:
    row = await _locked(session, round_date, at)
    if row.solves >= solve or RoundStage(row.stage).is_final:
        return
    row.stage = RoundStage.SOLVING.value
    row.need = _NEEDS.dump_python(list(needs), mode="json")
    row.problem = problem.model_dump(mode="json")
    row.updated_at = at


async def record_plan(session: AsyncSession, round_date: date, solve: int, plan: AllocationPlan, at: datetime) -> None:
    """Solve N's answer: its lines, and the stage it leaves the round in (proposed, or waiting for a person with
    the reason, and no lines, when the plan is not optimal)."""
    row = await _locked(session, round_date, at)
    if row.solves >= solve or RoundStage(row.stage).is_final:
        return
    await session.execute(
        delete(AllocationRoundLine).where(
            AllocationRoundLine.round_date == round_date, AllocationRoundLine.version == PROPOSED
        )
    )
    for seq, line in enumerate(plan.lines, start=1):
        session.add(
            AllocationRoundLine(
                round_date=round_date,
                version=PROPOSED,
                seq=seq,
                from_place=line.from_place,
                lot_id=uuid.UUID(line.lot_id),
                to_place=line.to_place,
                item_code=line.item_code,
                quantity=line.quantity,
                proposed=line.quantity,
                reason=line.reason.model_dump(mode="json"),
            )
        )
    proposed = plan.status == SolverStatus.OPTIMAL
    row.solves = solve
    row.stage = (RoundStage.PROPOSED if proposed else RoundStage.WAITING_FOR_PERSON).value
    row.reason = None if proposed else (plan.reason or plan.status)[:500]
    row.plan = plan.model_dump(mode="json", exclude={"lines"})
    row.updated_at = at


async def record_stage(
    session: AsyncSession, round_date: date, stage: RoundStage, reason: str | None, escalated: bool, at: datetime
) -> None:
    """A stage the round enters without a plan (a step that failed, a lapse) or its escalation; never undoes an
    approval."""
    row = await _locked(session, round_date, at)
    if RoundStage(row.stage) == RoundStage.APPROVED:
        return
    if escalated and not row.escalated:
        await _tell_the_centre(session, round_date, at)
    row.stage = stage.value
    row.reason = reason[:500] if reason else row.reason
    row.escalated = row.escalated or escalated
    row.updated_at = at


async def _tell_the_centre(session: AsyncSession, round_date: date, at: datetime) -> None:
    """The escalation reaches the city's officials (the centre's director among them) in their notifications, once:
    the row's flag is set in the same transaction. It is kept under the centre's main warehouse, the rounds' source."""
    centre = (
        await session.execute(
            select(SupplyPlace.code, SupplyPlace.unit_code)
            .where(SupplyPlace.kind == PlaceKind.CITY_WAREHOUSE.value)
            .order_by(SupplyPlace.code)
            .limit(1)
        )
    ).first()
    if centre is None:
        return
    await session.execute(
        insert(Notification).values(
            request_id=None,
            seq=0,
            audience="city",
            unit_code=centre.unit_code,
            place_code=centre.code,
            event="round_escalated",
            message=notice(STAFF_LANG, "notice.staff.round_escalated", {"day": vn_date(round_date)}),
            created_at=at,
        )
    )


async def record_approval(
    session: AsyncSession, round_date: date, actor_id: uuid.UUID, lines: tuple[ApprovedLine, ...], at: datetime
) -> None:
    row = await _locked(session, round_date, at)
    if RoundStage(row.stage) == RoundStage.APPROVED:
        return
    for line in lines:
        session.add(
            AllocationRoundLine(
                round_date=round_date,
                version=APPROVED,
                seq=line.seq,
                from_place=line.from_place,
                lot_id=uuid.UUID(line.lot_id),
                to_place=line.to_place,
                item_code=line.item_code,
                quantity=line.quantity,
                proposed=line.proposed,
                reason=line.reason.model_dump(mode="json") if line.reason else None,
                why=line.why,
                edited_by=actor_id if line.why is not None else None,
                shipment_code=line.shipment_code,
            )
        )
    row.stage = RoundStage.APPROVED.value
    row.reason = None
    row.approved_by = actor_id
    row.approved_at = at
    row.updated_at = at


async def read_round(session: AsyncSession, round_date: date) -> RoundRecord | None:
    row = await session.get(AllocationRound, round_date)
    if row is None:
        return None
    lines = (
        await session.scalars(
            select(AllocationRoundLine)
            .where(AllocationRoundLine.round_date == round_date)
            .order_by(AllocationRoundLine.version, AllocationRoundLine.seq)
        )
    ).all()
    return RoundRecord(
        round=row,
        proposed=[x for x in lines if x.version == PROPOSED],
        approved=[x for x in lines if x.version == APPROVED],
    )


async def recent_rounds(session: AsyncSession, limit: int = 30) -> list[AllocationRound]:
    return list(
        (await session.scalars(select(AllocationRound).order_by(AllocationRound.round_date.desc()).limit(limit))).all()
    )


def line_reason(line: AllocationRoundLine) -> LineReason | None:
    return LineReason.model_validate(line.reason) if line.reason else None
