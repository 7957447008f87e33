"""Money as integer cents, end to end: parsed once at the edge, formatted once on the way out.

A float never holds an amount here (SQLite would store a ``Numeric`` as REAL too). Flinks asks for an
"exact decimal" amount (reference 6.2), so an amount with more than two decimals is refused, not rounded.

Limits (reference 6.3, products 3.1): a session's ``amount`` is at most $100,000 unless the instance is
configured otherwise, and at least one cent (EFT V1 ``amount`` >= 0.01); a session may narrow that range
with ``options.limits.{minimumAmount,maximumAmount}``, never widen it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from finstance.core import errors

MINIMUM_CENTS = 1
MAXIMUM_CENTS = 100_000_00
_DECIMAL = re.compile(r"\d+(\.\d{1,2})?")


class AmountError(errors.InvalidRequest):
    """An amount the API cannot take: not a number, more than two decimals, or outside the limits."""


def parse_amount(value: object, *, field: str = "amount") -> int:
    """Cents from an API amount: a JSON number or a decimal string (``"250"``, ``"250.5"``, ``"250.00"``).

    Refused: booleans, negative numbers, NaN and infinities, exponents in strings, thousands separators,
    more than two decimals (``0.1 + 0.2`` is refused rather than rounded).
    """
    if isinstance(value, bool) or not isinstance(value, (int, float, str, Decimal)):
        raise AmountError(f"{field} must be a number, not {type(value).__name__}.")
    if isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, str):
        if not _DECIMAL.fullmatch(value):
            raise AmountError(f"{field} must be a decimal number with at most 2 decimals, got {value!r}.")
        number = Decimal(value)
    else:
        # repr() of a float is the shortest text that reads back as the same float: 19.99, not 19.98999...
        number = Decimal(repr(value)) if isinstance(value, float) else value
        if not number.is_finite():
            raise AmountError(f"{field} must be a finite number.")
    if number < 0:
        raise AmountError(f"{field} cannot be negative, got {value!r}.")
    cents = number * 100
    if cents != cents.to_integral_value():
        raise AmountError(f"{field} has more than 2 decimals: {value!r}.")
    return int(cents)


def format_amount(cents: int) -> str:
    """``"1234.50"`` from 123450: the text form an amount takes in documents and files."""
    sign = "-" if cents < 0 else ""
    whole, part = divmod(abs(cents), 100)
    return f"{sign}{whole}.{part:02d}"


def to_decimal(cents: int) -> Decimal:
    """The amount as an exact decimal of dollars (what the wire's ``amount`` number carries)."""
    return Decimal(cents).scaleb(-2)


@dataclass(frozen=True, slots=True)
class AmountLimits:
    """The inclusive range of amounts a session accepts, in cents."""

    minimum: int = MINIMUM_CENTS
    maximum: int = MAXIMUM_CENTS

    def __post_init__(self) -> None:
        if not MINIMUM_CENTS <= self.minimum <= self.maximum:
            raise AmountError(
                f"The amount limits are inconsistent: minimum {format_amount(self.minimum)}, "
                f"maximum {format_amount(self.maximum)}."
            )

    def narrowed(self, minimum: object | None = None, maximum: object | None = None) -> AmountLimits:
        """These limits narrowed by a session's ``options.limits`` (API amounts, either may be absent).

        A bound outside these limits is refused: a session cannot widen what the instance allows.
        """
        low = self.minimum if minimum is None else parse_amount(minimum, field="minimumAmount")
        high = self.maximum if maximum is None else parse_amount(maximum, field="maximumAmount")
        if low < self.minimum or high > self.maximum:
            raise AmountError(
                f"The session's limits must lie within {format_amount(self.minimum)} and "
                f"{format_amount(self.maximum)}."
            )
        return AmountLimits(low, high)

    def check(self, cents: int, *, field: str = "amount") -> int:
        """``cents`` when it lies within the limits; an :class:`AmountError` saying which bound it broke."""
        if cents < self.minimum:
            raise AmountError(f"{field} must be at least {format_amount(self.minimum)}.")
        if cents > self.maximum:
            raise AmountError(f"{field} must be at most {format_amount(self.maximum)}.")
        return cents
