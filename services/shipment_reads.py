"""What people read about shipments: one shipment with its lines and picks, and the lists (a warehouse's outgoing
and incoming shipments, the ones late or received short for officials). Reads the database, never the workflows."""

from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from db.shipments import Shipment, ShipmentLine, ShipmentPick
from db.supply import SupplyItem, SupplyPlace
from domain.shipment_flow import ShipmentStage

OPEN_STAGES = (ShipmentStage.CREATED.value, ShipmentStage.PICKED.value, ShipmentStage.IN_TRANSIT.value)
LIST_LIMIT = 200

Source = aliased(SupplyPlace, name="source")
Destination = aliased(SupplyPlace, name="destination")


@dataclass(frozen=True)
class ShipmentRow:
    shipment: Shipment
    source: SupplyPlace
    destination: SupplyPlace
    lines: int


@dataclass(frozen=True)
class ShipmentRecord:
    shipment: Shipment
    source: SupplyPlace
    destination: SupplyPlace
    lines: list[tuple[ShipmentLine, SupplyItem, list[ShipmentPick]]]


def _rows() -> Select[Shipment, SupplyPlace, SupplyPlace, int]:
    count = (
        select(func.count())
        .where(ShipmentLine.shipment_id == Shipment.id)
        .correlate(Shipment)
        .scalar_subquery()
        .label("lines")
    )
    return (
        select(Shipment, Source, Destination, count)
        .join(Source, Source.code == Shipment.from_place)
        .join(Destination, Destination.code == Shipment.to_place)
    )


async def _list(session: AsyncSession, *where: ColumnElement[bool], newest_first: bool = False) -> list[ShipmentRow]:
    order = (Shipment.created_at.desc(), Shipment.code.desc()) if newest_first else (Shipment.created_at, Shipment.code)
    query = _rows().where(*where).order_by(*order).limit(LIST_LIMIT)
    return [ShipmentRow(s, src, dst, int(n)) for s, src, dst, n in (await session.execute(query)).all()]


async def outgoing(session: AsyncSession, place_code: str) -> list[ShipmentRow]:
    return await _list(session, Shipment.from_place == place_code, Shipment.stage.in_(OPEN_STAGES))


async def incoming(session: AsyncSession, place_code: str) -> list[ShipmentRow]:
    return await _list(session, Shipment.to_place == place_code, Shipment.stage.in_(OPEN_STAGES))


async def late(session: AsyncSession, district_code: str | None) -> list[ShipmentRow]:
    """Open and late, or closed with differences (received short or over, lost): the city's to look at, the newest
    first. A district sees those to or from its places; None: the whole city."""
    attention = or_(
        Shipment.late_at.is_not(None) & Shipment.stage.in_(OPEN_STAGES),
        Shipment.differences > 0,
    )
    if district_code is None:
        return await _list(session, attention, newest_first=True)
    in_district = or_(Shipment.to_district == district_code, Source.district_code == district_code)
    return await _list(session, attention, in_district, newest_first=True)


async def shipment_by_code(session: AsyncSession, code: str) -> ShipmentRecord | None:
    found = (await session.execute(_rows().where(Shipment.code == code))).first()
    if found is None:
        return None
    shipment, source, destination, _ = found
    lines = (
        await session.execute(
            select(ShipmentLine, SupplyItem)
            .join(SupplyItem, SupplyItem.code == ShipmentLine.item_code)
            .where(ShipmentLine.shipment_id == shipment.id)
            .order_by(ShipmentLine.line_no)
        )
    ).all()
    picks = (
        await session.scalars(
            select(ShipmentPick)
            .where(ShipmentPick.shipment_id == shipment.id)
            .order_by(ShipmentPick.line_no, ShipmentPick.expires_on.asc().nulls_last())
        )
    ).all()
    return ShipmentRecord(
        shipment,
        source,
        destination,
        [(line, item, [p for p in picks if p.line_no == line.line_no]) for line, item in lines],
    )
