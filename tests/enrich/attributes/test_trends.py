"""Trend labels: the last 3 complete months against the 3 before, at +-10%."""

from __future__ import annotations

from datetime import date

from finstance.enrich import categories as c
from finstance.enrich.attributes import trend
from finstance.enrich.model import CategorizedTxn
from tests.enrich.attributes.builders import card, result, txn, value

MONTHS = [(2023, 10), (2023, 11), (2023, 12), (2024, 1), (2024, 2), (2024, 3)]


def test_labels_at_the_thresholds() -> None:
    assert trend.label(110, 100) == "CONSISTENT"  # +10% exactly
    assert trend.label(111, 100) == "INCREASING"
    assert trend.label(90, 100) == "CONSISTENT"  # -10% exactly
    assert trend.label(89, 100) == "DECREASING"
    assert trend.label(0, 0) == "CONSISTENT"
    assert trend.label(1, 0) == "INCREASING"
    assert trend.label(-1, 0) == "DECREASING"
    # Negative totals (month-end balances): the change is measured against the earlier total's size.
    assert trend.label(-90, -100) == "CONSISTENT"
    assert trend.label(-80, -100) == "INCREASING"
    assert trend.label(-120, -100) == "DECREASING"
    assert trend.of_months([1, 1, 1, 1, 1]) == "NOT_ENOUGH_DATA"
    # Only the last six count: 100 x 3 then 200 x 3.
    assert trend.of_months([5_000, 100, 100, 100, 200, 200, 200]) == "INCREASING"


def pays(amounts: list[int]) -> list[CategorizedTxn]:
    """One pay deposit on the 15th of each month from October 2023, after a coffee on Oct 1 that starts
    the history: October to March are the 6 complete months as of Mar 31, 2024."""
    items = [txn("coffee", date(2023, 10, 1), "Coffee Shops", debit=450)]
    for (year, month), cents in zip(MONTHS[-len(amounts) :], amounts, strict=True):
        items.append(
            txn(f"p{year}{month}", date(year, month, 15), c.EMPLOYMENT_INCOME, credit=cents, party="Acme")
        )
    return items


def test_employer_income_trend() -> None:
    # 9,000.00 in October to December; January to March 9,900.00 is +10%: CONSISTENT.
    flat = card(date(2024, 3, 31), pays([300_000] * 3 + [330_000] * 3))
    assert value(flat, "employer_income_trend_simple") == "CONSISTENT"
    assert len(result(flat, "employer_income_trend_simple").transactions) == 6
    up = card(date(2024, 3, 31), pays([300_000] * 3 + [330_000, 330_000, 330_001]))
    assert value(up, "employer_income_trend_simple") == "INCREASING"
    # 8,100.00 is -10%: CONSISTENT; a cent less: DECREASING.
    edge = card(date(2024, 3, 31), pays([300_000] * 3 + [270_000] * 3))
    assert value(edge, "employer_income_trend_simple") == "CONSISTENT"
    down = card(date(2024, 3, 31), pays([300_000] * 3 + [270_000, 270_000, 269_999]))
    assert value(down, "employer_income_trend_simple") == "DECREASING"
    # As of Mar 30 March is not over: 5 complete months.
    short = card(date(2024, 3, 30), pays([300_000] * 6))
    assert value(short, "employer_income_trend_simple") == "NOT_ENOUGH_DATA"
    assert result(short, "employer_income_trend_simple").transactions == ()


def test_activity_trends_count_transactions() -> None:
    # One pay a month (and the Oct 1 coffee), then two debits more a month: 4 against 9 transactions.
    items = pays([300_000] * 6)
    for year, month in MONTHS[3:]:
        items += [txn(f"d{month}{k}", date(year, month, 20 + k), "Groceries", debit=1_000) for k in range(2)]
    data = card(date(2024, 3, 31), items)
    assert value(data, "overall_activity_trend_simple") == "INCREASING"
    assert value(data, "debit_activity_trend_simple") == "INCREASING"
    assert value(data, "credit_activity_trend_simple") == "CONSISTENT"
    # The deposits trend is on money: 9,000 against 9,000.
    assert value(data, "total_deposits_trend_simple") == "CONSISTENT"
    assert value(data, "spending_trend_simple") == "INCREASING"
