"""One request as the status page reads it: the projection row, its timeline and its citizen messages.

Reads only the database (architecture §3); a workflow query is for the detail view alone.
"""

from dataclasses import dataclass
from uuid import UUID

from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from db.deliveries import Delivery
from db.geography import AdminUnit
from db.notifications import Notification
from db.requests import ReliefRequest, RequestEvent
from domain.identity import plain_text
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


# Built once: constructing a statement (and aliasing) costs more than running it; SQLAlchemy caches the
# compiled form of a statement, not its construction.
_ward, _district = aliased(AdminUnit), aliased(AdminUnit)
_BY_CODE = (
    select(ReliefRequest, _ward.name, _district.name)
    .join(_ward, _ward.code == ReliefRequest.ward_code)
    .join(_district, _district.code == ReliefRequest.district_code)
    .where(ReliefRequest.code == bindparam("code"))
)
# The status read: the request with its timeline (no event: one row with None) in one round trip.
_WITH_TIMELINE = (
    _BY_CODE.add_columns(RequestEvent)
    .outerjoin(RequestEvent, RequestEvent.request_id == ReliefRequest.id)
    .order_by(RequestEvent.seq)
)
_CITIZEN_NOTIFICATIONS = (
    select(Notification)
    .where(Notification.request_id == bindparam("request_id"), Notification.audience == "citizen")
    .order_by(Notification.seq)
)


async def find_by_code(session: AsyncSession, code: str) -> RequestRecord | None:
    row = (await session.execute(_BY_CODE, {"code": plain_text(code).upper()})).first()
    return RequestRecord(row[0], row[1], row[2]) if row else None


async def find_with_timeline(session: AsyncSession, code: str) -> tuple[RequestRecord, list[RequestEvent]] | None:
    """find_by_code and the request's events, oldest first."""
    rows = (await session.execute(_WITH_TIMELINE, {"code": plain_text(code).upper()})).all()
    if not rows:
        return None
    request, ward_name, district_name, _ = rows[0]
    return RequestRecord(request, ward_name, district_name), [row[3] for row in rows if row[3] is not None]


async def citizen_notifications(session: AsyncSession, request_id: UUID) -> list[Notification]:
    return list((await session.scalars(_CITIZEN_NOTIFICATIONS, {"request_id": request_id})).all())


async def delivery_of(session: AsyncSession, request_id: UUID) -> Delivery | None:
    """The delivery a request ended in (at most one: the ledger's unique request)."""
    return await session.scalar(select(Delivery).where(Delivery.request_id == request_id))


async def photo_in_use(session: AsyncSession, relative_path: str) -> bool:
    """Whether a delivery's proof is this stored photo."""
    found = await session.scalar(select(Delivery.id).where(Delivery.photo_path == relative_path).limit(1))
    return found is not None
