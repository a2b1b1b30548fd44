"""Error answers that say what is wrong: workflow refusals become 403/409 with their kind, and a
Temporal that cannot answer now becomes 503 (retrying an action with the same key is safe)."""

import logging

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
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


async def _rate_limited(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RateLimited)
    return JSONResponse(
        status_code=429,
        headers={"Retry-After": str(exc.retry_after_seconds)},
        content={
            "detail": f"quá nhiều lần thử; thử lại sau {exc.retry_after_seconds} giây "
            f"(too many tries; try again in {exc.retry_after_seconds} s)",
            "kind": "RateLimited",
        },
    )


async def _registrations_paused(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RegistrationsPaused)
    seconds = exc.retry_after_seconds
    return JSONResponse(
        status_code=503,
        headers={"Retry-After": str(seconds)},
        content={
            "detail": f"hệ thống đang nhận quá nhiều đăng ký; đăng ký này chưa được ghi nhận, hãy gửi lại sau {seconds}"
            f" giây (registrations are paused while the workers catch up; nothing was recorded; send it again in"
            f" {seconds} s)",
            "kind": "RegistrationsPaused",
        },
    )


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(ActionRefused, _action_refused)
    app.add_exception_handler(RateLimited, _rate_limited)
    app.add_exception_handler(RegistrationsPaused, _registrations_paused)
    app.add_exception_handler(TemporalError, _temporal_unavailable)
