"""The JSON values Flinks returns: dollars from cents, ints, YES/NO, trend labels, names, null."""

from __future__ import annotations

import pytest

from finstance.enrich import attributes
from finstance.enrich.attributes import Attribute, Result, wire_value


def named(name: str) -> Attribute:
    attribute = attributes.get(name)
    assert attribute is not None
    return attribute


def test_money_is_dollars_from_cents() -> None:
    money = named("sum_employer_income_30_days")
    assert wire_value(money, Result(123_456)) == 1234.56
    assert wire_value(money, Result(1)) == 0.01
    assert wire_value(money, Result(-5)) == -0.05
    assert wire_value(money, Result(0)) == 0.0
    assert wire_value(money, Result(10)) == 0.1
    assert isinstance(wire_value(money, Result(250_000)), float)
    with pytest.raises(TypeError):
        wire_value(money, Result(12.5))


def test_counts_days_flags_labels_names_and_ratios() -> None:
    assert wire_value(named("count_nsf_30_days"), Result(3)) == 3
    assert wire_value(named("account_age_days"), Result(364)) == 364
    with pytest.raises(TypeError):
        wire_value(named("count_nsf_30_days"), Result("3"))
    assert wire_value(named("has_employer_income"), Result("YES")) == "YES"
    assert wire_value(named("has_employer_income"), Result("NO")) == "NO"
    with pytest.raises(ValueError, match="YES or NO"):
        wire_value(named("has_employer_income"), Result("MAYBE"))
    for label in ("INCREASING", "CONSISTENT", "DECREASING", "NOT_ENOUGH_DATA"):
        assert wire_value(named("employer_income_trend_simple"), Result(label)) == label
    assert wire_value(named("employer_name"), Result("United Airlines")) == "United Airlines"
    assert wire_value(named("employer_name"), Result("")) == "NONE_DETECTED"
    assert wire_value(named("average_monthly_nsf_fees_count"), Result(2.333333)) == 2.3333
    assert wire_value(named("ratio_spending_to_income_90_days"), Result(0.5)) == 0.5


def test_null_stays_null() -> None:
    for name in (
        "average_monthly_employer_income",
        "balance_90_days_ago",
        "employer_name",
        "is_primary_account",
    ):
        assert wire_value(named(name), Result(None)) is None
