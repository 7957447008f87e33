"""Amounts and dates as statements print them."""

from __future__ import annotations

from datetime import date

import pytest

from finstance.upload.extract.amounts import parse_amount
from finstance.upload.extract.dates import DateReading, dates_in, numeric_order_evidence, parse_date


@pytest.mark.parametrize(
    ("text", "cents"),
    [
        ("1,234.56", 123456),
        ("-12.00", -1200),
        ("(12.00)", -1200),
        ("12.00-", -1200),
        ("12.00 CR", 1200),
        ("12.00 DR", -1200),
        ("$1,234.56", 123456),
        ("1 234,56", 123456),
        ("1\u00a0234,56 $", 123456),
        ("1\u202f234\u202f567,89", 123456789),
        ("0,05", 5),
        ("0.00", 0),
    ],
)
def test_amounts(text: str, cents: int) -> None:
    assert parse_amount(text) == cents


@pytest.mark.parametrize("text", ["", "abc", "2026", "12", "1,23,4.5", "12.345", "Page 1"])
def test_not_amounts(text: str) -> None:
    assert parse_amount(text) is None


WINTER = DateReading(False, date(2025, 12, 15), date(2026, 1, 14))


@pytest.mark.parametrize(
    ("text", "reading", "expected"),
    [
        ("2026-01-31", DateReading(), date(2026, 1, 31)),
        ("Jan 31 2026", DateReading(), date(2026, 1, 31)),
        ("Jan 31, 2026", DateReading(), date(2026, 1, 31)),
        ("January 31, 2026", DateReading(), date(2026, 1, 31)),
        ("01/31/2026", DateReading(), date(2026, 1, 31)),
        ("31/01/2026", DateReading(day_first=True), date(2026, 1, 31)),
        ("31 janv. 2026", DateReading(), date(2026, 1, 31)),
        ("2 févr. 2026", DateReading(), date(2026, 2, 2)),
        ("31 Dec", WINTER, date(2025, 12, 31)),
        ("Jan 05", WINTER, date(2026, 1, 5)),
        ("12/20", WINTER, date(2025, 12, 20)),
    ],
)
def test_dates(text: str, reading: DateReading, expected: date) -> None:
    assert parse_date(text, reading) == expected


def test_dates_without_a_year_need_a_period_and_impossible_dates_are_none() -> None:
    assert parse_date("Jan 05") is None
    assert parse_date("02/30/2026") is None
    assert parse_date("31/01/2026") is None  # month first by default: no 31st month


def test_dates_in_text_and_order_evidence() -> None:
    assert dates_in("Période du 1er janvier 2026 au 31 janvier 2026") == [date(2026, 1, 1), date(2026, 1, 31)]
    assert dates_in("Statement period: 2025-03-01 to 2025-03-31") == [date(2025, 3, 1), date(2025, 3, 31)]
    assert numeric_order_evidence(["01/02/2026", "28/02/2026"]) is True
    assert numeric_order_evidence(["02/28/2026"]) is False
    assert numeric_order_evidence(["01/02/2026"]) is None
