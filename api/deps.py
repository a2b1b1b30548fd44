"""FastAPI dependencies: the use cases' context, the caller, the authorisation rule of the route, paging and
the idempotency key. The pages (web/) use the same ones."""

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Header, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.ext.asyncio import AsyncSession

from api.authorization import API_PREFIX, rule_for
from api.forwarded import forwarded_client
from common.settings import Settings
from db.base import get_sessionmaker
from services import citizen_sessions, community_helpers
from services.staff import active_staff
from texts import Text
from usecases.context import Context
from usecases.errors import Forbidden, Unauthenticated
from usecases.principal import Principal, citizen_principal, helper_principal, staff_principal
from usecases.relief.work_lists import Page
from usecases.trust.tokens import SESSION_COOKIE, InvalidToken, decode_token


async def _session() -> AsyncIterator[AsyncSession]:
    async with get_sessionmaker()() as session:
        yield session


# Dependencies that do no blocking work are `async def`: FastAPI runs a plain `def` one in a worker thread.
async def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


DbSession = Annotated[AsyncSession, Depends(_session)]
AppSettings = Annotated[Settings, Depends(_settings)]


def client_ip(request: Request) -> str | None:
    settings: Settings = request.app.state.settings
    peer = request.client.host if request.client else None
    return forwarded_client(peer, request.headers.getlist("x-forwarded-for"), settings.trusted_proxies)


async def _context(request: Request, session: DbSession, settings: AppSettings) -> Context:
    state = request.app.state
    return Context(
        session=session,
        settings=settings,
        temporal=state.temporal,
        photos=state.photos,
        registrations=state.registrations,
        client_ip=client_ip(request),
    )


UseCases = Annotated[Context, Depends(_context)]

_bearer = HTTPBearer(auto_error=False, description="A staff token from /auth/token or a citizen token")


async def principal_from_token(settings: Settings, session: AsyncSession, token: str) -> Principal:
    try:
        claims = decode_token(settings, token)
    except InvalidToken:
        raise Unauthenticated(Text("err.token_invalid"), "token_invalid") from None
    if claims.kind == "citizen":
        revoked = await citizen_sessions.valid_after(session, claims.household_ids)
        # Tokens carry whole seconds: one issued in the second of the revocation is void too.
        if revoked is not None and claims.issued_at <= revoked.timestamp():
            raise Unauthenticated(Text("err.session_ended"), "session_ended")
        return citizen_principal(claims.household_ids, claims.request_code)
    if claims.kind == "helper":
        if await community_helpers.find(session, claims.subject) is None:
            raise Unauthenticated(Text("err.helper_gone"), "helper_gone")
        return helper_principal(claims.subject)
    # Staff are loaded on every request: a disabled account or a changed role takes effect at once.
    staff = await active_staff(session, claims.subject)
    if staff is None:
        raise Unauthenticated(Text("err.staff_disabled"), "staff_disabled")
    return staff_principal(staff.id, staff.role, staff.unit_code, staff.parent_code, staff.place_code)


async def _maybe_principal(
    request: Request,
    settings: AppSettings,
    session: DbSession,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal | None:
    if credentials is not None:
        return await principal_from_token(settings, session, credentials.credentials)
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie is None or request.scope["path"].startswith(API_PREFIX):
        return None  # the API takes bearer tokens only: a cookie would make it forgeable cross-site
    try:
        return await principal_from_token(settings, session, cookie)
    except Unauthenticated:
        return None  # an expired or revoked page session is no session: public pages still open


MaybePrincipal = Annotated[Principal | None, Depends(_maybe_principal)]


async def authorize(request: Request, principal: MaybePrincipal) -> None:
    """Applied to every route (app-level dependency): the rule api.authorization bound to the route that FastAPI
    matched."""
    rule = rule_for(request)
    if rule is None:  # fail closed: a route nobody wrote a rule for serves nobody
        raise Forbidden(Text("err.no_rule"), "no_rule")
    if rule.public:
        return
    if principal is None:
        raise Unauthenticated(Text("err.sign_in_first"), "sign_in_first")
    if rule.roles is not None and principal.role not in rule.roles:
        allowed = ", ".join(sorted(r.value for r in rule.roles))
        raise Forbidden(Text("err.role_not_allowed", role=principal.role.value, allowed=allowed), "role_not_allowed")


async def _principal(principal: MaybePrincipal) -> Principal:
    if principal is None:
        raise Unauthenticated(Text("err.sign_in_first"), "sign_in_first")
    return principal


CurrentPrincipal = Annotated[Principal, Depends(_principal)]


async def _page(
    limit: Annotated[int, Query(ge=1, le=100, description="rows per page (1..100)")] = 50,
    offset: Annotated[int, Query(ge=0, le=100_000, description="rows to skip")] = 0,
) -> Page:
    return Page(limit, offset)


Paging = Annotated[Page, Depends(_page)]

IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=100,
        pattern=r"^[A-Za-z0-9._:\-]+$",
        description="repeat the same key to repeat the same action safely; by default the request's current "
        "stage is the key, so a double tap is one decision",
    ),
]
