"""API amounts become integer cents exactly, or are refused with a message that says why; limits hold."""

from __future__ import annotations

from decimal import Decimal

import pytest

from finstance.core.errors import InvalidRequest
from finstance.pay.money import (
    MAXIMUM_CENTS,
    AmountError,
    AmountLimits,
    format_amount,
    parse_amount,
    to_decimal,
)


@pytest.mark.parametrize(
    ("value", "cents"),
    [
        (500, 50000),
        (250.00, 25000),
        (19.99, 1999),  # a float that is not exact in binary still reads as the decimal it was written as
        (0.01, 1),
        (1.1, 110),
        ("250", 25000),
        ("250.5", 25050),
        ("250.50", 25050),
        ("0.07", 7),
        ("100000.00", 10_000_000),
        (Decimal("12.30"), 1230),
        (0, 0),
    ],
)
def test_amounts_parse_to_exact_cents(value: object, cents: int) -> None:
    assert parse_amount(value) == cents


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (0.1 + 0.2, "more than 2 decimals"),
        (1.005, "more than 2 decimals"),
        ("1.005", "at most 2 decimals"),
        ("-5.00", "at most 2 decimals"),
        (-5, "cannot be negative"),
        (-0.5, "cannot be negative"),
        ("1,000.00", "at most 2 decimals"),
        ("1e3", "at most 2 decimals"),
        (" 5", "at most 2 decimals"),
        ("5.", "at most 2 decimals"),
        ("", "at most 2 decimals"),
        (float("nan"), "finite"),
        (float("inf"), "finite"),
        (Decimal("NaN"), "finite"),
        (True, "must be a number, not bool"),
        (None, "must be a number, not NoneType"),
        ([5], "must be a number, not list"),
    ],
)
def test_bad_amounts_are_refused_with_the_reason(value: object, message: str) -> None:
    with pytest.raises(AmountError, match=message) as caught:
        parse_amount(value)
    assert caught.value.flinks_code == "INVALID_REQUEST"
    assert caught.value.http_status == 400
    assert isinstance(caught.value, InvalidRequest)


def test_the_field_is_named_in_the_message() -> None:
    with pytest.raises(AmountError, match=r"^maximumAmount has more than 2 decimals"):
        parse_amount(1.234, field="maximumAmount")


@pytest.mark.parametrize(
    ("cents", "text", "dollars"),
    [(0, "0.00", Decimal("0")), (7, "0.07", Decimal("0.07")), (123450, "1234.50", Decimal("1234.5"))],
)
def test_cents_format_back(cents: int, text: str, dollars: Decimal) -> None:
    assert format_amount(cents) == text
    assert to_decimal(cents) == dollars
    assert parse_amount(text) == cents
    assert format_amount(-cents - 1).startswith("-")


def test_default_limits_are_one_cent_to_100000_dollars() -> None:
    limits = AmountLimits()
    assert (limits.minimum, limits.maximum) == (1, MAXIMUM_CENTS) == (1, 10_000_000)
    assert limits.check(1) == 1
    assert limits.check(10_000_000) == 10_000_000
    with pytest.raises(AmountError, match=r"at least 0\.01"):
        limits.check(0)
    with pytest.raises(AmountError, match=r"at most 100000\.00"):
        limits.check(10_000_001)


def test_a_session_narrows_the_limits_but_cannot_widen_them() -> None:
    limits = AmountLimits().narrowed("10.00", 500)
    assert (limits.minimum, limits.maximum) == (1000, 50000)
    assert AmountLimits().narrowed(maximum="20").minimum == 1
    with pytest.raises(AmountError, match=r"at most 500\.00"):
        limits.check(50001)
    with pytest.raises(AmountError, match="within"):
        AmountLimits().narrowed(maximum=100_000.01)
    with pytest.raises(AmountError, match="inconsistent"):
        AmountLimits().narrowed(minimum=50, maximum=10)
    with pytest.raises(AmountError, match="within"):
        AmountLimits(minimum=500).narrowed(minimum="1.00")
