"""Identity fields as citizens type them: phone formats, CMND/CCCD forms, birth years, addresses."""

import pytest

from common.addresses import address_key
from domain.identity import cccd_birth_year, check_birth_year, mask_phone, normalise_national_id, normalise_phone
from services.address_parsing import parse_ward
from texts import Text
from texts.validation import TextError


@pytest.mark.parametrize("typed", ["0912345678", "0912 345 678", "+84 912 345 678", "84912345678", "091.234.5678"])
def test_vietnamese_phone_formats_normalise_to_e164(typed: str) -> None:
    assert normalise_phone(typed) == "+84912345678"


@pytest.mark.parametrize("typed", ["+1 202 555 0100", "12345", "09123", "không có"])
def test_foreign_or_malformed_phones_are_refused(typed: str) -> None:
    with pytest.raises(ValueError):
        normalise_phone(typed)


def test_cccd_carries_province_sex_century_and_birth_year() -> None:
    assert normalise_national_id("079 203 004 005") == "079203004005"
    assert cccd_birth_year("079203004005") == 2003  # 2: a man born in the 21st century
    assert cccd_birth_year("001185012345") == 1985  # 1: a woman born in the 20th century
    check_birth_year("079203004005", 2003)
    with pytest.raises(TextError) as mismatch:
        check_birth_year("079203004005", 1983)
    assert mismatch.value.code == "national_id_birth_year_mismatch"


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("003185012345", "national_id_province"),  # no province has code 003
        ("079985012345", "national_id_future_birth_year"),  # digit 9: a woman born in the 24th century
        ("07918501234", "national_id_digits"),
        ("07918501234X", "national_id_digits"),
    ],
)
def test_impossible_national_ids_are_refused(typed: str, code: str) -> None:
    with pytest.raises(TextError) as refused:
        normalise_national_id(typed)
    assert refused.value.code == code
    if code == "national_id_province":
        assert refused.value.text == Text("err.national_id_province", province="003")


def test_old_nine_digit_cmnd_is_accepted() -> None:
    assert normalise_national_id("025 123 456") == "025123456"


def test_masking_keeps_only_what_recognition_needs() -> None:
    assert mask_phone("+84912345678") == "0912***678"


def test_address_key_ignores_diacritics_case_and_abbreviations() -> None:
    assert address_key("12 Đường Nguyễn Trãi, P. Bến Nghé") == address_key("12 duong nguyen trai phuong ben nghe")


@pytest.mark.parametrize(
    ("typed", "ward_code"),
    [
        ("12 nguyen trai p ben nghe q1", "26740"),
        ("45 Lê Lợi, Phường Bến Nghé, Quận 1, TP.HCM", "26740"),
        ("hẻm 12 Tân Định, Quận 1", "26734"),
    ],
)
def test_the_ward_is_found_in_a_typed_address(typed: str, ward_code: str) -> None:
    parsed = parse_ward(typed, "79", "Thành phố Hồ Chí Minh")
    assert parsed is not None and parsed.ward_code == ward_code and parsed.district_code == "760"


@pytest.mark.parametrize("typed", ["abc xyz", "12 Tràng Tiền, Hoàn Kiếm, Hà Nội"])
def test_an_address_outside_the_city_names_no_ward(typed: str) -> None:
    assert parse_ward(typed, "79", "Thành phố Hồ Chí Minh") is None
