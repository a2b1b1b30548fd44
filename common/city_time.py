"""The city's clock and calendar: what people read is in Vietnam's time zone and dd/mm/yyyy."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from texts import Lang, text

CITY_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def vn_date(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def vn_time(moment: datetime | None) -> str:
    return moment.astimezone(CITY_TZ).strftime("%H:%M %d/%m/%Y") if moment else ""


def due_by(deadline: datetime) -> tuple[date, int]:
    """A deadline as people say it: the day, and the hour it is due before ("trước 17 giờ")."""
    local = deadline.astimezone(CITY_TZ)
    whole = local.replace(minute=0, second=0, microsecond=0)
    hour = whole if whole == local else whole + timedelta(hours=1)
    if hour.hour == 0:  # due by midnight: before the end of the day before
        return (hour - timedelta(days=1)).date(), 24
    return hour.date(), hour.hour


def vn_deadline(deadline: datetime, lang: Lang = "vi") -> str:
    """A deadline to the hour, never to the minute: "17 giờ ngày 05/12/2026"."""
    day, hour = due_by(deadline)
    return text(lang, "time.deadline", hour=hour, day=vn_date(day))
