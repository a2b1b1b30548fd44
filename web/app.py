"""The pages, mounted at / by api.app: routers, page errors, headers. Authorisation is the API's own
(api.authorization.RULES lists every page route; api.deps reads the page session from its cookie)."""

from collections.abc import Awaitable, Callable

from fastapi import APIRouter, FastAPI, HTTPException, Request, Response, status
from fastapi.responses import FileResponse

from web import auth_pages, citizen, courier, dashboard, errors, officials, request_page
from web.render import STATIC

ASSETS = {"app.css": "text/css; charset=utf-8", "app.js": "text/javascript; charset=utf-8"}

# Pages load nothing from elsewhere: no CDN, no inline script; the charts are SVG markup, not scripts.
CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
)

static_router = APIRouter(include_in_schema=False)


@static_router.get("/static/{name}")
async def static_file(name: str) -> FileResponse:
    if name not in ASSETS:
        raise HTTPException(status.HTTP_404_NOT_FOUND)
    return FileResponse(STATIC / name, media_type=ASSETS[name], headers={"Cache-Control": "public, max-age=86400"})


async def _page_headers(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
    response = await call_next(request)
    path = request.url.path
    if errors.is_page(path):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        if not path.startswith("/static/"):
            response.headers["Content-Security-Policy"] = CSP
            response.headers["X-Frame-Options"] = "DENY"
            response.headers["Referrer-Policy"] = "same-origin"
            # Pages show personal data to the person signed in: no shared cache keeps them.
            response.headers.setdefault("Cache-Control", "no-store")
    return response


def install(app: FastAPI) -> None:
    for module in (citizen, auth_pages, request_page, courier, officials, dashboard):
        app.include_router(module.router)
    app.include_router(static_router)
    errors.install(app)
    app.middleware("http")(_page_headers)
