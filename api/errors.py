"""Error answers that say what is wrong: use-case errors become their HTTP status, workflow refusals 403/409
with their kind, and a Temporal or a PostgreSQL that cannot answer now 503 (retrying an action with the same key
is safe).

Every answer has a stable `code` for programs and `detail` in the caller's language (Accept-Language; Vietnamese
when it names neither), from the one catalogue (texts/)."""

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
from texts import Lang, from_accept_language, text
from texts.validation import validation_problem
from usecases.errors import Forbidden, InvalidInput, NotFound, TooLarge, Unauthenticated, Unreadable, UseCaseError
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


def request_lang(request: Request) -> Lang:
    return from_accept_language(request.headers.get("accept-language"))


def _answer(request: Request, status_code: int, content: dict[str, Any], **headers: str) -> JSONResponse:
    return JSONResponse(
        status_code=status_code, content=content, headers={"Content-Language": request_lang(request), **headers}
    )


async def _action_refused(request: Request, exc: Exception) -> JSONResponse:
    """The workflow's own reason (its words, for whoever debugs) beside the explanation in the caller's language."""
    assert isinstance(exc, ActionRefused)
    lang = request_lang(request)
    content = {"code": exc.kind, "kind": exc.kind, "detail": exc.render(lang), "reason": exc.message}
    return _answer(request, REFUSAL_STATUS.get(exc.kind, 409), content)


def _use_case_error(status_code: int, **headers: str) -> Any:
    async def handle(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, UseCaseError)
        content = {"code": exc.code, "detail": exc.render(request_lang(request))}
        return _answer(request, status_code, content, **headers)

    return handle


async def _invalid_input(request: Request, exc: Exception) -> JSONResponse:
    """The shape of FastAPI's own validation errors, so a client reads both alike."""
    assert isinstance(exc, InvalidInput)
    lang = request_lang(request)
    detail = [
        {"type": p.type, "loc": [p.location, p.field], "msg": p.render(lang), "input": p.input} for p in exc.problems
    ]
    return _answer(request, 422, {"code": exc.code, "detail": detail})


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


def _problem(lang: Lang, error: dict[str, Any]) -> dict[str, Any]:
    """Pydantic's error item with our stable code as its type and its words in the caller's language."""
    field = ".".join(str(part) for part in error.get("loc", ())[1:])
    code, message = validation_problem(lang, error, field)
    problem = {**error, "type": code, "msg": message}
    context = {k: v for k, v in (error.get("ctx") or {}).items() if k != "error"}  # the exception is in msg
    if context:
        problem["ctx"] = context
    else:
        problem.pop("ctx", None)
    return _short(problem)


async def _invalid_request(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    lang = request_lang(request)
    detail = jsonable_encoder([_problem(lang, e) for e in exc.errors()])
    return _answer(request, 422, {"code": InvalidInput.kind, "detail": detail})


async def _temporal_unavailable(request: Request, exc: Exception) -> JSONResponse:
    # The type only: Temporal's messages may quote payloads, which carry personal data.
    log.warning("temporal error on %s %s: %s", request.method, request.url.path, type(exc).__name__)
    detail = text(request_lang(request), "api.unavailable_workflows")
    return _answer(request, 503, {"code": "unavailable", "detail": detail, "kind": "Unavailable"})


async def _database_unavailable(request: Request, exc: Exception) -> JSONResponse:
    # A restart, a lost connection, a full pool: the next try gets a fresh connection (pool_pre_ping). The type
    # only in the log: a statement's error may quote its parameters.
    log.warning("database error on %s %s: %s", request.method, request.url.path, type(exc).__name__)
    seconds = random.randint(2, 6)  # spread, so the retries do not all come back at once
    return _come_back(request, 503, seconds, "api.unavailable_database", "Unavailable")


def _come_back(request: Request, status_code: int, seconds: int, key: str, kind: str) -> JSONResponse:
    """A refusal that says when to send again, in the header clients act on and in the words people read."""
    detail = text(request_lang(request), key, seconds=seconds)
    code = "unavailable" if kind == "Unavailable" else key.removeprefix("api.")
    content = {"code": code, "detail": detail, "kind": kind}
    return _answer(request, status_code, content, **{"Retry-After": str(seconds)})


async def _rate_limited(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RateLimited)
    return _come_back(request, 429, exc.retry_after_seconds, "api.rate_limited", "RateLimited")


async def _registrations_paused(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RegistrationsPaused)
    return _come_back(request, 503, exc.retry_after_seconds, "api.registrations_paused", "RegistrationsPaused")


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _invalid_request)
    app.add_exception_handler(ActionRefused, _action_refused)
    app.add_exception_handler(NotFound, _use_case_error(404))
    app.add_exception_handler(Unauthenticated, _use_case_error(401, **{"WWW-Authenticate": "Bearer"}))
    app.add_exception_handler(Forbidden, _use_case_error(403))
    app.add_exception_handler(TooLarge, _use_case_error(413))
    app.add_exception_handler(Unreadable, _use_case_error(422))
    app.add_exception_handler(InvalidInput, _invalid_input)
    app.add_exception_handler(RateLimited, _rate_limited)
    app.add_exception_handler(RegistrationsPaused, _registrations_paused)
    app.add_exception_handler(TemporalError, _temporal_unavailable)
    for transient in TRANSIENT_DATABASE_ERRORS:
        app.add_exception_handler(transient, _database_unavailable)
