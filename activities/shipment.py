"""The activities of one shipment: short transactions keyed by shipment and step (services.shipments), so a retry
moves no stock twice. A failure no retry can mend (a rule broken, the database refusing the write) is raised as
non-retryable (activities.step_failures)."""

from collections.abc import Callable
from typing import Any

from temporalio import activity

from activities.step_failures import classify_failures
from common.settings import get_settings
from db.base import transaction
from domain.shipment_flow import (
    DispatchInput,
    OpenInput,
    PickInput,
    ReceiptInput,
    ShipmentAnswer,
    ShipmentOpened,
    ShipmentStep,
)
from services import shipments


@activity.defn
@classify_failures
async def open_shipment(inp: OpenInput) -> ShipmentOpened:
    """The shipment's rows from the order, and the policy it keeps (the settings' at its start)."""
    async with transaction() as session:
        return await shipments.open_shipment(session, inp, get_settings().shipment_policy)


@activity.defn
@classify_failures
async def pick_shipment(inp: PickInput) -> ShipmentAnswer:
    async with transaction() as session:
        return await shipments.pick(session, inp)


@activity.defn
@classify_failures
async def dispatch_shipment(inp: DispatchInput) -> ShipmentAnswer:
    async with transaction() as session:
        return await shipments.dispatch(session, inp)


@activity.defn
@classify_failures
async def receive_shipment(inp: ReceiptInput) -> ShipmentAnswer:
    async with transaction() as session:
        return await shipments.receive(session, inp)


@activity.defn
@classify_failures
async def record_shipment_step(step: ShipmentStep) -> ShipmentAnswer:
    async with transaction() as session:
        return await shipments.record_step(session, step)


ALL: list[Callable[..., Any]] = [
    open_shipment,
    pick_shipment,
    dispatch_shipment,
    receive_shipment,
    record_shipment_step,
]
