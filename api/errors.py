"""Error answers that say what is wrong: use-case errors become their HTTP status, workflow refusals 403/409
with their kind, and a Temporal or a PostgreSQL that cannot answer now 503 (retrying an action with the same key
is safe)."""

import logging
import random
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from temporalio.exceptions import TemporalError

from domain.refusals import RefusalKind
from services.rate_limits import RateLimited
from usecases.errors import InvalidInput, NotFound, TooLarge, Unauthenticated, Unreadable
from usecases.relief.registration_gate import RegistrationsPaused
from usecases.relief.workflow_gateway import ActionRefused

log = logging.getLogger("ansinh.api")

# Transient only: an integrity error or a bad statement is a defect, and stays a 500.
TRANSIENT_DATABASE_ERRORS = (OperationalError, InterfaceError, PoolTimeout)

# Validator refusals: OutOfScope is 403, the rest say "not now / not again" (409). A failed step is ours, not the
# person's, and not final (a supervisor may still carry the action out): 503.
REFUSAL_STATUS: dict[str, int] = {
    RefusalKind.OUT_OF_SCOPE: 403,
    RefusalKind.UNSIGNED: 403,
    RefusalKind.WRONG_STAGE: 409,
    RefusalKind.BUSY: 409,
    RefusalKind.DUPLICATE: 409,
    RefusalKind.INVALID_DECISION: 409,
    RefusalKind.STEP_FAILED: 503,
}


async def _action_refused(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ActionRefused)
    return JSONResponse(
        status_code=REFUSAL_STATUS.get(exc.kind, 409), content={"detail": exc.message, "kind": exc.kind}
    )


async def _not_found(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, NotFound)
    return JSONResponse(status_code=404, content={"detail": exc.message})


async def _unauthenticated(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, Unauthenticated)
    return JSONResponse(status_code=401, content={"detail": exc.message}, headers={"WWW-Authenticate": "Bearer"})


async def _too_large(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, TooLarge)
    return JSONResponse(status_code=413, content={"detail": exc.message})


async def _unreadable(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, Unreadable)
    return JSONResponse(status_code=422, content={"detail": exc.message})


async def _invalid_input(request: Request, exc: Exception) -> JSONResponse:
    """The shape of FastAPI's own validation errors, so a client reads both alike."""
    assert isinstance(exc, InvalidInput)
    detail = [{"type": p.type, "loc": [p.location, p.field], "msg": p.message, "input": p.input} for p in exc.problems]
    return JSONResponse(status_code=422, content={"detail": detail})


_ECHO_CHARS = 100


def _short(error: dict[str, Any]) -> dict[str, Any]:
    """An error names the field and what is wrong; it echoes at most the start of a text (a 100 KB field came
    back whole) and never a whole body or object."""
    value = error.get("input")
    if isinstance(value, str) and len(value) > _ECHO_CHARS:
        error = {**error, "input": value[:_ECHO_CHARS] + "…"}
    elif isinstance(value, dict | list):
        error = {k: v for k, v in error.items() if k != "input"}
    return error


async def _invalid_request(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    return JSONResponse(status_code=422, content={"detail": jsonable_encoder([_short(e) for e in exc.errors()])})


async def _temporal_unavailable(request: Request, exc: Exception) -> JSONResponse:
    # The type only: Temporal's messages may quote payloads, which carry personal data.
    log.warning("temporal error on %s %s: %s", request.method, request.url.path, type(exc).__name__)
    return JSONResponse(
        status_code=503,
        content={
            "detail": "hệ thống chưa xử lý được lúc này; hãy thử lại (the workflow service could not complete this"
            " now; try again: an action repeated with the same Idempotency-Key is done once)",
            "kind": "Unavailable",
        },
    )


async def _database_unavailable(request: Request, exc: Exception) -> JSONResponse:
    # A restart, a lost connection, a full pool: the next try gets a fresh connection (pool_pre_ping). The type
    # only in the log: a statement's error may quote its parameters.
    log.warning("database error on %s %s: %s", request.method, request.url.path, type(exc).__name__)
    seconds = random.randint(2, 6)  # spread, so the retries do not all come back at once
    detail = (
        f"hệ thống chưa xử lý được lúc này; hãy thử lại sau {seconds} giây (the database could not complete this"
        f" now; try again in {seconds} s: an action repeated with the same Idempotency-Key is done once)"
    )
    return _come_back(503, seconds, detail, "Unavailable")


def _come_back(status_code: int, seconds: int, detail: str, kind: str) -> JSONResponse:
    """A refusal that says when to send again, in the header clients act on and in the words people read."""
    return JSONResponse(
        status_code=status_code, headers={"Retry-After": str(seconds)}, content={"detail": detail, "kind": kind}
    )


async def _rate_limited(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RateLimited)
    seconds = exc.retry_after_seconds
    detail = f"quá nhiều lần thử; thử lại sau {seconds} giây (too many tries; try again in {seconds} s)"
    return _come_back(429, seconds, detail, "RateLimited")


async def _registrations_paused(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RegistrationsPaused)
    seconds = exc.retry_after_seconds
    detail = (
        f"hệ thống đang nhận quá nhiều đăng ký; đăng ký này chưa được ghi nhận, hãy gửi lại sau {seconds} giây"
        f" (registrations are paused while the workers catch up; nothing was recorded; send it again in {seconds} s)"
    )
    return _come_back(503, seconds, detail, "RegistrationsPaused")


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _invalid_request)
    app.add_exception_handler(ActionRefused, _action_refused)
    app.add_exception_handler(NotFound, _not_found)
    app.add_exception_handler(Unauthenticated, _unauthenticated)
    app.add_exception_handler(TooLarge, _too_large)
    app.add_exception_handler(Unreadable, _unreadable)
    app.add_exception_handler(InvalidInput, _invalid_input)
    app.add_exception_handler(RateLimited, _rate_limited)
    app.add_exception_handler(RegistrationsPaused, _registrations_paused)
    app.add_exception_handler(TemporalError, _temporal_unavailable)
    for transient in TRANSIENT_DATABASE_ERRORS:
        app.add_exception_handler(transient, _database_unavailable)
