"""Comparing people's names as officials would: without diacritics, in any order, forgiving one typo.

"Nguyễn Thị Hương", "nguyen thi huong", "Huong Nguyen Thi" and "Nguyen Thi Huonh" are one name; "Nguyễn Văn
An" and "Nguyễn Văn Anh" are not (one letter more or less in a short name makes another name).
"""

from rapidfuzz.distance import Levenshtein

from common.addresses import strip_diacritics

_MIN_TOKEN_FOR_TYPO = 4


def name_key(full_name: str) -> str:
    """Lower case, no diacritics, tokens sorted: the form names are stored and compared in."""
    return " ".join(sorted(strip_diacritics(full_name).lower().split()))


def names_match(key_a: str, key_b: str) -> bool:
    a, b = key_a.split(), key_b.split()
    if a == b:
        return True
    if len(a) != len(b):
        # A dropped middle name ("Nguyen Lan" for "Nguyen Thi Lan"): all of the shorter name, one token less.
        shorter, longer = sorted((a, b), key=len)
        return len(longer) - len(shorter) == 1 and len(shorter) >= 2 and set(shorter) <= set(longer)
    different = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
    if len(different) != 1:
        return False
    x, y = different[0]
    return min(len(x), len(y)) >= _MIN_TOKEN_FOR_TYPO and Levenshtein.distance(x, y) <= 1
