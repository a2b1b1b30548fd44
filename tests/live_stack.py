"""The running system for end-to-end tests: a Temporal dev server, and our worker with the app served by
uvicorn in the test's event loop on a free 127.0.0.1 port."""

import asyncio
import socket
import uuid
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from pathlib import Path
from typing import Literal

import uvicorn
from fastapi import FastAPI
from temporalio.testing import WorkflowEnvironment

from common.settings import Settings, get_settings
from common.temporal_client import data_converter
from domain.names import SEARCH_ATTRIBUTES
from server import create_app
from tests.infra import executable
from worker import running


@asynccontextmanager
async def dev_server() -> AsyncIterator[WorkflowEnvironment]:
    env = await WorkflowEnvironment.start_local(
        dev_server_existing_path=executable("temporal"),
        search_attributes=SEARCH_ATTRIBUTES,
        data_converter=data_converter(get_settings()),
        ui=False,
    )
    async with env:
        yield env


def stack_settings(env: WorkflowEnvironment, database_url: str, photo_dir: Path, **overrides: object) -> Settings:
    """Settings of a stack of its own: the dev server, a unique task queue, its own photo folder."""
    return Settings(
        environment="test",
        database_url=database_url,
        temporal_address=env.client.service_client.config.target_host,
        task_queue=f"e2e-{uuid.uuid4()}",
        photo_dir=photo_dir,
        **overrides,  # type: ignore[arg-type]
    )


@asynccontextmanager
async def served_app(app: FastAPI, *, lifespan: Literal["on", "off"] = "off") -> AsyncIterator[str]:
    """The app served by uvicorn on this event loop at the yielded base URL (a free port), until the block ends."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan=lifespan, proxy_headers=False))
    task = asyncio.create_task(server.serve(sockets=[sock]))
    for _ in range(500):
        if server.started or task.done():
            break
        await asyncio.sleep(0.01)
    assert server.started, "uvicorn did not start"
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        await task
        sock.close()


@asynccontextmanager
async def serving(env: WorkflowEnvironment, settings: Settings, *, worker: bool = True) -> AsyncIterator[str]:
    """Our worker (with its notification dispatcher; unless `worker` is false) on the settings' queue and the app
    at the yielded base URL, until the block ends."""
    async with AsyncExitStack() as workers:
        if worker:
            await workers.enter_async_context(running(env.client, settings.task_queue))
        async with served_app(create_app(settings), lifespan="on") as base_url:
            yield base_url
