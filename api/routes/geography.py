"""Districts and wards, for the registration form's pickers and the map's place names (public)."""

from fastapi import APIRouter, Response

from api.deps import UseCases
from api.params import UnitCode
from usecases.identity import places
from usecases.schemas.lists import MapPlace, Unit

router = APIRouter(tags=["geography"])


@router.get("/districts", response_model=list[Unit])
async def districts(ctx: UseCases) -> list[Unit]:
    return [Unit.model_validate(u, from_attributes=True) for u in await places.districts(ctx)]


@router.get("/districts/{code}/wards", response_model=list[Unit])
async def wards(code: UnitCode, ctx: UseCases) -> list[Unit]:
    return [Unit.model_validate(u, from_attributes=True) for u in await places.wards(ctx, code)]


@router.get("/map/places", response_model=list[MapPlace])
async def map_places(ctx: UseCases, response: Response) -> list[MapPlace]:
    # The city's units change by decree, not by the hour: phones keep the list for a day.
    response.headers["Cache-Control"] = "public, max-age=86400"
    return [MapPlace.model_validate(u, from_attributes=True) for u in await places.map_places(ctx)]
