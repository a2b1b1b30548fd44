"""Reading the append-only audit log, newest first, within a scope the caller computed."""

from collections.abc import Sequence
from datetime import datetime
from uuid import UUID

from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.audit import AuditEntry


async def audit_entries(
    session: AsyncSession,
    scope: ColumnElement[bool],
    *,
    request_code: str | None,
    actor_id: UUID | None,
    action: str | None,
    since: datetime | None,
    until: datetime | None,
    limit: int,
    offset: int,
) -> Sequence[AuditEntry]:
    query = select(AuditEntry).where(scope)
    if request_code:
        query = query.where(AuditEntry.request_code == request_code)
    if actor_id:
        query = query.where(AuditEntry.actor_id == actor_id)
    if action:
        query = query.where(AuditEntry.action == action)
    if since:
        query = query.where(AuditEntry.at >= since)
    if until:
        query = query.where(AuditEntry.at < until)
    return (await session.scalars(query.order_by(AuditEntry.id.desc()).limit(limit).offset(offset))).all()
