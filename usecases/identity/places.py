"""Where people live: the city's districts and wards for the pickers, and the ward found in a typed address
for the citizen to confirm before registering. Public."""

from db.geography import AdminUnit
from domain.roles import UnitLevel
from services.address_parsing import parse_ward
from services.geography import (
    child_units,
    district_exists,
    districts_and_wards,
    unit_name,
    unit_names,
    ward_with_district,
)
from texts import Lang, Text, text
from usecases.context import Context
from usecases.errors import InvalidInput, NotFound
from usecases.schemas.addresses import AddressText, ParsedWard


async def districts(ctx: Context) -> list[AdminUnit]:
    return await child_units(ctx.session, ctx.settings.city_code, UnitLevel.DISTRICT)


async def map_places(ctx: Context) -> list[AdminUnit]:
    return await districts_and_wards(ctx.session, ctx.settings.city_code)


async def wards(ctx: Context, district_code: str) -> list[AdminUnit]:
    if not await district_exists(ctx.session, district_code):
        raise NotFound(Text("err.no_such_district", district=district_code))
    return await child_units(ctx.session, district_code, UnitLevel.WARD)


async def ward_and_district_names(ctx: Context, ward_code: str) -> tuple[str, str]:
    units = await ward_with_district(ctx.session, ward_code)
    if units is None:
        raise NotFound(Text("err.no_such_ward", ward=ward_code))
    names = await unit_names(ctx.session, units)
    return names[units[0]], names[units[1]]


async def city_name(ctx: Context) -> str:
    """The city's name as addresses write it: the administrative unit's, or the configured one."""
    return await unit_name(ctx.session, ctx.settings.city_code) or ctx.settings.city_name_vi


async def find_ward(ctx: Context, body: AddressText, lang: Lang) -> ParsedWard:
    parsed = parse_ward(body.text, ctx.settings.city_code, await city_name(ctx))
    if parsed is None:
        raise InvalidInput.field("text", "ward_not_found", input=body.text)
    return ParsedWard(
        **parsed.__dict__,
        message=text(lang, "ward.confirm", ward=parsed.ward_name, district=parsed.district_name),
    )
