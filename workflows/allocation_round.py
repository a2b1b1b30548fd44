"""One day's allocation round: compute the need, solve, propose, wait for a centre official, ship what they approve.

The round computes each destination's need and the city warehouses' lots (an activity), solves the problem
(another, bounded by the policy's time limit) and stores the proposal. A solver that fails or times out leaves the
round `waiting_for_person` with the reason and sends nothing. A centre official then acts through signed updates:
`approve` (with edited lines, checked against the round's lots and destinations by the validator before anything
is written) and `resolve` (compute and solve again). Timers from its policy remind, then escalate to the centre's
director, then let the round lapse unsent. Once approved, the approved lines are stored and one ShipmentWorkflow
per (source, destination) pair is started as an abandoned child, by name, once.

`AllocationRoundScheduleWorkflow` is what the daily schedule starts: it starts the city day's round under its
day's id, or finds it started already (an official's "start one now"), so one round a day whoever starts it.
"""

from datetime import timedelta
from typing import Any

from temporalio import workflow
from temporalio.common import (
    RetryPolicy,
    SearchAttributePair,
    SearchAttributeUpdate,
    TypedSearchAttributes,
    WorkflowIDReusePolicy,
)
from temporalio.exceptions import ActivityError, ApplicationError, FailureError, WorkflowAlreadyStartedError
from temporalio.workflow import ParentClosePolicy

with workflow.unsafe.imports_passed_through():
    from activities import allocation_round as acts
    from common.city_time import CITY_TZ
    from domain import action_signing, names
    from domain.allocation import AllocationLine, AllocationPlan, AllocationProblem, SolverStatus
    from domain.allocation_round import (
        ALLOCATION_ROUND_KIND,
        ApprovedLine,
        RoundAnswer,
        RoundApproval,
        RoundInput,
        RoundResolve,
        RoundStage,
        RoundStarted,
        ScheduledRound,
        allocation_round_workflow_id,
        edited_lines,
        refusal_of_edits,
        shipment_orders,
        with_shipment_codes,
    )
    from domain.allocation_round_steps import PrepareRound, RecordApproval, RecordPlan, RecordStage
    from domain.refusals import RefusalKind
    from domain.roles import Role
    from domain.shipments import SHIPMENT_WORKFLOW

_STEP_TIMEOUT = timedelta(seconds=30)
_STEP_RETRY = RetryPolicy(initial_interval=timedelta(milliseconds=200), maximum_interval=timedelta(seconds=10))
_STEP_WITHIN = timedelta(minutes=2)


def round_search_attributes(stage: RoundStage, overdue: bool) -> list[tuple[Any, Any]]:
    return [(names.SA_KIND, ALLOCATION_ROUND_KIND), (names.SA_STAGE, stage.value), (names.SA_OVERDUE, overdue)]


def start_search_attributes() -> TypedSearchAttributes:
    return TypedSearchAttributes(
        [SearchAttributePair(key, value) for key, value in round_search_attributes(RoundStage.SOLVING, False)]
    )


@workflow.defn
class AllocationRoundWorkflow:
    @workflow.init
    def __init__(self, inp: RoundInput) -> None:
        self._inp = inp
        self._stage = RoundStage.SOLVING
        self._reason: str | None = None
        self._overdue = False
        self._solves = 0
        self._problem: AllocationProblem | None = None
        self._lines: tuple[AllocationLine, ...] = ()
        self._approved: tuple[ApprovedLine, ...] = ()
        self._shipments: tuple[str, ...] = ()
        self._busy = False  # a solve or an approval is running: people's actions are refused Busy meanwhile

    @workflow.run
    async def run(self, inp: RoundInput) -> RoundAnswer:
        await self._solve()
        started = workflow.now()
        policy = inp.policy
        for after, step in (
            (policy.remind_after, self._remind),
            (policy.escalate_after, self._escalate),
            (policy.lapse_after, self._lapse),
        ):
            try:
                wait = max(started + after - workflow.now(), timedelta(seconds=1))
                await workflow.wait_condition(lambda: self._stage.is_final, timeout=wait)
                break
            except TimeoutError:
                await workflow.wait_condition(lambda: not self._busy)
                if self._stage.is_final:
                    break
                await step()
        if self._stage == RoundStage.APPROVED:
            await self._start_shipments()
        await workflow.wait_condition(workflow.all_handlers_finished)
        return self._answer()

    # --- the steps ----------------------------------------------------------------------------------------

    async def _solve(self) -> None:
        """Need, problem, plan, proposal: a step that fails leaves the round waiting for a person, unsent."""
        self._busy = True
        self._solves += 1
        self._enter(RoundStage.SOLVING)
        try:
            try:
                self._problem = await self._step(
                    acts.prepare_allocation_round,
                    PrepareRound(
                        round_date=self._inp.round_date, at=workflow.now(), solve=self._solves, policy=self._inp.policy
                    ),
                )
                plan = await self._run_solver(self._problem)
            except ActivityError as err:
                plan = AllocationPlan(status=SolverStatus.FAILED, reason=_cause(err), solve_seconds=0)
            self._lines = plan.lines if plan.status == SolverStatus.OPTIMAL else ()
            try:
                await self._step(
                    acts.record_allocation_plan,
                    RecordPlan(round_date=self._inp.round_date, at=workflow.now(), solve=self._solves, plan=plan),
                )
            except ActivityError as err:
                self._lines, plan = (), plan.model_copy(update={"status": SolverStatus.FAILED, "reason": _cause(err)})
            if plan.status == SolverStatus.OPTIMAL:
                self._reason = None
                self._enter(RoundStage.PROPOSED)
            else:
                self._reason = plan.reason or plan.status.value
                self._enter(RoundStage.WAITING_FOR_PERSON)
        finally:
            self._busy = False

    async def _run_solver(self, problem: AllocationProblem) -> AllocationPlan:
        """Bounded by the round's time limit and a margin; a solver that does not answer is a failed round."""
        limit = timedelta(seconds=problem.policy.time_limit_s) + timedelta(seconds=30)
        plan: AllocationPlan = await workflow.execute_activity(
            acts.solve_allocation_round,
            problem,
            start_to_close_timeout=limit,
            retry_policy=RetryPolicy(maximum_attempts=2),
        )
        return plan

    async def _step(self, activity: Any, arg: Any) -> Any:
        return await workflow.execute_activity(
            activity,
            arg,
            start_to_close_timeout=_STEP_TIMEOUT,
            schedule_to_close_timeout=_STEP_WITHIN,
            retry_policy=_STEP_RETRY,
        )

    async def _remind(self) -> None:
        self._overdue = True
        self._enter(self._stage)

    async def _escalate(self) -> None:
        await self._record_stage(self._stage, self._reason, escalated=True)
        workflow.upsert_search_attributes([names.SA_ESCALATION.value_set("director")])

    async def _lapse(self) -> None:
        await self._record_stage(RoundStage.LAPSED, "nobody approved the round in time; nothing was sent")
        self._reason = "nobody approved the round in time; nothing was sent"
        self._enter(RoundStage.LAPSED)

    async def _record_stage(self, stage: RoundStage, reason: str | None, escalated: bool = False) -> None:
        step = RecordStage(
            round_date=self._inp.round_date, at=workflow.now(), stage=stage, reason=reason, escalated=escalated
        )
        # Nobody waits on a timer's step: it is retried until the database answers.
        await workflow.execute_activity(
            acts.record_allocation_round_stage,
            step,
            start_to_close_timeout=_STEP_TIMEOUT,
            retry_policy=RetryPolicy(initial_interval=timedelta(seconds=1), maximum_interval=timedelta(minutes=5)),
        )

    async def _start_shipments(self) -> None:
        """One child per approved (source, destination) pair, started by name, abandoned: a shipment outlives the
        round. Ids come from the round's day and the pair's place in the plan, so a start already made is found,
        not repeated."""
        for order in shipment_orders(self._inp.round_date, self._approved):
            try:
                await workflow.start_child_workflow(
                    SHIPMENT_WORKFLOW,
                    order,
                    id=names.shipment_workflow_id(order.code),
                    parent_close_policy=ParentClosePolicy.ABANDON,
                    id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
                )
            except WorkflowAlreadyStartedError:
                continue

    def _enter(self, stage: RoundStage) -> None:
        self._stage = stage
        updates: list[SearchAttributeUpdate[Any]] = [
            key.value_set(value) for key, value in round_search_attributes(stage, self._overdue)
        ]
        workflow.upsert_search_attributes(updates)

    def _answer(self) -> RoundAnswer:
        return RoundAnswer(
            round_date=self._inp.round_date,
            stage=self._stage,
            reason=self._reason,
            lines=len(self._approved) if self._stage == RoundStage.APPROVED else len(self._lines),
            shipments=self._shipments,
        )

    # --- people's actions ---------------------------------------------------------------------------------

    def _require_official(self, update: str, action: RoundApproval | RoundResolve) -> None:
        if not action_signing.is_signed(self._code, update, action, action.signature):
            raise ApplicationError("this action was not sent by the application", type=RefusalKind.UNSIGNED)
        if action.actor.role != Role.CITY_OFFICIAL:
            raise ApplicationError("only the centre's officials act on a round", type=RefusalKind.OUT_OF_SCOPE)
        if self._busy:
            raise ApplicationError("the round is being solved; try again shortly", type=RefusalKind.BUSY)
        if self._stage.is_final:
            raise ApplicationError(
                f"round {self._inp.round_date.isoformat()} is {self._stage.value} already", type=RefusalKind.WRONG_STAGE
            )

    @property
    def _code(self) -> str:
        return allocation_round_workflow_id(self._inp.round_date)

    def _claim(self, *stages: RoundStage) -> None:
        """Two actions can pass their validators in one workflow task: the first handler to run takes the round,
        and the other is refused before it writes anything."""
        if self._busy or self._stage not in stages:
            raise ApplicationError(
                f"round {self._inp.round_date.isoformat()} was acted on meanwhile; look at it again",
                type=RefusalKind.BUSY,
            )
        self._busy = True

    @workflow.update
    async def approve(self, approval: RoundApproval) -> RoundAnswer:
        self._claim(RoundStage.PROPOSED)
        assert self._problem is not None  # the validator admits only a proposed round
        lines = with_shipment_codes(self._inp.round_date, edited_lines(self._problem, self._lines, approval.edits))
        try:
            await self._step(
                acts.record_allocation_approval,
                RecordApproval(
                    round_date=self._inp.round_date, at=workflow.now(), actor_id=approval.actor.user_id, lines=lines
                ),
            )
        except ActivityError:
            raise ApplicationError(
                "we could not record this now; nothing was written, please send it again", type=RefusalKind.STEP_FAILED
            ) from None
        finally:
            self._busy = False
        self._approved = lines
        self._shipments = tuple(order.code for order in shipment_orders(self._inp.round_date, lines))
        self._reason = None
        self._enter(RoundStage.APPROVED)
        return self._answer()

    @approve.validator
    def _validate_approval(self, approval: RoundApproval) -> None:
        self._require_official("approve", approval)
        if self._stage != RoundStage.PROPOSED or self._problem is None:
            raise ApplicationError(
                f"round {self._inp.round_date.isoformat()} has no proposal to approve ({self._stage.value}: "
                f"{self._reason or 'solve it again first'})",
                type=RefusalKind.WRONG_STAGE,
            )
        why = refusal_of_edits(self._problem, self._lines, approval.edits)
        if why is not None:
            raise ApplicationError(str(why), type=RefusalKind.INVALID_DECISION)

    @workflow.update
    async def resolve(self, action: RoundResolve) -> RoundAnswer:
        self._claim(RoundStage.PROPOSED, RoundStage.WAITING_FOR_PERSON)
        await self._solve()
        return self._answer()

    @resolve.validator
    def _validate_resolve(self, action: RoundResolve) -> None:
        self._require_official("resolve", action)

    @workflow.query
    def stage(self) -> RoundStage:
        return self._stage


def _cause(err: ActivityError) -> str:
    """The reason a person reads: the activity's own failure (a timeout, the database) without its traceback."""
    cause: BaseException = err
    while isinstance(cause, FailureError) and cause.cause is not None:
        cause = cause.cause
    message = cause.message if isinstance(cause, FailureError) else str(cause)
    return f"the round could not be solved: {message}"[:500]


@workflow.defn
class AllocationRoundScheduleWorkflow:
    @workflow.run
    async def run(self, inp: ScheduledRound) -> RoundStarted:
        """Starts the city day's round (which outlives this run), or answers that it was started already."""
        day = workflow.now().astimezone(CITY_TZ).date()
        try:
            await workflow.start_child_workflow(
                AllocationRoundWorkflow.run,
                RoundInput(round_date=day, policy=inp.policy),
                id=allocation_round_workflow_id(day),
                parent_close_policy=ParentClosePolicy.ABANDON,
                id_reuse_policy=WorkflowIDReusePolicy.ALLOW_DUPLICATE_FAILED_ONLY,
                search_attributes=start_search_attributes(),
            )
        except WorkflowAlreadyStartedError:
            return RoundStarted(round_date=day, started=False)
        return RoundStarted(round_date=day, started=True)
