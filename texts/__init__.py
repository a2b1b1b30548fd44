"""Every text people read (pages, notifications, API errors), in Vietnamese and English, found by key.

`text(lang, key, **values)` renders one; `Text(key, **values)` holds one until the reader's language is known (a
use case's error, a notification for a citizen). City facts ({hotline}, {city}) come from configuration."""

from string import Formatter
from typing import Any

from texts.catalogue import CATALOGUE
from texts.facts import city_facts
from texts.lang import LANGS, Lang, from_accept_language, normalise_lang

__all__ = ["CATALOGUE", "LANGS", "Lang", "Text", "from_accept_language", "label", "normalise_lang", "text"]


class _KeepUnknown(dict[str, Any]):
    """A placeholder without a value stays as written: a page's script fills some ({n} on the map)."""

    def __missing__(self, name: str) -> str:
        return "{" + name + "}"


class Text:
    """A text by key and values, rendered in the reader's language when it is known."""

    __slots__ = ("key", "values")

    def __init__(self, key: str, /, **values: object) -> None:
        self.key = key
        self.values = values

    def render(self, lang: Lang) -> str:
        return text(lang, self.key, **self.values)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Text) and (self.key, self.values) == (other.key, other.values)

    def __hash__(self) -> int:
        return hash(self.key)

    def __repr__(self) -> str:
        return f"Text({self.key!r}, **{self.values!r})"

    def __str__(self) -> str:
        return self.render("vi")


def text(lang: Lang, key: str, **values: object) -> str:
    pair = CATALOGUE.get(key)
    if pair is None:
        return key  # a missing key shows itself rather than failing a page; tests/test_texts.py finds them
    filled = _KeepUnknown(city_facts().values(lang))
    filled.update({name: v.render(lang) if isinstance(v, Text) else v for name, v in values.items()})
    return Formatter().vformat(pair[LANGS.index(lang)], (), filled)


def label(lang: Lang, table: str, key: str) -> str:
    """A table's entry ("stage", "delivered"); an unknown value shows as itself."""
    found = f"{table}.{key}"
    return text(lang, found) if found in CATALOGUE else key
