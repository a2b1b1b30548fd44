"""The daily retention purge: closed requests' and donors' personal data goes once RETENTION_PERIOD has passed.

A Temporal Schedule starts it every day (common/schedules.py). It purges a batch per activity, each one
transaction, until a batch comes back short: so one run purges everything that was due when it started and
nothing that closed since. A first run over years of requests continues as new every `batches_per_run`
batches, keeping its history short. It waits on nobody and holds nothing, so a failed run is simply the next day's.
"""

from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy

with workflow.unsafe.imports_passed_through():
    from activities.retention import purge_retention_batch
    from domain.retention import PurgeBatchInput, PurgeReport, RetentionRun

_RETRY = RetryPolicy(initial_interval=timedelta(seconds=1), maximum_attempts=5)


@workflow.defn
class RetentionWorkflow:
    @workflow.run
    async def run(self, inp: RetentionRun) -> PurgeReport:
        now = inp.now or workflow.now()
        purged = inp.purged
        for _ in range(inp.batches_per_run):
            batch = await workflow.execute_activity(
                purge_retention_batch,
                PurgeBatchInput(now=now, batch_size=inp.batch_size),
                # A batch deletes up to `batch_size` photo files besides its transaction.
                start_to_close_timeout=timedelta(minutes=2),
                retry_policy=_RETRY,
            )
            purged += batch
            if not batch.full(inp.batch_size):
                return purged
        workflow.continue_as_new(inp.model_copy(update={"now": now, "purged": purged}))
