"""Amounts of money as people type them into forms and the API: whole đồng."""

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from texts.validation import TextError

_GROUPED = re.compile(r"[0-9]{1,3}([.,][0-9]{3})+")


def whole_vnd(value: Any) -> Any:
    """A whole number of đồng: 50000, "50000", "50.000" as Vietnamese write it, or 50000.0; never 50000.5,
    "1.5" or "năm mươi nghìn". None stays None (an absent field)."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise TextError("amount_not_whole")
    if isinstance(value, str):
        value = value.strip()
        if _GROUPED.fullmatch(value):
            value = value.replace(".", "").replace(",", "")
    try:
        number = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise TextError("amount_not_whole") from None
    if not number.is_finite() or number != number.to_integral_value():
        raise TextError("amount_not_whole")
    return int(number)
