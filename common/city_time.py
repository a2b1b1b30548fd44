"""The city's clock and calendar: what people read is in Vietnam's time zone and dd/mm/yyyy."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

CITY_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def vn_date(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def vn_time(moment: datetime | None) -> str:
    return moment.astimezone(CITY_TZ).strftime("%H:%M %d/%m/%Y") if moment else ""
