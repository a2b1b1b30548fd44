"""The codec server: lets authorised people read encrypted Temporal payloads in the Temporal UI.

Temporal's remote-codec protocol: POST /decode (and /encode) with `{"payloads": [...]}` in protobuf JSON,
answered in the same shape; decoded payloads show what the app shows (api/codec_masking.py). Only an active
supervisor or city official may use it: a staff token as `Authorization: Bearer`, or the cookie set by signing
in on this server's page (GET /), which the UI sends when its codec setting "include cross-origin credentials"
is on. Every decode is audited.

Run: `uvicorn --factory api.codec_server:create_codec_app --port 8001`, then point the UI at it
(`temporal server start-dev --ui-codec-endpoint http://127.0.0.1:8001`; devstack does both).
"""

from collections.abc import Awaitable, Callable
from html import escape
from typing import Annotated

from fastapi import Depends, FastAPI, Form, HTTPException, Request, Response, status
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import HTMLResponse
from google.protobuf import json_format
from sqlalchemy.ext.asyncio import AsyncSession
from temporalio.api.common.v1 import Payload, Payloads

from api.codec_masking import masked_payloads
from api.deps import AppSettings, DbSession, client_ip, principal_from_token
from api.errors import install_error_handlers
from common.crypto import KeyRing
from common.payload_codec import EncryptionCodec
from common.settings import Settings, get_settings
from domain.roles import Role
from texts import Text
from usecases.audit import Auditor
from usecases.errors import Forbidden, Unauthenticated
from usecases.principal import Principal
from usecases.trust.sign_in import checked_password
from usecases.trust.tokens import issue_staff_token

ALLOWED = frozenset({Role.SUPERVISOR, Role.CITY_OFFICIAL})
COOKIE = "ansinh_codec"


async def _reader(request: Request, settings: AppSettings, session: DbSession) -> Principal:
    header = request.headers.get("authorization", "")
    token = header.removeprefix("Bearer ").strip() if header.startswith("Bearer ") else request.cookies.get(COOKIE)
    if not token:
        raise Unauthenticated(Text("err.codec_sign_in"), "sign_in_first")
    principal = await principal_from_token(settings, session, token)
    if principal.role not in ALLOWED:
        raise Forbidden(Text("err.codec_forbidden"), "role_not_allowed")
    return principal


Reader = Annotated[Principal, Depends(_reader)]


Operation = Callable[[EncryptionCodec, list[Payload], AsyncSession], Awaitable[list[Payload]]]


def _codec_route(settings: Settings, operation: Operation, action: str) -> Callable[..., Awaitable[Response]]:
    codec = EncryptionCodec(KeyRing.from_settings(settings))

    async def handle(request: Request, principal: Reader, session: DbSession) -> Response:
        try:
            payloads = json_format.Parse(await request.body(), Payloads())
        except json_format.ParseError:
            raise HTTPException(status.HTTP_400_BAD_REQUEST, detail="expected {'payloads': [...]}") from None
        result = Payloads(payloads=await operation(codec, list(payloads.payloads), session))
        await Auditor(session, principal, client_ip(request)).record(
            action, count=len(result.payloads), namespace=request.headers.get("x-namespace", "")
        )
        return Response(json_format.MessageToJson(result), media_type="application/json")

    return handle


_PAGE = """<!doctype html><meta charset="utf-8"><title>An Sinh codec server</title>
<h1>An Sinh codec server</h1><p>{message}</p>
<form method="post" action="/session"><input name="username" placeholder="username" autocomplete="username">
<input name="password" type="password" placeholder="password" autocomplete="current-password">
<button>Sign in</button></form>
<p>Then, in the Temporal UI's codec settings, turn on "include cross-origin credentials".</p>"""


def create_codec_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    app = FastAPI(title="An Sinh codec server", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.settings = settings
    origins = sorted({*settings.codec_cors_origins, settings.temporal_ui_url})
    app.add_middleware(
        CORSMiddleware,
        allow_origins=origins,
        allow_credentials=True,
        allow_methods=["GET", "POST"],
        allow_headers=["Authorization", "Content-Type", "X-Namespace"],
    )

    async def decode(codec: EncryptionCodec, payloads: list[Payload], session: AsyncSession) -> list[Payload]:
        return await masked_payloads(session, await codec.decode(payloads))

    async def encode(codec: EncryptionCodec, payloads: list[Payload], session: AsyncSession) -> list[Payload]:
        return await codec.encode(payloads)

    app.post("/decode")(_codec_route(settings, decode, "codec_decode"))
    app.post("/encode")(_codec_route(settings, encode, "codec_encode"))

    @app.get("/", response_class=HTMLResponse)
    async def page() -> str:
        return _PAGE.format(message="Sign in as a supervisor or city official to read payloads in the Temporal UI.")

    @app.post("/session", response_class=HTMLResponse)
    async def sign_in(
        request: Request,
        session: DbSession,
        username: Annotated[str, Form(max_length=64)],
        password: Annotated[str, Form(max_length=200)],
    ) -> Response:
        user = await checked_password(session, settings.rate_limits, client_ip(request), username, password)
        if user is None or Role(user.role) not in ALLOWED:
            return HTMLResponse(_PAGE.format(message=escape("Not signed in: wrong login or role.")), status_code=401)
        token = issue_staff_token(settings, user.id, Role(user.role))
        response = HTMLResponse(_PAGE.format(message="Signed in. The Temporal UI can now decode payloads."))
        # Same-site with the UI (another port of the same host): Strict still lets the UI's fetch send it.
        response.set_cookie(
            COOKIE, token, max_age=settings.token_minutes * 60, httponly=True, samesite="strict", path="/"
        )
        return response

    @app.get("/health")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    install_error_handlers(app)  # 429 for too many sign-ins, as in the API
    return app
