"""Reading the audit log: officials their ward's or district's entries, the city and supervisors all.

There is no route that changes or deletes an entry, and the table refuses it anyway.
"""

from datetime import datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query
from sqlalchemy import select

from api.authorization import audit_scope_clause
from api.deps import CurrentPrincipal, DbSession, Paging
from api.schemas.audit import AuditRow
from api.schemas.text import CODE_PATTERN
from db.audit import AuditEntry

router = APIRouter(tags=["audit"])


@router.get("/audit", response_model=list[AuditRow])
async def audit_entries(
    principal: CurrentPrincipal,
    session: DbSession,
    page: Paging,
    request_code: Annotated[str | None, Query(max_length=16, pattern=CODE_PATTERN)] = None,
    actor_id: UUID | None = None,
    action: Annotated[str | None, Query(max_length=64, pattern=r"^[a-z_\-]+$")] = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> list[AuditRow]:
    """Newest first, filtered."""
    query = select(AuditEntry).where(audit_scope_clause(principal))
    if request_code:
        query = query.where(AuditEntry.request_code == request_code.strip().upper())
    if actor_id:
        query = query.where(AuditEntry.actor_id == actor_id)
    if action:
        query = query.where(AuditEntry.action == action)
    if since:
        query = query.where(AuditEntry.at >= since)
    if until:
        query = query.where(AuditEntry.at < until)
    rows = await session.scalars(query.order_by(AuditEntry.id.desc()).limit(page.limit).offset(page.offset))
    return [AuditRow.model_validate(r) for r in rows]
