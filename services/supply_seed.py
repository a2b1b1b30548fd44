"""Loads the supply catalogue and the city's places into a database that already holds its administrative units.

Places are derived from the units (a warehouse per district, a distribution point per ward) plus the fixed
places the catalogue names (the city's warehouses, hospitals, quarantine areas, kitchens). An upsert: loading
again changes nothing, and a renamed unit renames its places.
"""

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from db.geography import AdminUnit
from db.supply import KitLine, SupplyItem, SupplyPlace
from domain.roles import UnitLevel
from domain.supply import PlaceKind
from domain.supply_catalogue import FIXED_PLACES, FOOD_BAG_KITS, ITEMS


def district_warehouse_code(district_code: str) -> str:
    return f"KHO-Q{district_code}"


def ward_point_code(ward_code: str) -> str:
    return f"DP-{ward_code}"


async def load_supply(session: AsyncSession) -> int:
    """Upserts items, kits and places; returns the number of places."""
    for item in ITEMS:
        stmt = insert(SupplyItem).values(**item.model_dump())
        await session.execute(
            stmt.on_conflict_do_update(
                index_elements=["code"], set_={c: stmt.excluded[c] for c in item.model_dump() if c != "code"}
            )
        )
    for kit in FOOD_BAG_KITS:
        for line in kit.lines:
            await session.execute(
                insert(KitLine)
                .values(
                    kit_code=kit.kit_code,
                    version=kit.version,
                    item_code=line.item_code,
                    quantity=line.quantity,
                    effective_from=kit.effective_from,
                )
                .on_conflict_do_nothing()  # a version, once used, never changes: a new one is added instead
            )
    places = [p.model_dump() | {"unit_code": p.district_code} for p in FIXED_PLACES]
    units = (await session.execute(select(AdminUnit).where(AdminUnit.level != UnitLevel.CITY.value))).scalars()
    for unit in units:
        district = unit.code if unit.level == UnitLevel.DISTRICT.value else unit.parent_code
        if unit.level == UnitLevel.DISTRICT.value:
            code, kind, name = district_warehouse_code(unit.code), PlaceKind.DISTRICT_WAREHOUSE, "Kho"
        else:
            code, kind, name = ward_point_code(unit.code), PlaceKind.WARD_POINT, "Điểm phát"
        places.append(
            {
                "code": code,
                "kind": kind,
                "name": f"{name} {unit.name}",
                "unit_code": unit.code,
                "district_code": district,
                "latitude": unit.latitude,
                "longitude": unit.longitude,
            }
        )
    rows = [{k: (v.value if isinstance(v, PlaceKind) else v) for k, v in p.items()} | {"active": True} for p in places]
    stmt = insert(SupplyPlace).values(rows)
    await session.execute(
        stmt.on_conflict_do_update(index_elements=["code"], set_={c: stmt.excluded[c] for c in rows[0] if c != "code"})
    )
    return len(rows)
