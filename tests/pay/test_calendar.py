"""The Canadian banking calendar on real 2026-2028 dates: closed days, stepping over them, the cut-off."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from finstance.pay.calendar import (
    CUTOFF,
    TORONTO,
    add_business_days,
    bank_holidays,
    cutoff_instant,
    file_date,
    is_business_day,
    next_business_day,
    previous_business_day,
    roll_forward,
    settlement_date,
)


def test_2026_closed_days_are_the_federal_holidays_plus_the_civic_holiday() -> None:
    assert dict(bank_holidays(2026)) == {
        date(2026, 1, 1): "New Year's Day",
        date(2026, 4, 3): "Good Friday",
        date(2026, 5, 18): "Victoria Day",
        date(2026, 7, 1): "Canada Day",
        date(2026, 8, 3): "Civic Holiday",
        date(2026, 9, 7): "Labour Day",
        date(2026, 9, 30): "National Day for Truth and Reconciliation",
        date(2026, 10, 12): "Thanksgiving Day",
        date(2026, 11, 11): "Remembrance Day",
        date(2026, 12, 25): "Christmas Day",
        date(2026, 12, 26): "Boxing Day",
        date(2026, 12, 28): "Boxing Day (observed)",
    }


@pytest.mark.parametrize(
    ("day", "why"),
    [
        (date(2026, 4, 3), "Good Friday"),
        (date(2027, 3, 26), "Good Friday"),
        (date(2026, 7, 1), "Canada Day on a Wednesday"),
        (date(2028, 7, 3), "Canada Day 2028 falls on a Saturday: the Monday is closed"),
        (date(2026, 11, 11), "Remembrance Day"),
        (date(2027, 11, 11), "Remembrance Day"),
        (date(2026, 12, 25), "Christmas Day"),
        (date(2026, 12, 28), "Boxing Day 2026 falls on a Saturday: the Monday is closed"),
        (date(2027, 12, 27), "Christmas Day 2027 falls on a Saturday: the Monday is closed"),
        (date(2027, 12, 28), "Boxing Day 2027 falls on a Sunday: the Tuesday is closed"),
        (date(2026, 9, 30), "National Day for Truth and Reconciliation"),
        (date(2026, 8, 3), "Civic Holiday"),
        (date(2027, 1, 2), "a Saturday"),
        (date(2027, 1, 3), "a Sunday"),
    ],
)
def test_closed_day(day: date, why: str) -> None:
    assert not is_business_day(day), why


@pytest.mark.parametrize(
    ("day", "why"),
    [
        (date(2026, 2, 16), "Family Day is provincial: files are exchanged"),
        (date(2026, 4, 6), "Easter Monday is provincial"),
        (date(2026, 6, 24), "Saint-Jean-Baptiste is Quebec's"),
        (date(2027, 1, 4), "an ordinary Monday"),
        (date(2026, 12, 24), "Christmas Eve is open"),
        (date(2027, 12, 29), "the Wednesday after Christmas 2027"),
    ],
)
def test_open_day(day: date, why: str) -> None:
    assert is_business_day(day), why


@pytest.mark.parametrize(
    ("day", "after", "before"),
    [
        (date(2026, 4, 2), date(2026, 4, 6), date(2026, 4, 1)),  # around Good Friday and the weekend
        (date(2026, 4, 6), date(2026, 4, 7), date(2026, 4, 2)),  # back over Good Friday
        (date(2026, 6, 30), date(2026, 7, 2), date(2026, 6, 29)),  # over Canada Day
        (date(2028, 6, 30), date(2028, 7, 4), date(2028, 6, 29)),  # Canada Day 2028 observed on Monday
        (date(2026, 11, 10), date(2026, 11, 12), date(2026, 11, 9)),  # over Remembrance Day
        (date(2026, 12, 24), date(2026, 12, 29), date(2026, 12, 23)),  # Christmas, weekend, Boxing (obs.)
        (date(2027, 12, 24), date(2027, 12, 29), date(2027, 12, 23)),  # Christmas and Boxing both observed
        (date(2027, 12, 29), date(2027, 12, 30), date(2027, 12, 24)),
        (date(2026, 12, 31), date(2027, 1, 4), date(2026, 12, 30)),  # New Year's Day 2027 is a Friday
    ],
)
def test_next_and_previous_business_day(day: date, after: date, before: date) -> None:
    assert next_business_day(day) == after
    assert previous_business_day(day) == before


def test_add_business_days_counts_only_open_days_both_ways() -> None:
    assert add_business_days(date(2026, 4, 1), 2) == date(2026, 4, 6)  # Thu, then Mon after Good Friday
    assert add_business_days(date(2027, 12, 23), 3) == date(2027, 12, 30)
    assert add_business_days(date(2027, 12, 30), -3) == date(2027, 12, 23)
    assert add_business_days(date(2026, 4, 4), 1) == date(2026, 4, 6)  # from a Saturday
    assert add_business_days(date(2026, 4, 4), 0) == date(2026, 4, 4)
    # A whole year: 2026 has 261 weekdays, 11 of them closed (Boxing Day itself is a Saturday).
    assert add_business_days(date(2025, 12, 31), 250) == date(2026, 12, 31)


def test_roll_forward_keeps_an_open_day_and_moves_a_closed_one() -> None:
    assert roll_forward(date(2026, 4, 2)) == date(2026, 4, 2)
    assert roll_forward(date(2026, 4, 3)) == date(2026, 4, 6)


def toronto(year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=TORONTO)


@pytest.mark.parametrize(
    ("entered", "file_day", "settles"),
    [
        (toronto(2026, 4, 2, 12, 59), date(2026, 4, 2), date(2026, 4, 6)),  # before cut-off, Good Friday next
        (toronto(2026, 4, 2, 13, 0), date(2026, 4, 6), date(2026, 4, 7)),  # at the cut-off: next file
        (toronto(2026, 4, 3, 9, 0), date(2026, 4, 6), date(2026, 4, 7)),  # on Good Friday itself
        (toronto(2026, 6, 30, 15, 0), date(2026, 7, 2), date(2026, 7, 3)),  # after cut-off, Canada Day next
        (toronto(2026, 11, 10, 8, 0), date(2026, 11, 10), date(2026, 11, 12)),  # Remembrance Day between
        (toronto(2027, 12, 24, 12, 0), date(2027, 12, 24), date(2027, 12, 29)),  # Christmas 2027 observed
        (toronto(2026, 12, 24, 14, 0), date(2026, 12, 29), date(2026, 12, 30)),
    ],
)
def test_file_day_and_settlement_date(entered: datetime, file_day: date, settles: date) -> None:
    assert file_date(entered) == file_day
    assert settlement_date(entered) == settles


def test_the_cut_off_is_read_on_toronto_clocks_across_daylight_saving() -> None:
    # 17:30 UTC is 12:30 in Toronto in winter (EST) and 13:30 once daylight time starts (8 March 2026).
    assert file_date(datetime(2026, 3, 6, 17, 30, tzinfo=UTC)) == date(2026, 3, 6)
    assert file_date(datetime(2026, 3, 9, 17, 30, tzinfo=UTC)) == date(2026, 3, 10)
    # 02:00 UTC on a Friday is still Thursday evening in Toronto: after the cut-off of Thursday's file.
    assert file_date(datetime(2026, 4, 3, 2, 0, tzinfo=UTC)) == date(2026, 4, 6)


def test_cut_off_and_lag_can_be_chosen() -> None:
    entered = toronto(2026, 4, 2, 14, 0)
    assert file_date(entered, cutoff=time(15, 0)) == date(2026, 4, 2)
    assert settlement_date(entered, cutoff=time(15, 0), lag=2) == date(2026, 4, 7)
    assert cutoff_instant(date(2026, 4, 2)) == toronto(2026, 4, 2, CUTOFF.hour, CUTOFF.minute)


def test_a_naive_instant_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        settlement_date(datetime(2026, 4, 2, 12, 0))
