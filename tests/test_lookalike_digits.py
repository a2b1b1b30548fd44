"""Identifiers written with look-alike digits (full-width, Arabic-Indic) are one identifier or none: a CCCD typed
in full-width digits is the same household as the ASCII one, never a new household that gets a second bag."""

import pytest
from pydantic import ValidationError

from domain.identity import normalise_national_id, normalise_phone
from tests.factories import WARD
from usecases.schemas.citizen import OtpVerificationBody
from usecases.schemas.registration import RegistrationForm

FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
CCCD, PHONE = "079203004005", "0912345678"


def test_a_full_width_national_id_is_the_ascii_one() -> None:
    assert normalise_national_id(CCCD.translate(FULL_WIDTH)) == CCCD
    assert normalise_national_id("０７９ ２０３ ００４ ００５") == CCCD


def test_a_full_width_phone_is_the_ascii_one() -> None:
    assert normalise_phone(PHONE.translate(FULL_WIDTH)) == "+84912345678"


@pytest.mark.parametrize("value", [CCCD.translate(ARABIC_INDIC), "079203004٠٠5"])
def test_other_scripts_digits_are_refused_as_a_national_id(value: str) -> None:
    with pytest.raises(ValueError):
        normalise_national_id(value)


def test_other_scripts_digits_are_refused_as_a_phone() -> None:
    with pytest.raises(ValueError):
        normalise_phone(PHONE.translate(ARABIC_INDIC))


def test_every_identifier_of_the_registration_form_is_normalised() -> None:
    form = RegistrationForm.model_validate(
        {
            "full_name": "Trần Thị Thu Hà",
            "national_id": CCCD.translate(FULL_WIDTH),
            "phone": PHONE.translate(FULL_WIDTH),
            "address": "12/3 Lê Thánh Tôn",
            "ward_code": WARD.translate(FULL_WIDTH),
            "household_size": 3,
        }
    )
    assert (form.national_id, form.phone, form.ward_code) == (CCCD, "+84912345678", WARD)
    with pytest.raises(ValidationError):
        RegistrationForm.model_validate(
            {
                "full_name": "Trần Thị Thu Hà",
                "national_id": CCCD,
                "phone": PHONE,
                "address": "12/3 Lê Thánh Tôn",
                "ward_code": WARD.translate(ARABIC_INDIC),
                "household_size": 3,
            }
        )


def test_a_one_time_code_in_full_width_digits_is_the_ascii_one() -> None:
    assert OtpVerificationBody(phone=PHONE, code="１２３４５６").code == "123456"
    with pytest.raises(ValidationError):
        OtpVerificationBody(phone=PHONE, code="١٢٣٤٥٦")
