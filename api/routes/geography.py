"""Districts and wards, for the registration form's pickers (public)."""

from fastapi import APIRouter

from api.deps import UseCases
from api.params import UnitCode
from usecases.identity import places
from usecases.schemas.lists import Unit

router = APIRouter(tags=["geography"])


@router.get("/districts", response_model=list[Unit])
async def districts(ctx: UseCases) -> list[Unit]:
    return [Unit.model_validate(u, from_attributes=True) for u in await places.districts(ctx)]


@router.get("/districts/{code}/wards", response_model=list[Unit])
async def wards(code: UnitCode, ctx: UseCases) -> list[Unit]:
    return [Unit.model_validate(u, from_attributes=True) for u in await places.wards(ctx, code)]
