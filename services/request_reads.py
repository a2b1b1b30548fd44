"""One request as the status page reads it: the projection row, its timeline and its citizen messages.

Reads only the database (architecture §3); a workflow query is for the detail view alone.
"""

from dataclasses import dataclass
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from db.geography import AdminUnit
from db.notifications import Notification
from db.requests import ReliefRequest, RequestEvent
from domain.messages import Admission


@dataclass(frozen=True)
class RequestRecord:
    request: ReliefRequest
    ward_name: str
    district_name: str

    @property
    def admission(self) -> Admission | None:
        stored = (self.request.outcome or {}).get("admission")
        return Admission.model_validate(stored) if stored else None


async def find_by_code(session: AsyncSession, code: str) -> RequestRecord | None:
    ward, district = aliased(AdminUnit), aliased(AdminUnit)
    row = (
        await session.execute(
            select(ReliefRequest, ward.name, district.name)
            .join(ward, ward.code == ReliefRequest.ward_code)
            .join(district, district.code == ReliefRequest.district_code)
            .where(ReliefRequest.code == code.strip().upper())
        )
    ).first()
    return RequestRecord(row[0], row[1], row[2]) if row else None


async def timeline(session: AsyncSession, request_id: UUID) -> list[RequestEvent]:
    return list(
        (
            await session.scalars(
                select(RequestEvent).where(RequestEvent.request_id == request_id).order_by(RequestEvent.seq)
            )
        ).all()
    )


async def citizen_notifications(session: AsyncSession, request_id: UUID) -> list[Notification]:
    return list(
        (
            await session.scalars(
                select(Notification)
                .where(Notification.request_id == request_id, Notification.audience == "citizen")
                .order_by(Notification.seq)
            )
        ).all()
    )
