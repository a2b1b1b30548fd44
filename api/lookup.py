"""Loading the one request a route works on, through the scope check: outside scope is 'not found'."""

from fastapi import HTTPException, status
from sqlalchemy.ext.asyncio import AsyncSession

from api.authorization import can_see
from api.principal import Principal
from db.requests import RequestEvent
from services.request_reads import RequestRecord, find_by_code, find_with_timeline


def not_found(code: str) -> HTTPException:
    # The same answer for a missing code and one outside the caller's scope.
    return HTTPException(status.HTTP_404_NOT_FOUND, detail=f"no request {code} is visible to you")


async def visible_request(session: AsyncSession, principal: Principal, code: str) -> RequestRecord:
    record = await find_by_code(session, code)
    if record is None or not can_see(principal, record.request):
        raise not_found(code)
    return record


async def visible_request_with_timeline(
    session: AsyncSession, principal: Principal, code: str
) -> tuple[RequestRecord, list[RequestEvent]]:
    """visible_request and the request's timeline, read in one query (the status read)."""
    found = await find_with_timeline(session, code)
    if found is None or not can_see(principal, found[0].request):
        raise not_found(code)
    return found
