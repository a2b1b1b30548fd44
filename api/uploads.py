"""A cap on upload bodies, enforced while the body streams in.

Starlette's multipart parser spools file parts to disk without a limit (architecture §8), so routes
that take a photo use `CappedUploadRoute`: the body is counted as it arrives and the request is
refused with 413 (the use cases' TooLarge, so the answer has its code and the caller's language) as soon as it
passes `settings.max_photo_bytes` plus room for the other fields.
"""

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import HTTPException, Request, Response, status
from fastapi.routing import APIRoute
from starlette.types import Message

from usecases.photo_uploads import too_large

FORM_FIELDS_ALLOWANCE = 64 * 1024


class _BodyTooLarge(HTTPException):
    """Raised while the body streams in: FastAPI passes HTTPExceptions from body parsing through unchanged (any
    other error becomes a 400), and the route turns it into the use cases' TooLarge."""

    def __init__(self) -> None:
        super().__init__(status.HTTP_413_CONTENT_TOO_LARGE)


class CappedUploadRoute(APIRoute):
    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def capped(request: Request) -> Response:
            max_photo: int = request.app.state.settings.max_photo_bytes
            limit = max_photo + FORM_FIELDS_ALLOWANCE
            declared = request.headers.get("content-length")
            if declared is not None and declared.isdigit() and int(declared) > limit:
                raise too_large(max_photo)
            received = 0
            receive = request.receive

            async def counting_receive() -> Message:
                nonlocal received
                message = await receive()
                if message["type"] == "http.request":
                    received += len(message.get("body", b""))
                    if received > limit:
                        raise _BodyTooLarge()
                return message

            try:
                return await handler(Request(request.scope, counting_receive))
            except _BodyTooLarge:
                raise too_large(max_photo) from None

        return capped
