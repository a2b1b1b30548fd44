"""The HTTP server: the JSON API (api/) and the pages (web/) on one FastAPI application, two doors onto the same
use cases (usecases/). Run it with `uvicorn --factory server:serve`; scale by starting more of these."""

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI

import api.app
import web.app
from api.authorization import bind_rules
from api.deps import authorize
from common import startup_heap
from common.settings import Settings, get_settings
from common.temporal_client import connect
from domain import action_signing
from services.photo_processing import PhotoProcessor
from usecases.relief.registration_gate import RegistrationGate


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.temporal = await connect(settings)
        try:
            yield
        finally:
            app.state.photos.close()

    app = FastAPI(
        title="An Sinh API",
        version="1",
        description="Relief requests for Ho Chi Minh City households: registration, verification, delivery.",
        lifespan=lifespan,
        docs_url="/docs",
        # A backstop for every body; the photo route has its own, tighter cap.
        max_body_size=settings.max_photo_bytes + 1024 * 1024,
        # Every route passes api.authorization's rule for it before its handler runs.
        dependencies=[Depends(authorize)],
    )
    app.state.settings = settings
    action_signing.load(settings.action_keys, settings.action_key_id)  # people's actions are sent signed
    app.state.photos = PhotoProcessor()
    app.state.registrations = RegistrationGate(settings.registration_max_wait)
    api.app.install(app)
    web.app.install(app)  # after the API's error handlers, which the pages' wrap
    bind_rules(app)
    return app


def serve() -> FastAPI:
    """The application configured from the environment, for `uvicorn --factory server:serve`."""
    # uvicorn configures its own loggers only: without this, ours (ansinh.*) stayed at WARNING and the
    # development SMS provider's codes, the gate's reports and every other INFO line were dropped.
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    app = create_app()
    # An API request's objects die with it: at CPython's default young threshold (700) the collector ran every few
    # requests (~6 % of the API's CPU over a peak day, ~0.1 % at 10,000; docs/performance-log.md). The worker keeps
    # the default: its workflows' state outlives a task, and there a larger young generation traded a little CPU
    # for longer pauses.
    startup_heap.freeze(young_threshold=10_000)
    return app
