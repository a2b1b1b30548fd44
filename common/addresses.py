"""A normalised address key, so one house in one ward matches however people type it.

"12/3 Lê Thánh Tôn, Phường Bến Nghé, Quận 1", "12/3 Le Thanh Ton, P. Ben Nghe, Q1" and "Số 12/3 Đ. Lê Thánh Tôn
P.Bến Nghé" are one key: diacritics and case go, the abbreviations people really type are spelled out (Q1, Q.1,
P., F., Ph., Đ., HXH…), words that carry no location (số, đường) are dropped, and the administrative tail (ward,
district, city) is cut, since the ward is known by its code and only the house within it is compared.
"""

import re
import unicodedata

# Each typed form, after lower-casing and removing diacritics, and the word it stands for.
_ABBREVIATIONS = {
    "p": "phuong",
    "ph": "phuong",
    "f": "phuong",  # «F.» is how many in the city write phường (from the French «phường» sound)
    "x": "xa",
    "tt": "thi tran",
    "q": "quan",
    "tp": "thanh pho",
    "hcm": "ho chi minh",
    "hxh": "hem",  # hẻm xe hơi: an alley a car enters
    "d": "duong",
}
# Words that say what kind of thing follows, not where: «số 45 đường Lê Lợi» is «45 Lê Lợi».
_NOISE = {"so", "duong"}
# Where the administrative tail begins: the ward (or commune, or town), the district, the city.
_TAIL_WORDS = {"phuong", "xa", "huyen", "tinh"}
_TAIL_PAIRS = {("thi", "tran"), ("thanh", "pho")}
_SEPARATORS = re.compile(r"[^\w/]+")
# «q1», «p12», «f.12»: a letter abbreviation glued to its number.
_GLUED = re.compile(r"\b(q|p|f|ph|x)(\d+)\b")


def strip_diacritics(text: str) -> str:
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")


def _words(address: str) -> list[str]:
    text = strip_diacritics(unicodedata.normalize("NFKC", address).lower())
    text = _GLUED.sub(r"\1 \2", text)
    words: list[str] = []
    for word in _SEPARATORS.split(text):
        if word:
            words.extend(_ABBREVIATIONS.get(word, word).split())
    return words


def _tail_starts(words: list[str], i: int) -> bool:
    word, following = words[i], words[i + 1] if i + 1 < len(words) else ""
    if word in _TAIL_WORDS or (word, following) in _TAIL_PAIRS:
        return True
    # «quận 1» (a numbered district) or «quận» followed by a name: «Quân» alone may be a street's name.
    return word == "quan" and following != ""


def address_key(address: str) -> str:
    words = _words(address)
    end = next((i for i in range(1, len(words)) if _tail_starts(words, i)), len(words))
    return " ".join(w for w in words[:end] if w not in _NOISE)
