"""Trend labels: the most recent 3 complete months against the 3 complete months before them.

The two totals (sums of money, counts of transactions, or averages of month-end balances) are compared:
INCREASING when the recent one exceeds the earlier one by more than 10% of the earlier one's size,
DECREASING when it falls short by more than 10%, CONSISTENT otherwise (exactly 10% is CONSISTENT; two zero
totals are CONSISTENT; anything from zero is INCREASING or DECREASING). Fewer than 6 complete months:
NOT_ENOUGH_DATA.
"""

from __future__ import annotations

from collections.abc import Sequence

from finstance.enrich.attributes.attribute import CONSISTENT, DECREASING, INCREASING, NOT_ENOUGH_DATA

MONTHS_COMPARED = 3
THRESHOLD_PERCENT = 10


def label(recent: int, earlier: int) -> str:
    """The trend from ``earlier`` to ``recent``, exact in integers."""
    change = recent - earlier
    if change * 100 > abs(earlier) * THRESHOLD_PERCENT:
        return INCREASING
    if change * 100 < -abs(earlier) * THRESHOLD_PERCENT:
        return DECREASING
    return CONSISTENT


def of_months(totals: Sequence[int]) -> str:
    """The trend of per-month totals, oldest first: the last 3 against the 3 before them."""
    if len(totals) < 2 * MONTHS_COMPARED:
        return NOT_ENOUGH_DATA
    recent = sum(totals[-MONTHS_COMPARED:])
    earlier = sum(totals[-2 * MONTHS_COMPARED : -MONTHS_COMPARED])
    return label(recent, earlier)
