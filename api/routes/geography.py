"""Districts and wards, for the registration form's pickers (public)."""

from fastapi import APIRouter, HTTPException, status
from sqlalchemy import select

from api.deps import AppSettings, DbSession
from api.schemas.lists import Unit
from api.schemas.text import UnitCode
from db.geography import AdminUnit
from domain.roles import UnitLevel

router = APIRouter(tags=["geography"])


@router.get("/districts", response_model=list[Unit])
async def districts(session: DbSession, settings: AppSettings) -> list[Unit]:
    rows = await session.scalars(
        select(AdminUnit)
        .where(AdminUnit.level == UnitLevel.DISTRICT.value, AdminUnit.parent_code == settings.city_code)
        .order_by(AdminUnit.code)
    )
    return [Unit.model_validate(u, from_attributes=True) for u in rows]


@router.get("/districts/{code}/wards", response_model=list[Unit])
async def wards(code: UnitCode, session: DbSession) -> list[Unit]:
    district = await session.scalar(
        select(AdminUnit.code).where(AdminUnit.code == code, AdminUnit.level == UnitLevel.DISTRICT.value)
    )
    if district is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=f"no district with code {code}")
    rows = await session.scalars(
        select(AdminUnit)
        .where(AdminUnit.parent_code == code, AdminUnit.level == UnitLevel.WARD.value)
        .order_by(AdminUnit.code)
    )
    return [Unit.model_validate(u, from_attributes=True) for u in rows]
