"""The audit trail of decisions, reads of personal data and sign-ins (architecture §4), written to the
append-only `audit_log` table in the request's own session.

Entries name who (user id and role, or a citizen's household ids), what, which request (by code, with its
ward and district so officials can query their own), when and from which IP; never the personal data.
A read is recorded before the data is returned, so a read that cannot be recorded does not happen.
"""

from dataclasses import dataclass
from typing import Any, cast
from uuid import UUID

from sqlalchemy import Table, insert
from sqlalchemy.ext.asyncio import AsyncSession

from db.audit import AuditEntry
from db.requests import ReliefRequest
from usecases.principal import Principal

# A Core INSERT on the table, built once: nothing reads the entry back, so the ORM's unit of work (and its
# RETURNING of the new id) is work on every audited request for nothing.
_INSERT_ENTRY = insert(cast(Table, AuditEntry.__table__))


@dataclass
class Auditor:
    session: AsyncSession
    principal: Principal | None
    ip: str | None

    async def record(
        self,
        action: str,
        request: ReliefRequest | None = None,
        *,
        actor_id: UUID | None = None,
        actor_role: str | None = None,
        unit: tuple[str | None, str | None] | None = None,  # (ward, district) of an action on a unit, not a request
        **detail: Any,
    ) -> None:
        """Adds the entry and commits the session (reopened if the route closed it before a long call)."""
        who = self.principal
        if who is not None and who.household_ids:
            detail["household_ids"] = sorted(str(h) for h in who.household_ids)
        if who is not None and who.helper_id is not None:
            detail["helper_id"] = str(who.helper_id)
        await self.session.execute(
            _INSERT_ENTRY,
            {
                "actor_id": actor_id or (who.user_id if who else None),
                "actor_role": actor_role or (who.role.value if who else "anonymous"),
                "action": action,
                "request_code": request.code if request is not None else None,
                "ward_code": request.ward_code if request is not None else unit[0] if unit else None,
                "district_code": request.district_code if request is not None else unit[1] if unit else None,
                "ip": self.ip,
                "detail": {k: _plain(v) for k, v in detail.items()},
            },
        )
        await self.session.commit()


def _plain(value: Any) -> Any:
    if isinstance(value, str | int | float | bool | None | list | dict):
        return value
    return str(value)
