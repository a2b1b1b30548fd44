"""The VietQR code a helper scans to pay a household: NAPAS 247's EMVCo merchant-presented payload for a transfer
to an account, with the exact amount and the pledge's reference, so the banking app fills in everything.

A payload is a row of fields, each an ID (two digits), a length (two digits) and a value; some values are rows of
fields themselves. The last field is a CRC-16/CCITT-FALSE over everything before its value, "6304" included.

Built here, not with `vietnam-qr-pay` (1.0.0, the Python port of the best-known VietQR library): its builder
drops empty fields without a word and writes a three-digit length for a value over 99 characters, takes the
amount as any string, leaves the reference's length and alphabet unchecked, and its bank list gives one BIN to two
banks. A payload that a bank app refuses, or reads as another amount, is a helper's money at stake; this builder
refuses such input instead.
"""

from collections.abc import Mapping
from typing import TypeAlias

from domain.banks import account_number_valid, bank_by_bin

NAPAS_GUID = "A000000727"
SERVICE_TRANSFER_TO_ACCOUNT = "QRIBFTTA"
PURPOSE_MAX_LENGTH = 25
_AMOUNT_MAX_DIGITS = 13  # EMVCo's transaction amount field

# Root IDs whose value is itself a row of fields: merchant account information (26-51), additional data (62),
# the alternate language template (64) and the unreserved templates (80-99).
_ROOT_TEMPLATES = frozenset({*(f"{n:02d}" for n in range(26, 52)), "62", "64", *(f"{n:02d}" for n in range(80, 100))})
_CRC_ID = "63"

Fields: TypeAlias = dict[str, "str | Fields"]


def crc16_ccitt(data: bytes) -> int:
    """CRC-16/CCITT-FALSE: polynomial 0x1021, initial 0xFFFF, no reflection, no final XOR."""
    crc = 0xFFFF
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
        crc &= 0xFFFF
    return crc


def transfer_payload(bank_bin: str, account_number: str, amount_vnd: int, purpose: str) -> str:
    """The payload for a transfer of `amount_vnd` to an account, with `purpose` (the pledge's reference) as the
    transfer's content. Raises ValueError, naming what is wrong but never the account number itself."""
    bank = bank_by_bin(bank_bin)
    if bank is None:
        raise ValueError(f"bank BIN {bank_bin!r} is not a NAPAS 247 participant we know")
    if not account_number_valid(bank, account_number):
        raise ValueError(
            f"an account number at {bank.short_name} is {bank.account_min_digits} to {bank.account_max_digits} "
            "digits, nothing else"
        )
    if isinstance(amount_vnd, bool) or not isinstance(amount_vnd, int):
        raise ValueError("the amount is a whole number of VND")
    if amount_vnd <= 0:
        raise ValueError("the amount must be above zero")
    if len(str(amount_vnd)) > _AMOUNT_MAX_DIGITS:
        raise ValueError(f"the amount has more than {_AMOUNT_MAX_DIGITS} digits")
    _check_purpose(purpose)
    return encode_payload(
        {
            "00": "01",  # payload format indicator
            "01": "12",  # point of initiation: dynamic, the code carries an amount
            "38": {
                "00": NAPAS_GUID,
                "01": {"00": bank.bin, "01": account_number},
                "02": SERVICE_TRANSFER_TO_ACCOUNT,
            },
            "53": "704",  # VND, ISO 4217
            "54": str(amount_vnd),
            "58": "VN",
            "62": {"08": purpose},  # purpose of transaction: what the receiving bank shows as the content
        }
    )


def _check_purpose(purpose: str) -> None:
    if not purpose.strip():
        raise ValueError("the reference is empty")
    if len(purpose) > PURPOSE_MAX_LENGTH:
        raise ValueError(f"the reference {purpose!r} is longer than {PURPOSE_MAX_LENGTH} characters")
    # Printable ASCII only: banks drop or garble diacritics and control characters in a transfer's content, and a
    # reference that arrives changed cannot be matched to its pledge.
    if not all(" " <= char <= "~" for char in purpose):
        raise ValueError(f"the reference {purpose!r} has characters other than ASCII letters, digits and signs")


def encode_payload(fields: Mapping[str, "str | Fields"]) -> str:
    """The fields in their order, then the CRC field computed over them."""
    if _CRC_ID in fields:
        raise ValueError("the CRC field is computed, not given")
    body = _encode(fields) + _CRC_ID + "04"
    return body + f"{crc16_ccitt(body.encode('ascii')):04X}"


def _encode(fields: Mapping[str, "str | Fields"]) -> str:
    parts = []
    for field_id, value in fields.items():
        text = value if isinstance(value, str) else _encode(value)
        if len(field_id) != 2 or not field_id.isdigit():
            raise ValueError(f"field ID {field_id!r} is not two digits")
        if not text or len(text) > 99:
            raise ValueError(f"field {field_id} must hold 1 to 99 characters, not {len(text)}")
        parts.append(f"{field_id}{len(text):02d}{text}")
    return "".join(parts)


def parse_payload(payload: str) -> Fields:
    """The fields of a payload whose CRC holds, templates decoded into nested rows (NAPAS's beneficiary in 38/01
    too); the CRC stays under "63". Raises ValueError for a malformed payload or a CRC that does not match."""
    if not payload.isascii():
        raise ValueError("a payload is ASCII")
    if len(payload) < 8 or payload[-8:-4] != _CRC_ID + "04":
        raise ValueError("the payload does not end with its CRC field")
    expected = f"{crc16_ccitt(payload[:-4].encode('ascii')):04X}"
    if payload[-4:].upper() != expected:
        raise ValueError(f"CRC {payload[-4:]} does not match the payload's {expected}")
    fields: Fields = {}
    for field_id, value in _decode(payload).items():
        fields[field_id] = _template(field_id, value) if field_id in _ROOT_TEMPLATES else value
    if next(iter(fields)) != "00":
        raise ValueError("a payload starts with its format indicator (ID 00)")
    return fields


def _template(field_id: str, value: str) -> Fields:
    template: Fields = {**_decode(value)}
    beneficiary = template.get("01")
    if field_id == "38" and template.get("00") == NAPAS_GUID and isinstance(beneficiary, str):
        template["01"] = {**_decode(beneficiary)}
    return template


def _decode(text: str) -> dict[str, str]:
    fields: dict[str, str] = {}
    position = 0
    while position < len(text):
        header = text[position : position + 4]
        if len(header) < 4 or not header.isdigit():
            raise ValueError(f"no field ID and length at position {position}")
        field_id, length = header[:2], int(header[2:])
        value = text[position + 4 : position + 4 + length]
        if len(value) != length:
            raise ValueError(f"field {field_id} says {length} characters but {len(value)} follow")
        if field_id in fields:
            raise ValueError(f"field {field_id} appears twice")
        fields[field_id] = value
        position += 4 + length
    return fields
