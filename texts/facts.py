"""Facts about the city that texts quote ({hotline}, {city}): configuration, so one number is changed in one place
and another city deploys without editing a sentence."""

from functools import lru_cache

from pydantic import BaseModel

from texts.lang import LANGS, Lang


class CityFacts(BaseModel):
    hotline: str
    city: tuple[str, str]  # the city's name as Vietnamese and English sentences write it

    def values(self, lang: Lang) -> dict[str, str]:
        return {"hotline": self.hotline, "city": self.city[LANGS.index(lang)]}


@lru_cache
def city_facts() -> CityFacts:
    from common.settings import get_settings  # here: settings import the domain, whose errors import texts

    settings = get_settings()
    return CityFacts(hotline=settings.city_hotline, city=(settings.city_name_vi, settings.city_name_en))
