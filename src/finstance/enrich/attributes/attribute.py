"""What an attribute is: its name and library entry, the packages that list it, its unit and window, the
function that computes it, the result that function returns, and the JSON value Flinks shows for it.

A result is a value plus the transactions behind it (``AttributesDetail``). Values stay exact until the
wire: money in integer cents, counts and days as ints, labels and names as strings, ratios as floats.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from finstance.enrich.model import CardData

# The packages, as the package endpoints and the upload use cases name them.
INCOME = "Income"
LENDING = "Lending"
CREDIT_RISK = "CreditRisk"
USER_ANALYSIS = "UserAnalysis"
BUSINESS_ANALYSIS = "BusinessAnalysis"
ALL = "All"  # every consumer attribute
ALL_BUSINESS = "AllBusiness"  # every business attribute
PACKAGES = (INCOME, LENDING, CREDIT_RISK, USER_ANALYSIS, BUSINESS_ANALYSIS, ALL, ALL_BUSINESS)

Unit = Literal["currency", "count", "days", "label", "flag", "text", "ratio"]
Value = int | float | str | None

# The strings some values take.
YES = "YES"
NO = "NO"
INCREASING = "INCREASING"
CONSISTENT = "CONSISTENT"
DECREASING = "DECREASING"
NOT_ENOUGH_DATA = "NOT_ENOUGH_DATA"
NONE_DETECTED = "NONE_DETECTED"


@dataclass(frozen=True, slots=True)
class Result:
    """A computed value and the ids of the transactions behind it, newest first (empty when none apply)."""

    value: Value
    transactions: tuple[str, ...] = field(default=())


@dataclass(frozen=True, slots=True)
class Attribute:
    name: str
    category: str  # the library category that lists it
    description: str
    packages: frozenset[str]
    unit: Unit
    window: str  # "30_days", "current_month", "3_months_ago", "complete_months", "all", ...
    compute: Callable[[CardData], Result] = field(repr=False, compare=False)


def flag(value: bool) -> str:
    return YES if value else NO


def wire_value(attribute: Attribute, result: Result) -> int | float | str | None:
    """The JSON value Flinks returns: dollars with cents for money, ints for counts and days, ``YES``/``NO``
    for flags, the trend label, the name found or ``NONE_DETECTED``, a ratio to 4 decimals; None is null."""
    value = result.value
    if value is None:
        return None
    unit = attribute.unit
    if unit == "currency":
        if not isinstance(value, int):
            raise TypeError(f"{attribute.name}: money must be integer cents, not {value!r}")
        return round(value / 100, 2)
    if unit in ("count", "days"):
        if not isinstance(value, int):
            raise TypeError(f"{attribute.name}: a {unit} must be an int, not {value!r}")
        return value
    if unit == "ratio":
        return round(float(value), 4)
    if unit == "flag":
        if value not in (YES, NO):
            raise ValueError(f"{attribute.name}: a flag is YES or NO, not {value!r}")
        return value
    text = str(value)
    if unit == "text" and not text.strip():
        return NONE_DETECTED
    return text
