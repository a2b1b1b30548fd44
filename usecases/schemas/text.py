"""Text that PostgreSQL and people can both take: no control characters (a NUL byte cannot be stored, and
a request whose text the database refuses would leave its workflow retrying an activity forever)."""

import unicodedata

from pydantic import AfterValidator

_ALLOWED_CONTROLS = frozenset("\n\t")


def _printable(value: str) -> str:
    if any(unicodedata.category(ch) == "Cc" and ch not in _ALLOWED_CONTROLS for ch in value):
        raise ValueError("control characters are not allowed")
    return value


Printable = AfterValidator(_printable)
# A request code or an administrative unit code: letters and digits only.
CODE_PATTERN = r"^[A-Za-z0-9]+$"
