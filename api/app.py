"""The JSON API under /api/v1: its routers, its error answers and the health check. server.py mounts it beside
the pages on one application."""

from fastapi import FastAPI

from api.authorization import API_PREFIX
from api.errors import install_error_handlers
from api.routes import (
    actions,
    addresses,
    allocation_rounds,
    audit_log,
    auth,
    cash_needs,
    cash_request,
    citizen,
    coverage,
    delivery,
    donations,
    emergencies,
    emergency_photos,
    geography,
    help_groups,
    inbox,
    messages,
    place_reports,
    pledges,
    registries,
    requests,
    shipments,
    staff_notifications,
    stock,
    supervision,
)

ROUTERS = (
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
    stock,
    donations,
    shipments,
    cash_needs,
    cash_request,
    pledges,
    place_reports,
    allocation_rounds,
    emergencies,
    emergency_photos,
    help_groups,
    messages,
)


def install(app: FastAPI) -> None:
    install_error_handlers(app)
    for module in ROUTERS:
        app.include_router(module.router, prefix=API_PREFIX)

    @app.get("/health", tags=["health"])
    async def health() -> dict[str, str]:
        return {"status": "ok"}
