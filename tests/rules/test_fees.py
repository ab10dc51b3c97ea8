"""rules.fees: information-processing fees (国办函〔2020〕109号, rulebook §7)."""

from __future__ import annotations

import pytest

from rules import fees
from rules.errors import FeeInputError
from rules.fees import fee_items_total, fee_per_item, fee_per_volume


@pytest.mark.parametrize(
    ("pages", "yuan"),
    [
        (1, 0),  # 1–30 free
        (30, 0),  # last free page
        (31, 10),  # first page at CNY 10
        (100, 700),  # 70 × 10
        (101, 720),  # 70 × 10 + 1 × 20
        (200, 2700),  # 70 × 10 + 100 × 20
        (201, 2740),  # 70 × 10 + 100 × 20 + 1 × 40
        (250, 4700),  # domain example: 70 × 10 + 100 × 20 + 50 × 40
    ],
    ids=lambda v: str(v),
)
def test_fee_per_volume(pages: int, yuan: int) -> None:
    assert fee_per_volume(pages) == yuan


@pytest.mark.parametrize(
    ("nth", "yuan"),
    [
        (1, 0),  # 1–10 free
        (10, 0),
        (11, 100),  # 11–30: CNY 100
        (30, 100),
        (31, 200),  # 31–40: CNY 200
        (40, 200),
        (41, 300),  # 41–50: CNY 300
        (50, 300),
        (51, 400),  # each band of ten CNY 100 more
    ],
    ids=lambda v: str(v),
)
def test_fee_per_item(nth: int, yuan: int) -> None:
    assert fee_per_item(nth) == yuan


def test_fee_items_total() -> None:
    # 1–10 free, 11–30 20 × 100, 31–35 5 × 200.
    assert fee_items_total(35) == 2000 + 1000
    assert fee_items_total(10) == 0


@pytest.mark.parametrize(
    ("func", "value", "field"),
    [
        (fee_per_volume, 0, "pages"),
        (fee_per_volume, -3, "pages"),
        (fee_per_item, 0, "nth_in_month"),
    ],
    ids=["zero-pages", "negative-pages", "zeroth-item"],
)
def test_nonsense_input_is_refused(func, value: int, field: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(FeeInputError) as info:
        func(value)
    assert info.value.field == field


@pytest.mark.parametrize("pages", [fees.MAX_PAGES + 1, 10**20])
def test_an_absurd_page_count_is_refused(pages: int) -> None:
    with pytest.raises(FeeInputError) as err:
        fees.fee_per_volume(pages)
    assert err.value.field == "pages"
    assert fees.fee_per_volume(fees.MAX_PAGES) > 0  # the bound itself is still counted


@pytest.mark.parametrize("amount", [0, 100, 200, 300, 1000, 150, 50, 99, 201])
def test_first_item_with_fee_inverts_the_scale(amount: int) -> None:
    """Checked against the scale itself, n by n (not against the function's own formula)."""
    found = next((n for n in range(1, 2_000) if fees.fee_per_item(n) == amount), None)
    assert fees.first_item_with_fee(amount) == found
