"""Errors on pages answer as pages: 401 shows the sign-in (or the citizen's look-up) form, 403 and 404 say
so in the reader's language. API paths keep the API's JSON answers (the original handlers are wrapped)."""

import inspect
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import FastAPI, HTTPException, Request, Response
from fastapi.exception_handlers import http_exception_handler, request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from temporalio.exceptions import TemporalError

from api.authorization import API_PREFIX
from api.errors import TRANSIENT_DATABASE_ERRORS
from common.city_time import CITY_TZ
from services.rate_limits import RateLimited
from texts import Lang, text
from usecases.errors import Forbidden, InvalidInput, NotFound, TooLarge, Unauthenticated, Unreadable, UseCaseError
from usecases.schemas.status import Decision
from web.render import current_lang, render

log = logging.getLogger("ansinh.web")
Handler = Callable[[Request, Any], Response | Awaitable[Response]]
_NOT_PAGES = ("/docs", "/openapi.json", "/redoc", "/health")
CITIZEN_PATHS = ("/yeu-cau/", "/cua-toi", "/cam-ket/")
HELPER_PATHS = ("/nguoi-giup/", "/ho-tro-tien-mat/")


async def _call(handler: Handler, request: Request, exc: Exception) -> Response:
    answer = handler(request, exc)
    return await answer if inspect.isawaitable(answer) else answer


def conflict_message(lang: Lang, decision: Decision | None) -> str | None:
    """After two officials decided at once, what the later one reads: who decided, what, and when; None when the
    request was not decided by someone (closed another way), and the generic refusal applies."""
    if decision is None:
        return None
    name = decision.actor_name or text(lang, "official.someone")
    time = decision.occurred_at.astimezone(CITY_TZ).strftime("%H:%M")
    return text(lang, f"official.conflict.{decision.event}", name=name, time=time)


def is_page(path: str) -> bool:
    return not path.startswith(API_PREFIX) and not path.startswith(_NOT_PAGES)


def _page_for_status(request: Request, status_code: int, detail: object) -> Response:
    lang = current_lang(request)
    path = request.url.path
    if status_code == 401:
        if path.startswith(HELPER_PATHS):
            return render(request, "helper_sign_in.html", status_code=401, next_path="/nguoi-giup/cam-ket", phone="",
                          notice=text(lang, "login.needed"))  # fmt: skip
        if path.startswith(CITIZEN_PATHS):
            code = path.removeprefix("/yeu-cau/").split("/")[0] if path.startswith("/yeu-cau/") else ""
            return render(request, "track.html", status_code=401, code=code, notice=text(lang, "login.needed"))
        return render(request, "login.html", status_code=401, next_path=path, notice=text(lang, "login.needed"))
    if status_code == 403 and detail == "csrf":
        message = text(lang, "err.csrf")
    elif status_code == 404:
        message = text(lang, "error.404_text")
    elif status_code == 422:
        message = text(lang, "err.invalid")
    elif status_code == 413:
        message = text(lang, "err.photo_too_large")
    else:
        message = str(detail) if isinstance(detail, str) else ""
    title_key = f"error.{status_code}" if status_code in (401, 403, 404) else "error.generic"
    return render(request, "error.html", status_code=status_code, title=text(lang, title_key), message=message)


_USE_CASE_STATUS: dict[type[UseCaseError], int] = {
    NotFound: 404,
    Unauthenticated: 401,
    Forbidden: 403,
    TooLarge: 413,
    InvalidInput: 422,
    Unreadable: 422,
}


def _use_case_handler(api_handler: Handler, status_code: int) -> Handler:
    async def handle(request: Request, exc: Exception) -> Response:
        if not is_page(request.url.path):
            return await _call(api_handler, request, exc)
        assert isinstance(exc, UseCaseError)
        return _page_for_status(request, status_code, exc.render(current_lang(request)))

    return handle


def install(app: FastAPI) -> None:
    api_http: Handler = app.exception_handlers.get(StarletteHTTPException, http_exception_handler)
    api_validation: Handler = app.exception_handlers.get(RequestValidationError, request_validation_exception_handler)
    api_rate: Handler | None = app.exception_handlers.get(RateLimited)

    async def on_http(request: Request, exc: Exception) -> Response:
        if not is_page(request.url.path):
            return await _call(api_http, request, exc)
        assert isinstance(exc, StarletteHTTPException)
        return _page_for_status(request, exc.status_code, exc.detail)

    async def on_validation(request: Request, exc: Exception) -> Response:
        if not is_page(request.url.path):
            return await _call(api_validation, request, exc)
        # A malformed code or unit in a page's address is a page that does not exist; a malformed form is 422.
        return _page_for_status(request, 404 if request.method == "GET" else 422, None)

    async def on_rate(request: Request, exc: Exception) -> Response:
        if not is_page(request.url.path) and api_rate is not None:
            return await _call(api_rate, request, exc)
        assert isinstance(exc, RateLimited)
        seconds = exc.retry_after_seconds
        message = text(current_lang(request), "err.rate_limited", seconds=seconds)
        return render(request, "error.html", status_code=429, title=message, message="",
                      headers={"Retry-After": str(seconds)})  # fmt: skip

    def unavailable(api_handler: Handler | None) -> Handler:
        """Temporal or PostgreSQL cannot answer now: a page that says to try again; the API's answer on the API."""

        async def handle(request: Request, exc: Exception) -> Response:
            if not is_page(request.url.path) and api_handler is not None:
                return await _call(api_handler, request, exc)
            # The type only: messages may quote payloads or parameters, which carry personal data.
            log.warning("%s on page %s %s", type(exc).__name__, request.method, request.url.path)
            message = text(current_lang(request), "err.unavailable")
            return render(request, "error.html", status_code=503, title=message, message="")

        return handle

    # A use case's refusal on a page: the page for its status; on the API, the API's own answer.
    for error, status_code in _USE_CASE_STATUS.items():
        api_handler: Handler = app.exception_handlers[error]
        app.add_exception_handler(error, _use_case_handler(api_handler, status_code))

    app.add_exception_handler(StarletteHTTPException, on_http)
    app.add_exception_handler(HTTPException, on_http)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(RateLimited, on_rate)
    for transient in (TemporalError, *TRANSIENT_DATABASE_ERRORS):
        app.add_exception_handler(transient, unavailable(app.exception_handlers.get(transient)))
