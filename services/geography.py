"""Loads Ho Chi Minh City's districts and wards (pre-2025 three-level data) into admin_units."""

from collections.abc import Iterable

from sqlalchemy import or_, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from vietnamadminunits.database import query

from db.geography import AdminUnit
from domain.roles import UnitLevel


def hcmc_units(city_code: str = "79") -> list[dict[str, object]]:
    """City, its districts and its wards as admin_units rows, from vietnamadminunits' legacy table."""
    rows = query(
        "SELECT province, provinceCode, provinceLat, provinceLon, district, districtCode, districtLat, "
        "districtLon, ward, wardCode, wardLat, wardLon FROM admin_units_legacy "
        f"WHERE provinceCode = '{int(city_code):02d}'"
    )
    if not rows:
        raise ValueError(f"no province with code {city_code} in vietnamadminunits")
    first = rows[0]
    units: dict[str, dict[str, object]] = {
        city_code: {
            "code": city_code,
            "name": first["province"],
            "level": UnitLevel.CITY.value,
            "parent_code": None,
            "latitude": first["provinceLat"],
            "longitude": first["provinceLon"],
        }
    }
    for r in rows:
        units.setdefault(
            r["districtCode"],
            {
                "code": r["districtCode"],
                "name": r["district"],
                "level": UnitLevel.DISTRICT.value,
                "parent_code": city_code,
                "latitude": r["districtLat"],
                "longitude": r["districtLon"],
            },
        )
        units[r["wardCode"]] = {
            "code": r["wardCode"],
            "name": r["ward"],
            "level": UnitLevel.WARD.value,
            "parent_code": r["districtCode"],
            "latitude": r["wardLat"],
            "longitude": r["wardLon"],
        }
    return list(units.values())


async def load_units(session: AsyncSession, units: list[dict[str, object]]) -> int:
    """Upserts the units parents first; loading twice changes nothing."""
    order = {UnitLevel.CITY.value: 0, UnitLevel.DISTRICT.value: 1, UnitLevel.WARD.value: 2}
    for unit in sorted(units, key=lambda u: order[str(u["level"])]):
        stmt = insert(AdminUnit).values(**unit)
        await session.execute(
            stmt.on_conflict_do_update(
                index_elements=["code"],
                set_={c: stmt.excluded[c] for c in ("name", "level", "parent_code", "latitude", "longitude")},
            )
        )
    return len(units)


async def ward_with_district(session: AsyncSession, ward_code: str) -> tuple[str, str] | None:
    """(ward_code, district_code) when the code is a known ward."""
    row = (
        await session.execute(
            select(AdminUnit.code, AdminUnit.parent_code).where(
                AdminUnit.code == ward_code, AdminUnit.level == UnitLevel.WARD.value
            )
        )
    ).first()
    return (row.code, row.parent_code) if row and row.parent_code else None


async def unit_names(session: AsyncSession, codes: Iterable[str]) -> dict[str, str]:
    """Names of administrative units by code (for lists that carry codes only)."""
    wanted = sorted(set(codes))
    if not wanted:
        return {}
    rows = await session.execute(select(AdminUnit.code, AdminUnit.name).where(AdminUnit.code.in_(wanted)))
    return {code: name for code, name in rows.all()}


async def child_units(session: AsyncSession, parent_code: str, level: UnitLevel) -> list[AdminUnit]:
    """The districts of a city or the wards of a district, by code."""
    rows = await session.scalars(
        select(AdminUnit)
        .where(AdminUnit.parent_code == parent_code, AdminUnit.level == level.value)
        .order_by(AdminUnit.code)
    )
    return list(rows)


async def districts_and_wards(session: AsyncSession, city_code: str) -> list[AdminUnit]:
    """The city's districts, then their wards, each with its centre: the map's place names."""
    districts = select(AdminUnit.code).where(AdminUnit.parent_code == city_code).scalar_subquery()
    rows = await session.scalars(
        select(AdminUnit)
        .where(
            or_(AdminUnit.parent_code == city_code, AdminUnit.parent_code.in_(districts)),
            AdminUnit.latitude.is_not(None),
        )
        .order_by(AdminUnit.level, AdminUnit.code)
    )
    return list(rows)


async def district_exists(session: AsyncSession, code: str) -> bool:
    found = await session.scalar(
        select(AdminUnit.code).where(AdminUnit.code == code, AdminUnit.level == UnitLevel.DISTRICT.value)
    )
    return found is not None


async def unit_name(session: AsyncSession, code: str) -> str | None:
    unit = await session.get(AdminUnit, code)
    return unit.name if unit else None
