"""The spoilage watch: every hour a Temporal Schedule starts a round (common/schedules.py), which flags each
perishable lot with stock on hand once when it enters its category's warning window and once more when it is
past its expiry and must be written off, telling the place's staff and the city.

It waits on nobody and holds nothing: a round that fails is simply the next hour's, which finds what is still
due (flags are keyed by place, lot and kind, so nothing is told twice).
"""

from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy

with workflow.unsafe.imports_passed_through():
    from activities.spoilage_watch import flag_expiring_lots
    from domain.spoilage import SpoilageRun, WatchReport

_RETRY = RetryPolicy(initial_interval=timedelta(seconds=1), maximum_attempts=5)


@workflow.defn
class SpoilageWatchWorkflow:
    @workflow.run
    async def run(self, inp: SpoilageRun) -> WatchReport:
        return await workflow.execute_activity(
            flag_expiring_lots, inp, start_to_close_timeout=timedelta(minutes=1), retry_policy=_RETRY
        )
