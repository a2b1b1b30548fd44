"""Text that PostgreSQL and people can both take: no control characters (a NUL byte cannot be stored, and
a request whose text the database refuses would leave its workflow retrying an activity forever)."""

import unicodedata
from typing import Annotated

from fastapi import Path
from pydantic import AfterValidator

_ALLOWED_CONTROLS = frozenset("\n\t")


def _printable(value: str) -> str:
    if any(unicodedata.category(ch) == "Cc" and ch not in _ALLOWED_CONTROLS for ch in value):
        raise ValueError("control characters are not allowed")
    return value


Printable = AfterValidator(_printable)
CODE_PATTERN = r"^[A-Za-z0-9]+$"
# A request code (or an administrative unit code) in a path: letters and digits only.
RequestCode = Annotated[str, Path(min_length=1, max_length=16, pattern=CODE_PATTERN)]
UnitCode = Annotated[str, Path(min_length=1, max_length=16, pattern=CODE_PATTERN)]
