"""Reading the audit log: officials their ward's or district's entries, the city and supervisors all.

There is no use case that changes or deletes an entry, and the table refuses it anyway.
"""

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from services.audit_reads import audit_entries
from usecases.access import audit_scope_clause
from usecases.context import Context
from usecases.principal import Principal
from usecases.relief.work_lists import Page
from usecases.schemas.audit import AuditRow


@dataclass(frozen=True)
class AuditFilter:
    request_code: str | None = None
    actor_id: UUID | None = None
    action: str | None = None
    since: datetime | None = None
    until: datetime | None = None


async def entries(ctx: Context, principal: Principal, filters: AuditFilter, page: Page) -> list[AuditRow]:
    """Newest first, filtered."""
    rows = await audit_entries(
        ctx.session,
        audit_scope_clause(principal),
        request_code=filters.request_code.strip().upper() if filters.request_code else None,
        actor_id=filters.actor_id,
        action=filters.action,
        since=filters.since,
        until=filters.until,
        limit=page.limit,
        offset=page.offset,
    )
    return [AuditRow.model_validate(r) for r in rows]
