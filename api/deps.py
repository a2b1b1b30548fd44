"""FastAPI dependencies: the request's database session, the Temporal client, the caller and role guards."""

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, HTTPException, Query, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.ext.asyncio import AsyncSession
from temporalio.client import Client

from api.principal import Principal, citizen_principal, staff_principal
from api.security import InvalidToken, decode_token
from common.settings import Settings
from db.base import get_sessionmaker
from domain.roles import Role
from services.staff import active_staff


async def _session() -> AsyncIterator[AsyncSession]:
    async with get_sessionmaker()() as session:
        yield session


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def _temporal(request: Request) -> Client:
    client: Client = request.app.state.temporal
    return client


DbSession = Annotated[AsyncSession, Depends(_session)]
AppSettings = Annotated[Settings, Depends(_settings)]
TemporalClient = Annotated[Client, Depends(_temporal)]

_bearer = HTTPBearer(auto_error=False, description="A staff token from /auth/token or a citizen session token")


def _unauthorized(message: str) -> HTTPException:
    return HTTPException(status.HTTP_401_UNAUTHORIZED, detail=message, headers={"WWW-Authenticate": "Bearer"})


async def _principal(
    settings: AppSettings,
    session: DbSession,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    if credentials is None:
        raise _unauthorized("sign in first: send an Authorization: Bearer <token> header")
    try:
        claims = decode_token(settings, credentials.credentials)
    except InvalidToken:
        raise _unauthorized("the access token is invalid or has expired; sign in again") from None
    if claims.kind == "citizen":
        return citizen_principal(claims.subject, claims.request_code)
    # Staff are loaded on every request: a disabled account or a changed role takes effect at once.
    staff = await active_staff(session, claims.subject)
    if staff is None:
        raise _unauthorized("this staff account is disabled or no longer exists")
    return staff_principal(staff.id, staff.role, staff.unit_code, staff.parent_code)


CurrentPrincipal = Annotated[Principal, Depends(_principal)]


def require_roles(*roles: Role) -> Callable[[Principal], Principal]:
    allowed = frozenset(roles)

    def guard(principal: CurrentPrincipal) -> Principal:
        if principal.role not in allowed:
            raise HTTPException(
                status.HTTP_403_FORBIDDEN,
                detail=f"the role {principal.role.value} may not do this; allowed: "
                + ", ".join(sorted(r.value for r in allowed)),
            )
        return principal

    return guard


Official = Annotated[Principal, Depends(require_roles(Role.WARD_OFFICIAL, Role.DISTRICT_OFFICIAL, Role.CITY_OFFICIAL))]
OfficialOrSupervisor = Annotated[
    Principal,
    Depends(require_roles(Role.WARD_OFFICIAL, Role.DISTRICT_OFFICIAL, Role.CITY_OFFICIAL, Role.SUPERVISOR)),
]
Supervising = Annotated[Principal, Depends(require_roles(Role.DISTRICT_OFFICIAL, Role.CITY_OFFICIAL, Role.SUPERVISOR))]
Courier = Annotated[Principal, Depends(require_roles(Role.COURIER))]
OfficialOrCitizen = Annotated[
    Principal, Depends(require_roles(Role.WARD_OFFICIAL, Role.DISTRICT_OFFICIAL, Role.CITY_OFFICIAL, Role.CITIZEN))
]


@dataclass(frozen=True)
class Page:
    """Paging parameters, bounded: a list never returns more than 100 rows at once."""

    limit: int = 50
    offset: int = 0


def _page(
    limit: Annotated[int, Query(ge=1, le=100, description="rows per page (1..100)")] = 50,
    offset: Annotated[int, Query(ge=0, description="rows to skip")] = 0,
) -> Page:
    return Page(limit, offset)


Paging = Annotated[Page, Depends(_page)]
