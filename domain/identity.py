"""Validation and normalisation of the identity fields citizens, officials and couriers type in.

Phone numbers are parsed by `phonenumbers` and kept in E.164. National ID numbers are the old CMND
(9 digits) or the CCCD (12 digits: a province code, a digit for sex and century of birth, the last two
digits of the birth year, then six random digits). Both are normalised before hashing, so that
"0912 345 678" and "+84912345678" match.
"""

import re
import unicodedata
from datetime import date
from functools import lru_cache
from typing import Annotated

import phonenumbers
from pydantic import AfterValidator
from vietnamadminunits.database import query

from texts.validation import TextError

_NON_DIGITS = re.compile(r"[\s.\-]")
_ASCII_DIGITS = re.compile(r"[0-9]+")
# The CCCD's fourth digit: even for men, odd for women; each pair is one century from 1900.
_CENTURY_BASE = {digit: 1900 + 100 * (digit // 2) for digit in range(10)}


@lru_cache
def province_codes() -> frozenset[str]:
    """The 63 pre-2025 province codes, which are the first three digits of a CCCD (zero-padded)."""
    rows = query("SELECT DISTINCT provinceCode FROM admin_units_legacy")
    return frozenset(f"{int(r['provinceCode']):03d}" for r in rows)


def cccd_birth_year(cccd: str) -> int:
    return _CENTURY_BASE[int(cccd[3])] + int(cccd[4:6])


def plain_text(value: str) -> str:
    """NFKC: full-width and other compatibility forms become their plain letters and digits, so "０７９…" and
    "079…" are one identifier (and one keyed hash), never two households."""
    return unicodedata.normalize("NFKC", value).strip()


def normalise_national_id(value: str) -> str:
    digits = _NON_DIGITS.sub("", plain_text(value))
    # ASCII digits only: str.isdigit() also takes Arabic-Indic and other scripts' digits, which NFKC keeps.
    if not _ASCII_DIGITS.fullmatch(digits) or len(digits) not in (9, 12):
        raise TextError("national_id_digits")
    if len(digits) == 12:
        if digits[:3] not in province_codes():
            raise TextError("national_id_province", province=digits[:3])
        if cccd_birth_year(digits) > date.today().year:
            raise TextError("national_id_future_birth_year")
    return digits


def check_birth_year(national_id: str, birth_year: int | None) -> None:
    """A CCCD carries its holder's birth year: a stated one must agree."""
    if birth_year is not None and len(national_id) == 12 and cccd_birth_year(national_id) != birth_year:
        raise TextError("national_id_birth_year_mismatch")


_SMS_TYPES = (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE)


def _parsed_phone(value: str, invalid: str) -> phonenumbers.PhoneNumber:
    """The number, or TextError with the code `invalid` (a mobile field says what a mobile number looks like)."""
    value = plain_text(value)
    if any(ch.isdigit() and not ch.isascii() for ch in value):
        raise TextError("phone_digits")
    try:
        parsed = phonenumbers.parse(value, "VN")
    except phonenumbers.NumberParseException as exc:
        raise TextError(invalid) from exc
    if parsed.country_code != 84 or not phonenumbers.is_valid_number(parsed):
        raise TextError(invalid)
    return parsed


def normalise_phone(value: str) -> str:
    """Any Vietnamese number, landlines too (a household's contact on a ward's list)."""
    return phonenumbers.format_number(_parsed_phone(value, "phone_invalid"), phonenumbers.PhoneNumberFormat.E164)


def normalise_mobile_phone(value: str) -> str:
    """A number that can receive the SMS a citizen signs in with and is told news by: a landline (028 3822 1234)
    is refused here, at registration, rather than silently never getting a code."""
    parsed = _parsed_phone(value, "mobile_phone_invalid")
    if phonenumbers.number_type(parsed) not in _SMS_TYPES:
        raise TextError("phone_landline")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def mask_phone(e164: str) -> str:
    """Shown to people who need to recognise a number, not to dial it: 0912***678."""
    local = "0" + e164.removeprefix("+84")
    return f"{local[:4]}***{local[-3:]}"


def mask_national_id(national_id: str) -> str:
    return f"{'*' * (len(national_id) - 4)}{national_id[-4:]}"


NationalId = Annotated[str, AfterValidator(normalise_national_id)]
VietnamesePhone = Annotated[str, AfterValidator(normalise_phone)]
MobilePhone = Annotated[str, AfterValidator(normalise_mobile_phone)]
