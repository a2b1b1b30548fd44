"""Finding the ward in an address as citizens type it ("12 nguyen trai p ben nghe q1").

The parse is a guess to be shown back for the citizen to confirm, never applied silently: free text can
name a ward ambiguously.
"""

from dataclasses import dataclass

from vietnamadminunits import ParseMode, parse_address

from common.addresses import strip_diacritics


@dataclass(frozen=True)
class ParsedAddress:
    ward_code: str
    ward_name: str
    district_code: str
    district_name: str
    street: str | None


def parse_ward(text: str, city_code: str, city_name: str) -> ParsedAddress | None:
    """The ward of `text` within the city (pre-2025 units), or None when it names none there."""
    folded = strip_diacritics(text).lower()
    short_city = strip_diacritics(city_name).lower().removeprefix("thanh pho ").removeprefix("tinh ")
    # The parser needs the province; citizens of the city rarely write it.
    query = text if short_city in folded else f"{text}, {city_name}"
    unit = parse_address(query, mode=ParseMode.LEGACY, level=3)
    if unit.province_code is None or int(unit.province_code) != int(city_code) or unit.ward_code is None:
        return None
    return ParsedAddress(
        ward_code=unit.ward_code,
        ward_name=unit.ward,
        district_code=unit.district_code,
        district_name=unit.district,
        street=unit.street,
    )
