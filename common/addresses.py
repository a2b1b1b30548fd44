"""A normalised address key, so "12 Nguyễn Trãi" and "12 nguyen trai" in one ward match."""

import re
import unicodedata

_ABBREVIATIONS = {
    "d": "duong",
    "p": "phuong",
    "x": "xa",
    "tt": "thi tran",
    "q": "quan",
    "tp": "thanh pho",
    "hcm": "ho chi minh",
}
_SEPARATORS = re.compile(r"[^\w/]+")


def strip_diacritics(text: str) -> str:
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")


def address_key(address: str) -> str:
    words = _SEPARATORS.split(strip_diacritics(address.lower()))
    return " ".join(_ABBREVIATIONS.get(w, w) for w in words if w)
