"""The two languages people read An Sinh in, and which one a request asks for."""

from typing import Literal

Lang = Literal["vi", "en"]
LANGS: tuple[Lang, ...] = ("vi", "en")


def normalise_lang(value: str | None) -> Lang:
    return "en" if value == "en" else "vi"


def from_accept_language(header: str | None) -> Lang:
    """The caller's first choice that we speak, by its q-values; Vietnamese when it names neither (the city's)."""
    best: tuple[float, Lang] | None = None
    for part in (header or "").split(","):
        tag, _, params = part.strip().partition(";")
        primary = tag.strip().lower().split("-")[0]
        if primary not in LANGS:
            continue
        weight = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        if weight <= 0:
            continue
        # Equal weights keep the caller's order: earlier wins.
        if best is None or weight > best[0]:
            best = (weight, normalise_lang(primary))
    return best[1] if best else "vi"
