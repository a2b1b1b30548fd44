"""Validation and normalisation of the identity fields citizens and couriers type in.

Phone numbers are parsed by `phonenumbers` and kept in E.164; national ID numbers are the old CMND
(9 digits) or the CCCD (12 digits). Both are normalised before hashing so that "0912 345 678" and
"+84912345678" match.
"""

import re
from typing import Annotated

import phonenumbers
from pydantic import AfterValidator

_NON_DIGITS = re.compile(r"[\s.\-]")


def normalise_national_id(value: str) -> str:
    digits = _NON_DIGITS.sub("", value.strip())
    if not digits.isdigit() or len(digits) not in (9, 12):
        raise ValueError("số CMND/CCCD phải gồm 9 hoặc 12 chữ số (national ID must be 9 or 12 digits)")
    return digits


def normalise_phone(value: str) -> str:
    try:
        parsed = phonenumbers.parse(value.strip(), "VN")
    except phonenumbers.NumberParseException as exc:
        raise ValueError("số điện thoại không hợp lệ (not a phone number)") from exc
    if parsed.country_code != 84 or not phonenumbers.is_valid_number(parsed):
        raise ValueError("số điện thoại Việt Nam không hợp lệ (not a valid Vietnamese phone number)")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def mask_phone(e164: str) -> str:
    """Shown to people who need to recognise a number, not to dial it: 0912***678."""
    local = "0" + e164.removeprefix("+84")
    return f"{local[:4]}***{local[-3:]}"


def mask_national_id(national_id: str) -> str:
    return f"{'*' * (len(national_id) - 4)}{national_id[-4:]}"


NationalId = Annotated[str, AfterValidator(normalise_national_id)]
VietnamesePhone = Annotated[str, AfterValidator(normalise_phone)]
