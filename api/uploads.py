"""A cap on upload bodies, enforced while the body streams in.

Starlette's multipart parser spools file parts to disk without a limit (architecture §8), so routes
that take a photo use `CappedUploadRoute`: the body is counted as it arrives and the request is
refused with 413 as soon as it passes `settings.max_photo_bytes` plus room for the other fields.
"""

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import HTTPException, Request, Response, status
from fastapi.routing import APIRoute
from starlette.types import Message

FORM_FIELDS_ALLOWANCE = 64 * 1024


def too_large(max_photo_bytes: int) -> HTTPException:
    return HTTPException(
        status.HTTP_413_CONTENT_TOO_LARGE,
        detail=f"ảnh lớn hơn giới hạn {max_photo_bytes // 1024} KiB; hãy gửi ảnh nhỏ hơn"
        f" (the photo is larger than the limit of {max_photo_bytes // 1024} KiB; send a smaller photo)",
    )


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
                        # FastAPI passes HTTPExceptions raised while parsing the body through unchanged.
                        raise too_large(max_photo)
                return message

            return await handler(Request(request.scope, counting_receive))

        return capped
