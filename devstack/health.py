"""Waiting until the API answers its health check."""

import asyncio
import urllib.error
import urllib.request
from collections.abc import Awaitable, Callable


def _status(url: str) -> int | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code
    except (urllib.error.URLError, OSError):
        return None


async def wait_for_ok(url: str, within: float, pause: Callable[[float], Awaitable[None]]) -> None:
    """Polls `url` until it answers 200; `pause` raises when the stack must stop (a signal or a dead child)."""
    deadline = asyncio.get_running_loop().time() + within
    while (status := await asyncio.to_thread(_status, url)) != 200:
        if asyncio.get_running_loop().time() > deadline:
            raise TimeoutError(f"{url} did not answer 200 within {within:.0f}s (last: {status or 'no answer'})")
        await pause(0.5)
