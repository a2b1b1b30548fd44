"""Error answers that say what is wrong: workflow refusals become 403/409 with their kind, and a
Temporal or a PostgreSQL that cannot answer now becomes 503 (retrying an action with the same key is safe)."""

import logging
import random

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from temporalio.exceptions import TemporalError

from api.registration_gate import RegistrationsPaused
from api.updates import REFUSAL_STATUS
from api.workflow_gateway import ActionRefused
from services.rate_limits import RateLimited

log = logging.getLogger("ansinh.api")


async def _action_refused(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ActionRefused)
    return JSONResponse(
        status_code=REFUSAL_STATUS.get(exc.kind, 409), content={"detail": exc.message, "kind": exc.kind}
    )


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
    app.add_exception_handler(ActionRefused, _action_refused)
    app.add_exception_handler(RateLimited, _rate_limited)
    app.add_exception_handler(RegistrationsPaused, _registrations_paused)
    app.add_exception_handler(TemporalError, _temporal_unavailable)
    # Transient only: an integrity error or a bad statement is a defect, and stays a 500.
    for transient in (OperationalError, InterfaceError, PoolTimeout):
        app.add_exception_handler(transient, _database_unavailable)
