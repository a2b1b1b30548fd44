"""The spoilage watch's one side effect: a round of flags, with their notifications, in one transaction.

Idempotent as Temporal needs it: a flag's primary key (place, lot, kind) lets each be raised once, so a retry
after a commit raises only what became due since, and tells nobody twice (services/spoilage.py).
"""

from temporalio import activity

from db.base import transaction
from domain.spoilage import SpoilageRun, WatchReport
from services import spoilage


@activity.defn
async def flag_expiring_lots(run: SpoilageRun) -> WatchReport:
    async with transaction() as session:
        return await spoilage.flag_due(session, run.policy)
