"""Reading the audit log: officials their ward's or district's entries, the city and supervisors all.

There is no route that changes or deletes an entry, and the table refuses it anyway.
"""

from datetime import datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query

from api.deps import CurrentPrincipal, Paging, UseCases
from usecases.schemas.audit import AuditRow
from usecases.schemas.text import CODE_PATTERN
from usecases.trust import audit_log

router = APIRouter(tags=["audit"])


@router.get("/audit", response_model=list[AuditRow])
async def audit_entries(
    principal: CurrentPrincipal,
    ctx: UseCases,
    page: Paging,
    request_code: Annotated[str | None, Query(max_length=16, pattern=CODE_PATTERN)] = None,
    actor_id: UUID | None = None,
    action: Annotated[str | None, Query(max_length=64, pattern=r"^[a-z_\-]+$")] = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> list[AuditRow]:
    """Newest first, filtered."""
    filters = audit_log.AuditFilter(request_code, actor_id, action, since, until)
    return await audit_log.entries(ctx, principal, filters, page)
