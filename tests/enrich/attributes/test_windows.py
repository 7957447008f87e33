"""Window boundaries: the Nth day in and the N+1th out, calendar months, leap days, complete months."""

from __future__ import annotations

from datetime import date

from finstance.enrich.attributes import windows
from finstance.enrich.categories import EMPLOYMENT_INCOME
from finstance.enrich.model import CategorizedTxn
from tests.enrich.attributes.builders import card, result, txn, value, wire


def pay(ident: str, day: date, cents: int = 125_000) -> CategorizedTxn:
    return txn(ident, day, EMPLOYMENT_INCOME, credit=cents, party="Acme")


def test_month_arithmetic_crosses_years_and_leap_days() -> None:
    assert windows.month_first(date(2024, 3, 20)) == date(2024, 3, 1)
    assert windows.month_first(date(2024, 3, 20), 1) == date(2024, 2, 1)
    assert windows.month_first(date(2024, 1, 31), 1) == date(2023, 12, 1)
    assert windows.month_first(date(2024, 3, 31), 12) == date(2023, 3, 1)
    assert windows.month_first(date(2024, 12, 5), -1) == date(2025, 1, 1)
    assert windows.month_last(date(2024, 2, 1)) == date(2024, 2, 29)
    assert windows.month_last(date(2023, 2, 1)) == date(2023, 2, 28)
    assert windows.month_last(date(2023, 12, 1)) == date(2023, 12, 31)


def test_complete_months_lie_wholly_inside_the_history() -> None:
    # History Jun 16, 2023 to Jun 15, 2024: July to May; June counts in neither year.
    months = windows.complete_months(date(2023, 6, 16), date(2024, 6, 15))
    assert len(months) == 11
    assert months[0] == (date(2023, 7, 1), date(2023, 7, 31))
    assert months[-1] == (date(2024, 5, 1), date(2024, 5, 31))
    # A history starting on the 1st counts that month; as_of on the last day counts its own month.
    assert windows.complete_months(date(2024, 2, 1), date(2024, 3, 31)) == [
        (date(2024, 2, 1), date(2024, 2, 29)),
        (date(2024, 3, 1), date(2024, 3, 31)),
    ]
    # Less than a month: none. Two years: the 12 most recent.
    assert windows.complete_months(date(2024, 3, 2), date(2024, 3, 31)) == []
    two_years = windows.complete_months(date(2022, 1, 1), date(2023, 12, 31))
    assert len(two_years) == 12 and two_years[0][0] == date(2023, 1, 1)


def test_the_brief_example_of_thirty_days() -> None:
    # Two pay deposits of 1,250.00 on Mar 1 and Mar 15 are in the 30 days ending Mar 20, 2023; the Feb 14
    # one is 34 days back, outside (the window starts on Feb 19).
    data = card(
        date(2023, 3, 20),
        [pay("feb", date(2023, 2, 14)), pay("m1", date(2023, 3, 1)), pay("m15", date(2023, 3, 15))],
    )
    assert wire(data, "sum_employer_income_30_days") == 2500.00
    assert result(data, "sum_employer_income_30_days").transactions == ("m15", "m1")  # newest first
    assert value(data, "count_employer_income_30_days") == 2
    assert wire(data, "sum_employer_income_60_days") == 3750.00


def test_the_thirtieth_day_is_in_and_the_thirty_first_out_across_a_leap_february() -> None:
    # As of Mar 20, 2024 the 30 days start on Feb 20 (Feb 29 exists): Feb 20 is the 30th day, Feb 19 the 31st.
    leap = card(
        date(2024, 3, 20), [pay("d31", date(2024, 2, 19), 100), pay("d30", date(2024, 2, 20), 10_000)]
    )
    assert value(leap, "sum_employer_income_30_days") == 10_000
    # The same days in 2023 (no Feb 29): the window starts on Feb 19, so both are in.
    plain = card(
        date(2023, 3, 20), [pay("d30", date(2023, 2, 19), 100), pay("d29", date(2023, 2, 20), 10_000)]
    )
    assert value(plain, "sum_employer_income_30_days") == 10_100


def test_sixty_and_ninety_day_edges() -> None:
    # As of Mar 20, 2024: 60 days start on Jan 21, 90 days on Dec 22, 2023.
    data = card(
        date(2024, 3, 20),
        [
            pay("dec21", date(2023, 12, 21), 1),
            pay("dec22", date(2023, 12, 22), 10),
            pay("jan20", date(2024, 1, 20), 100),
            pay("jan21", date(2024, 1, 21), 1_000),
            pay("mar20", date(2024, 3, 20), 10_000),
        ],
    )
    assert value(data, "sum_employer_income_60_days") == 11_000
    assert value(data, "sum_employer_income_90_days") == 11_110
    assert value(data, "sum_employer_income") == 11_111  # the whole history


def test_calendar_months_back_from_the_as_of_month() -> None:
    data = card(
        date(2024, 3, 31),
        [
            pay("mar23", date(2023, 3, 31), 1),  # 12 months ago
            pay("apr23", date(2023, 4, 1), 2),  # 11 months ago
            pay("jan31", date(2024, 1, 31), 4),  # 2 months ago
            pay("feb1", date(2024, 2, 1), 8),  # previous month
            pay("feb29", date(2024, 2, 29), 16),  # previous month, leap day
            pay("mar1", date(2024, 3, 1), 32),  # current month
            pay("mar31", date(2024, 3, 31), 64),  # current month, the as-of day
        ],
    )
    assert value(data, "sum_employer_income_current_month") == 96
    assert value(data, "sum_employer_income_previous_month") == 24
    assert result(data, "sum_employer_income_previous_month").transactions == ("feb29", "feb1")
    assert value(data, "sum_employer_income_2_months_ago") == 4
    assert value(data, "sum_employer_income_11_months_ago") == 2
    assert value(data, "sum_employer_income_12_months_ago") == 1
    assert value(data, "sum_employer_income_3_months_ago") == 0
    assert value(data, "count_employer_income_previous_month") == 2


def test_the_current_month_runs_to_the_as_of_day_only() -> None:
    # As of Mar 1, 2024: the current month is that one day; the 30 days are Feb 1 to Mar 1.
    data = card(
        date(2024, 3, 1),
        [
            pay("jan31", date(2024, 1, 31), 1),
            pay("feb1", date(2024, 2, 1), 10),
            pay("mar1", date(2024, 3, 1), 100),
        ],
    )
    assert value(data, "sum_employer_income_current_month") == 100
    assert value(data, "sum_employer_income_previous_month") == 10
    assert value(data, "sum_employer_income_30_days") == 110


def test_transactions_after_as_of_fall_in_no_window() -> None:
    data = card(
        date(2024, 3, 20), [pay("in", date(2024, 3, 20), 100), pay("later", date(2024, 3, 21), 10_000)]
    )
    assert value(data, "sum_employer_income_30_days") == 100
    assert value(data, "sum_employer_income") == 100
    assert value(data, "sum_employer_income_current_month") == 100
