"""Shipments: warehouse staff see what is to dispatch from their place and what is coming to it, dispatch one and
receive one; officials see those late or received short. Thin adapters over usecases/supply/shipments.py."""

from typing import Annotated

from fastapi import APIRouter, Path

from api.deps import CurrentPrincipal, IdempotencyKey, UseCases
from domain.shipment_flow import ShipmentAnswer
from domain.shipments import SHIPMENT_CODE_PATTERN
from usecases.schemas.shipments import DispatchForm, ShipmentLists, ShipmentReceiptForm, ShipmentView
from usecases.supply import shipments

router = APIRouter(tags=["shipments"])

ShipmentCode = Annotated[str, Path(max_length=64, pattern=SHIPMENT_CODE_PATTERN)]


@router.get("/shipments", response_model=ShipmentLists)
async def lists(principal: CurrentPrincipal, ctx: UseCases) -> ShipmentLists:
    """Warehouse staff: their place's shipments to dispatch and to receive. Officials: those late or received short,
    in their district (the city: all)."""
    return await shipments.lists(ctx, principal)


@router.get("/shipments/{shipment_code}", response_model=ShipmentView)
async def read(shipment_code: ShipmentCode, principal: CurrentPrincipal, ctx: UseCases) -> ShipmentView:
    return await shipments.read(ctx, principal, shipment_code)


@router.post("/shipments/{shipment_code}/dispatch", response_model=ShipmentAnswer)
async def dispatch(
    shipment_code: ShipmentCode,
    form: DispatchForm,
    principal: CurrentPrincipal,
    ctx: UseCases,
    key: IdempotencyKey = None,
) -> ShipmentAnswer:
    """The source's staff hand the picked goods to a driver (name, mobile phone, plate): the goods leave."""
    return await shipments.dispatch(ctx, principal, shipment_code, form, key)


@router.post("/shipments/{shipment_code}/receipt", response_model=ShipmentAnswer)
async def receive(
    shipment_code: ShipmentCode,
    form: ShipmentReceiptForm,
    principal: CurrentPrincipal,
    ctx: UseCases,
    key: IdempotencyKey = None,
) -> ShipmentAnswer:
    """The destination's staff count each line; every difference is its own movement, and the city is told."""
    return await shipments.receive(ctx, principal, shipment_code, form, key)
