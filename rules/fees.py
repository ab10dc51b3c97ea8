"""Information-processing fees (《政府信息公开信息处理费管理办法》, 国办函〔2020〕109号).

One scale per application, never both (Fees art. 4); both progressive by excess.
"""

from __future__ import annotations

from rules.errors import FeeInputError

# Fees art. 5(1), per item (按件), counted per applicant per calendar month.
ITEM_FREE_UP_TO = 10  # 1–10: free
ITEM_FIRST_BAND_END = 30  # 11–30: CNY 100 each
ITEM_FIRST_RATE = 100
ITEM_BAND_SIZE = 10  # from 31 on, each band of ten costs CNY 100 more per item
ITEM_BAND_STEP = 100

# Fees art. 5(2), per volume (按量), per application: (first page of band, CNY per page).
PAGE_BANDS = ((31, 10), (101, 20), (201, 40))  # 1–30 free; 31–100; 101–200; 201 and above
# A bound on input, not a rule: no request runs to a million pages; a larger number is a typo.
MAX_PAGES = 1_000_000
MAX_ITEMS_IN_MONTH = 100_000


def fee_per_item(nth_in_month: int) -> int:
    """Fee in CNY for an applicant's `nth_in_month` application this calendar month.

    Examples: 10th → 0; 11th → 100; 30th → 100; 31st → 200; 41st → 300.
    """
    if nth_in_month < 1:
        raise FeeInputError("必须是正整数", field="nth_in_month")
    if nth_in_month > MAX_ITEMS_IN_MONTH:
        raise FeeInputError(f"件数不能超过 {MAX_ITEMS_IN_MONTH:,}", field="nth_in_month")
    if nth_in_month <= ITEM_FREE_UP_TO:
        return 0
    if nth_in_month <= ITEM_FIRST_BAND_END:
        return ITEM_FIRST_RATE
    band = (nth_in_month - ITEM_FIRST_BAND_END - 1) // ITEM_BAND_SIZE + 1
    return ITEM_FIRST_RATE + band * ITEM_BAND_STEP


def fee_per_volume(pages: int) -> int:
    """Fee in CNY for `pages` pages, each rate on its own portion only.

    Example: 250 pages → 70×10 + 100×20 + 50×40 = 4,700.
    """
    if pages < 1:
        raise FeeInputError("页数必须是正整数", field="pages")
    if pages > MAX_PAGES:
        raise FeeInputError(f"页数不能超过 {MAX_PAGES:,}", field="pages")
    total = 0
    for i, (first, rate) in enumerate(PAGE_BANDS):
        last = PAGE_BANDS[i + 1][0] - 1 if i + 1 < len(PAGE_BANDS) else pages
        if pages >= first:
            total += (min(pages, last) - first + 1) * rate
    return total


def first_item_with_fee(amount: int) -> int | None:
    """The first n whose per-item fee (Fees art. 5(1)) is `amount` CNY (None: no n is).

    Examples: 100 → 11; 200 → 31; 300 → 41; 150 → None; 0 → 1.
    """
    if amount == 0:
        return 1
    if amount < ITEM_FIRST_RATE or (amount - ITEM_FIRST_RATE) % ITEM_BAND_STEP:
        return None
    band = (amount - ITEM_FIRST_RATE) // ITEM_BAND_STEP
    n = ITEM_FREE_UP_TO + 1 if band == 0 else ITEM_FIRST_BAND_END + (band - 1) * ITEM_BAND_SIZE + 1
    return n if n <= MAX_ITEMS_IN_MONTH else None


def fee_items_total(count_in_month: int) -> int:
    """Total fees for applications 1..count_in_month of one applicant in one month."""
    return sum(fee_per_item(n) for n in range(1, count_in_month + 1))
