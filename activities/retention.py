"""The retention purge's one side effect: a batch of due requests purged in one transaction.

Idempotent as Temporal needs it: a purged request is recorded in `retention_purges` in the same transaction and
is never due again, so a retry after a commit purges the next batch, or nothing, and never one request twice.
"""

from temporalio import activity

from common.settings import get_settings
from db.base import transaction
from domain.retention import PurgeBatchInput, PurgeReport
from services import retention


@activity.defn
async def purge_retention_batch(inp: PurgeBatchInput) -> PurgeReport:
    # The period and the photos' folder are the worker's configuration, as for every other purge of this city.
    settings = get_settings()
    async with transaction() as session:
        return await retention.purge_due(
            session, settings.retention_period, settings.photo_dir, inp.now, limit=inp.batch_size
        )
