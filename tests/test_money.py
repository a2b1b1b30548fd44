"""Amounts of money as people type them: whole đồng, with the grouping Vietnamese write, and nothing else."""

import pytest

from texts.validation import TextError
from usecases.schemas.money import whole_vnd


@pytest.mark.parametrize(
    ("typed", "amount"), [(50000, 50000), ("50000", 50000), ("50.000", 50000), ("1,500,000", 1500000), (50000.0, 50000)]
)
def test_amounts_are_whole_dong_as_people_type_them(typed: object, amount: int) -> None:
    assert whole_vnd(typed) == amount


@pytest.mark.parametrize("typed", ["1.5", "1500.5", 1500.5, "năm mươi nghìn", True, ""])
def test_amounts_that_are_not_whole_dong_are_refused(typed: object) -> None:
    with pytest.raises(TextError) as refused:
        whole_vnd(typed)
    assert refused.value.code == "amount_not_whole"
