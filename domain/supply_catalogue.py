"""The supply catalogue as data: items with their unit and shelf life, the food bag's contents by version, and
the city's warehouses and institutions that are not derived from its wards and districts."""

from datetime import date
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from domain.supply import FOOD_BAG, PlaceKind


class ItemSpec(BaseModel):
    model_config = ConfigDict(frozen=True)

    code: str = Field(pattern=r"^[a-z][a-z0-9_]{1,31}$")
    name_vi: str
    name_en: str
    unit: str  # kg, L, pack, can, piece, box, bottle, bag
    category: str
    perishable: bool
    shelf_life_days: int = Field(gt=0)
    # Counted in whole units (a can, a bag); kg and L may be fractional.
    whole_units: bool = True


class KitLine(BaseModel):
    model_config = ConfigDict(frozen=True)

    item_code: str
    quantity: Decimal = Field(gt=0)


class KitVersion(BaseModel):
    model_config = ConfigDict(frozen=True)

    kit_code: str
    version: int = Field(ge=1)
    effective_from: date
    lines: tuple[KitLine, ...]

    @model_validator(mode="after")
    def _distinct_items(self) -> "KitVersion":
        codes = [line.item_code for line in self.lines]
        if not codes or len(set(codes)) != len(codes):
            raise ValueError("a kit lists each item once, and at least one")
        return self


class FixedPlace(BaseModel):
    """A place named by the city, not one per ward or district."""

    model_config = ConfigDict(frozen=True)

    code: str
    kind: PlaceKind
    name: str
    district_code: str
    latitude: float
    longitude: float


def _item(code: str, vi: str, en: str, unit: str, category: str, perishable: bool, days: int) -> ItemSpec:
    return ItemSpec(
        code=code,
        name_vi=vi,
        name_en=en,
        unit=unit,
        category=category,
        perishable=perishable,
        shelf_life_days=days,
        whole_units=unit not in ("kg", "L"),
    )


ITEMS: tuple[ItemSpec, ...] = (
    _item("rice", "Gạo", "Rice", "kg", "grain", False, 365),
    _item("instant_noodles", "Mì gói", "Instant noodles", "pack", "grain", False, 180),
    _item("instant_porridge", "Cháo gói", "Instant porridge", "pack", "grain", False, 180),
    _item("cooking_oil", "Dầu ăn", "Cooking oil", "L", "condiment", False, 365),
    _item("fish_sauce", "Nước mắm", "Fish sauce", "bottle", "condiment", False, 540),
    _item("soy_sauce", "Nước tương", "Soy sauce", "bottle", "condiment", False, 365),
    _item("sugar", "Đường", "Sugar", "kg", "condiment", False, 730),
    _item("salt", "Muối", "Salt", "kg", "condiment", False, 730),
    _item("canned_fish", "Cá hộp", "Canned fish", "can", "protein", False, 730),
    _item("canned_meat", "Thịt hộp", "Canned meat", "can", "protein", False, 730),
    _item("eggs", "Trứng", "Eggs", "piece", "protein", True, 21),
    _item("fresh_meat", "Thịt tươi", "Fresh meat", "kg", "protein", True, 3),
    _item("vegetables", "Rau củ", "Vegetables", "kg", "fresh_produce", True, 5),
    _item("fruit", "Trái cây", "Fruit", "kg", "fresh_produce", True, 7),
    _item("uht_milk", "Sữa tiệt trùng", "UHT milk", "box", "dairy", False, 180),
    _item("infant_formula", "Sữa bột trẻ em", "Infant formula", "can", "dairy", False, 540),
    _item("face_masks", "Khẩu trang", "Face masks", "box", "hygiene", False, 1095),
    _item("soap", "Xà phòng", "Soap", "bar", "hygiene", False, 1095),
    _item("diapers", "Tã em bé", "Diapers", "pack", "hygiene", False, 1095),
    _item(FOOD_BAG, "Túi an sinh", "Food bag", "bag", "kit", True, 5),
)

FOOD_BAG_KITS: tuple[KitVersion, ...] = (
    KitVersion(
        kit_code=FOOD_BAG,
        version=1,
        effective_from=date(2021, 7, 1),
        lines=(
            KitLine(item_code="rice", quantity=Decimal(10)),
            KitLine(item_code="cooking_oil", quantity=Decimal(1)),
            KitLine(item_code="instant_noodles", quantity=Decimal(10)),
            KitLine(item_code="canned_fish", quantity=Decimal(5)),
            KitLine(item_code="vegetables", quantity=Decimal(2)),
        ),
    ),
)

FIXED_PLACES: tuple[FixedPlace, ...] = (
    FixedPlace(
        code="KHO-TP-1",
        kind=PlaceKind.CITY_WAREHOUSE,
        name="Kho Trung tâm An sinh số 1",
        district_code="766",
        latitude=10.8117,
        longitude=106.6653,
    ),
    FixedPlace(
        code="KHO-TP-2",
        kind=PlaceKind.CITY_WAREHOUSE,
        name="Kho Trung tâm An sinh số 2 (chợ Bình Điền)",
        district_code="785",
        latitude=10.7066,
        longitude=106.6051,
    ),
    FixedPlace(
        code="BV-CHO-RAY",
        kind=PlaceKind.HOSPITAL,
        name="Bệnh viện Chợ Rẫy",
        district_code="774",
        latitude=10.7578,
        longitude=106.6595,
    ),
    FixedPlace(
        code="BV-115",
        kind=PlaceKind.HOSPITAL,
        name="Bệnh viện Nhân dân 115",
        district_code="771",
        latitude=10.7757,
        longitude=106.6675,
    ),
    FixedPlace(
        code="BV-HOI-SUC-COVID",
        kind=PlaceKind.HOSPITAL,
        name="Bệnh viện Hồi sức COVID-19",
        district_code="769",
        latitude=10.8495,
        longitude=106.7717,
    ),
    FixedPlace(
        code="KCL-KTX-DHQG",
        kind=PlaceKind.QUARANTINE_AREA,
        name="Khu cách ly tập trung Ký túc xá ĐHQG",
        district_code="769",
        latitude=10.8797,
        longitude=106.8055,
    ),
    FixedPlace(
        code="BEP-Q8",
        kind=PlaceKind.COMMUNITY_KITCHEN,
        name="Bếp ăn cộng đồng Quận 8",
        district_code="776",
        latitude=10.7240,
        longitude=106.6286,
    ),
)
