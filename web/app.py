"""The pages, mounted at / by api.app: routers, page errors, headers. Authorisation is the API's own
(api.authorization.RULES lists every page route; api.deps reads the page session from its cookie)."""

from urllib.parse import urlsplit

from fastapi import APIRouter, FastAPI, HTTPException, status
from fastapi.responses import FileResponse
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from common.settings import Settings
from web import (
    allocation_rounds,
    auth_pages,
    cash_needs,
    citizen,
    courier,
    dashboard,
    donations,
    emergencies,
    emergency_map,
    errors,
    help_groups,
    messages,
    officials,
    place_reports,
    pledges,
    request_page,
    shipments,
    stock,
)
from web.render import STATIC, asset_version
from web.vendor_assets import VENDOR_ROUTE, vendor_file

JS = "text/javascript; charset=utf-8"
ASSETS = {"app.css": "text/css; charset=utf-8", "app.js": JS, "emergency_map.js": JS}


def content_security_policy(settings: Settings) -> str:
    """Pages load nothing from elsewhere (no CDN, no inline script; the charts are markup) but the map's tiles,
    from the one tile server the city configured."""
    tiles = urlsplit(settings.map_tile_url)
    images = f" https://{tiles.netloc}" if settings.map_tile_url else ""
    return (
        f"default-src 'self'; img-src 'self' data:{images}; style-src 'self'; script-src 'self'; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
    )


static_router = APIRouter(include_in_schema=False)
static_router.add_api_route(VENDOR_ROUTE, vendor_file, methods=["GET"])


@static_router.get("/static/{name}")
async def static_file(name: str, v: str = "") -> FileResponse:
    if name not in ASSETS:
        raise HTTPException(status.HTTP_404_NOT_FOUND)
    # The pages ask for the current content by its hash: that answer never changes. Anything else is rechecked.
    cache = "public, max-age=31536000, immutable" if v == asset_version(name) else "no-cache"
    return FileResponse(STATIC / name, media_type=ASSETS[name], headers={"Cache-Control": cache})


class PageHeaders:
    """The pages' security headers, added to the response start. Plain ASGI: Starlette's BaseHTTPMiddleware
    (`app.middleware("http")`) costs a task group and a streamed body on every request, API ones included."""

    def __init__(self, app: ASGIApp, csp: str) -> None:
        self.app = app
        self.csp = csp

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not errors.is_page(scope["path"]):
            await self.app(scope, receive, send)
            return
        static = scope["path"].startswith("/static/")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("X-Content-Type-Options", "nosniff")
                if not static:
                    headers["Content-Security-Policy"] = self.csp
                    headers["X-Frame-Options"] = "DENY"
                    headers["Referrer-Policy"] = "same-origin"
                    # Pages show personal data to the person signed in: no shared cache keeps them.
                    headers.setdefault("Cache-Control", "no-store")
            await send(message)

        await self.app(scope, receive, send_with_headers)


def install(app: FastAPI) -> None:
    for module in (
        citizen,
        auth_pages,
        request_page,
        courier,
        officials,
        dashboard,
        stock,
        donations,
        shipments,
        cash_needs,
        pledges,
        place_reports,
        allocation_rounds,
        emergencies,
        emergency_map,
        help_groups,
        messages,
    ):
        app.include_router(module.router)
    app.include_router(static_router)
    errors.install(app)
    app.add_middleware(PageHeaders, csp=content_security_policy(app.state.settings))
