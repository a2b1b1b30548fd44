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
from usecases.context import Context
from usecases.errors import InvalidInput, NotFound
from usecases.schemas.addresses import AddressText, ParsedWard

_CITY_FALLBACK_NAME = "Thành phố Hồ Chí Minh"


async def districts(ctx: Context) -> list[AdminUnit]:
    return await child_units(ctx.session, ctx.settings.city_code, UnitLevel.DISTRICT)


async def map_places(ctx: Context) -> list[AdminUnit]:
    return await districts_and_wards(ctx.session, ctx.settings.city_code)


async def wards(ctx: Context, district_code: str) -> list[AdminUnit]:
    if not await district_exists(ctx.session, district_code):
        raise NotFound(f"no district with code {district_code}")
    return await child_units(ctx.session, district_code, UnitLevel.WARD)


async def ward_and_district_names(ctx: Context, ward_code: str) -> tuple[str, str]:
    units = await ward_with_district(ctx.session, ward_code)
    if units is None:
        raise NotFound(f"no ward with code {ward_code}")
    names = await unit_names(ctx.session, units)
    return names[units[0]], names[units[1]]


async def find_ward(ctx: Context, body: AddressText) -> ParsedWard:
    city = ctx.settings.city_code
    parsed = parse_ward(body.text, city, await unit_name(ctx.session, city) or _CITY_FALLBACK_NAME)
    if parsed is None:
        raise InvalidInput.field(
            "text",
            "ward_not_found",
            "không tìm thấy phường/xã trong địa chỉ; hãy chọn từ danh sách (no ward found in the address)",
            body.text,
        )
    return ParsedWard(
        **parsed.__dict__,
        message=f"Có phải {parsed.ward_name}, {parsed.district_name}? Vui lòng xác nhận trước khi đăng ký.",
    )
