"""The An Sinh API: a FastAPI application whose lifespan holds the Temporal client."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI

from api.authorization import API_PREFIX
from api.deps import authorize
from api.errors import install_error_handlers
from api.photo_processing import PhotoProcessor
from api.registration_gate import RegistrationGate
from api.routes import (
    actions,
    addresses,
    audit_log,
    auth,
    citizen,
    coverage,
    delivery,
    geography,
    inbox,
    registries,
    requests,
    staff_notifications,
    supervision,
)
from common.settings import Settings, get_settings
from common.temporal_client import connect
from web.app import install as install_pages


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
    app.state.photos = PhotoProcessor()
    app.state.registrations = RegistrationGate(settings.registration_max_wait)
    install_error_handlers(app)
    routers = (
        auth,
        citizen,
        geography,
        requests,
        actions,
        delivery,
        inbox,
        supervision,
        staff_notifications,
        audit_log,
        addresses,
        registries,
        coverage,
    )
    for module in routers:
        app.include_router(module.router, prefix=API_PREFIX)

    @app.get("/health", tags=["health"])
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    install_pages(app)  # the pages people use, at / (after the API's error handlers, which it wraps)

    return app
