"""The limitDays header: only the transactions of the last N days up to as_of count; balances stay."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from finstance.enrich import attributes
from finstance.enrich.attributes import registry
from tests.enrich.attributes.builders import result, value, year_card

YEAR = year_card()  # as of Jun 15, 2024


def test_limit_days_narrows_every_window_to_the_last_days() -> None:
    # 30 days: from May 17. The 90-day sum becomes the 30-day one; the history starts within them.
    assert value(YEAR, "sum_employer_income_90_days", 30) == value(YEAR, "sum_employer_income_30_days")
    assert value(YEAR, "sum_employer_income", 30) == value(YEAR, "sum_employer_income_30_days")
    assert value(YEAR, "count_nsf", 30) == 0  # the last NSF fee was Apr 27
    assert value(YEAR, "count_nsf") == 3
    age = value(YEAR, "account_age_days", 30)
    assert isinstance(age, int) and age <= 29
    # No complete month in 30 days that start on May 17.
    assert value(YEAR, "average_monthly_employer_income", 30) is None
    ids = result(YEAR, "sum_employer_income_90_days", 30).transactions
    kept = {t.txn.id: t.txn.date for t in YEAR.transactions}
    assert ids and all(kept[i] >= date(2024, 5, 17) for i in ids)


def test_balances_stay_as_they_are() -> None:
    assert value(YEAR, "balance_current", 30) == value(YEAR, "balance_current")
    # The closing balance of the as-of day does not change when older days are left out.
    assert value(YEAR, "balance_max_30_days", 30) == value(YEAR, "balance_max_30_days")
    assert value(YEAR, "balance_min_30_days", 30) == value(YEAR, "balance_min_30_days")


def test_one_day_keeps_the_as_of_day_only() -> None:
    today = sum(1 for t in YEAR.transactions if t.txn.date == YEAR.as_of)
    assert today >= 1
    assert value(YEAR, "count_transactions_90_days", 1) == today
    assert value(YEAR, "count_transactions_90_days", 2) == today + sum(
        1 for t in YEAR.transactions if t.txn.date == YEAR.as_of - timedelta(days=1)
    )
    assert value(YEAR, "count_transactions_90_days", 365) == value(YEAR, "count_transactions_90_days")


def test_limit_days_outside_1_to_365_is_refused() -> None:
    attribute = attributes.get("count_nsf_30_days")
    assert attribute is not None
    for bad in (0, -1, 366):
        with pytest.raises(ValueError, match="limit_days"):
            attributes.compute(YEAR, [attribute], bad)
    limited = registry.limited(YEAR, 365)
    assert limited.transactions == YEAR.transactions  # the year card holds exactly 365 days
