"""One house, however people type it: the spellings seen on the pages and in wards' lists give one address key
(the ward is known by its code, so the administrative tail is not compared)."""

import pytest

from common.addresses import address_key

FULL = "12/3 Lê Thánh Tôn, Phường Bến Nghé, Quận 1"


@pytest.mark.parametrize(
    "typed",
    [
        "12/3 Le Thanh Ton",
        "12/3 Le Thanh Ton, P. Ben Nghe, Q1",
        "12/3 Lê Thánh Tôn, P.Bến Nghé, Q.1",
        "12/3 Lê Thánh Tôn P Bến Nghé Quận 1",
        "12/3 lê thánh tôn, F.Bến Nghé, Q. 1, TP.HCM",
        "12/3 Lê Thánh Tôn, Ph. Bến Nghé, Q1, Thành phố Hồ Chí Minh",
        "Số 12/3 Đường Lê Thánh Tôn, Phường Bến Nghé",
        "số 12/3 Đ. Lê Thánh Tôn",
        "12/3 Đ.Lê Thánh Tôn, phường Bến Nghé, quận 1",
        "１２/３ Lê Thánh Tôn",  # full-width digits from a phone keyboard
    ],
)
def test_the_spellings_people_type_are_one_address(typed: str) -> None:
    assert address_key(typed) == address_key(FULL) == "12/3 le thanh ton"


@pytest.mark.parametrize("typed", ["45 Hẻm 12 Lê Lợi", "45 HXH 12 Lê Lợi", "45 hẻm 12 Lê Lợi, P. Bến Thành"])
def test_an_alley_is_an_alley_however_it_is_written(typed: str) -> None:
    assert address_key(typed) == "45 hem 12 le loi"


def test_different_houses_stay_different() -> None:
    assert address_key("12/3 Lê Thánh Tôn") != address_key("12/5 Lê Thánh Tôn")
    assert address_key("12 Lê Lợi, Phường Bến Nghé") != address_key("12 Lê Lai, Phường Bến Nghé")


def test_a_ward_name_in_a_commune_or_town_is_cut_too() -> None:
    assert address_key("8 Ấp 3, Xã Tân Thông Hội, Huyện Củ Chi") == "8 ap 3"
    assert address_key("8 Ấp 3, Thị trấn Củ Chi") == "8 ap 3"
