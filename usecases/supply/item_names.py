"""An item's name and unit as words in a catalogue text: the name is data (the catalogue of goods holds it in both
languages), the unit is the catalogue's ("unit.kg"); both are rendered in the reader's language with the text."""

from db.supply import SupplyItem
from texts import Lang, Text


class _DataName(Text):
    """A name held as data in Vietnamese and English, filled into a text like a catalogue text."""

    __slots__ = ()

    def render(self, lang: Lang) -> str:
        return str(self.values[lang])


def item_name(item: SupplyItem) -> Text:
    return _DataName(f"item.{item.code}", vi=item.name_vi, en=item.name_en)


def unit_name(item: SupplyItem) -> Text:
    return Text(f"unit.{item.unit}")
