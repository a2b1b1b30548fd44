"""What the spoilage watch tells a place's staff and the city, in Vietnamese (staff read it on their phones)."""

from datetime import date
from decimal import Decimal

from common.city_time import vn_date
from domain.spoilage import FlagKind
from services.notification_text import render

FLAG_MESSAGES: dict[FlagKind, str] = {
    FlagKind.EXPIRING: "Lô {item} tại {place} hết hạn ngày {expires_on} (còn {quantity} {unit}): "
    "cần dùng hoặc điều chuyển trước hạn.",
    FlagKind.WRITE_OFF: "Lô {item} tại {place} đã hết hạn ngày {expires_on} và bị khóa (còn {quantity} {unit}): "
    "cần ghi hủy.",
}


def flag_message(kind: FlagKind, item: str, place: str, expires_on: date, quantity: Decimal, unit: str) -> str:
    values: dict[str, object] = {
        "item": item,
        "place": place,
        "expires_on": vn_date(expires_on),
        "quantity": f"{quantity.normalize():f}",
        "unit": unit,
    }
    return render(FLAG_MESSAGES[kind], values)
