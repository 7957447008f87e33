"""Dates as statements print them.

``2026-01-31``, ``Jan 31 2026``, ``Jan 31, 2026``, ``January 31``, ``31 Jan``, ``31 janv. 2026``,
``01/31/2026`` (month first, US) and ``31/01/2026`` (day first, CA), with ``-`` or ``.`` as well as ``/``.
A date without a year takes it from the statement period.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

_MONTHS = {
    "jan": 1, "january": 1, "janv": 1, "janvier": 1,
    "feb": 2, "february": 2, "fev": 2, "fevr": 2, "fevrier": 2,
    "mar": 3, "march": 3, "mars": 3,
    "apr": 4, "april": 4, "avr": 4, "avril": 4,
    "may": 5, "mai": 5,
    "jun": 6, "june": 6, "juin": 6,
    "jul": 7, "july": 7, "juil": 7, "juillet": 7,
    "aug": 8, "august": 8, "aout": 8,
    "sep": 9, "sept": 9, "september": 9, "septembre": 9,
    "oct": 10, "october": 10, "octobre": 10,
    "nov": 11, "november": 11, "novembre": 11,
    "dec": 12, "december": 12, "decembre": 12,
}  # fmt: skip

_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_NUMERIC = re.compile(r"(\d{1,2})[/.\-](\d{1,2})(?:[/.\-](\d{2,4}))?")
_MONTH_WORD = r"([A-Za-zÀ-ÿ]{3,9})\.?"
_MONTH_DAY = re.compile(_MONTH_WORD + r"\s+(\d{1,2})(?:,?\s+(\d{4}))?")
_DAY_MONTH = re.compile(r"(\d{1,2})(?:er)?\s+" + _MONTH_WORD + r"(?:,?\s+(\d{4}))?")


def _fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text.lower()) if not unicodedata.combining(c))


def _month(word: str) -> int | None:
    return _MONTHS.get(_fold(word).rstrip("."))


@dataclass(frozen=True, slots=True)
class DateReading:
    """How to read dates that do not say everything: the order of numeric dates and the period's years."""

    day_first: bool = False
    period_start: date | None = None
    period_end: date | None = None

    def year_for(self, month: int, day: int) -> int | None:
        """The year that puts ``month``/``day`` in (or nearest) the statement period."""
        if self.period_end is None:
            return None
        start = self.period_start or self.period_end
        for year in range(start.year, self.period_end.year + 1):
            try:
                candidate = date(year, month, day)
            except ValueError:
                continue
            if start <= candidate <= self.period_end:
                return year
        return self.period_end.year if month <= self.period_end.month else start.year


def _make(year: int | None, month: int, day: int, reading: DateReading) -> date | None:
    if year is None:
        year = reading.year_for(month, day)
        if year is None:
            return None
    elif year < 100:
        year += 2000
    try:
        return date(year, month, day)
    except ValueError:
        return None


def parse_date(text: str, reading: DateReading = DateReading()) -> date | None:
    """The date that ``text`` is, in full (not a date found inside longer text), or None."""
    raw = text.strip().rstrip(",")
    if m := _ISO.fullmatch(raw):
        return _make(int(m[1]), int(m[2]), int(m[3]), reading)
    if m := _NUMERIC.fullmatch(raw):
        first, second = int(m[1]), int(m[2])
        day, month = (first, second) if reading.day_first else (second, first)
        return _make(int(m[3]) if m[3] else None, month, day, reading)
    if (m := _MONTH_DAY.fullmatch(raw)) and (named := _month(m[1])):
        return _make(int(m[3]) if m[3] else None, named, int(m[2]), reading)
    if (m := _DAY_MONTH.fullmatch(raw)) and (named := _month(m[2])):
        return _make(int(m[3]) if m[3] else None, named, int(m[1]), reading)
    return None


_ANY_DATE = re.compile(
    r"\d{4}-\d{1,2}-\d{1,2}"
    r"|\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}"
    r"|[A-Za-zÀ-ÿ]{3,9}\.?\s+\d{1,2},?\s+\d{4}"
    r"|\d{1,2}(?:er)?\s+[A-Za-zÀ-ÿ]{3,9}\.?,?\s+\d{4}"
)


def dates_in(text: str, reading: DateReading = DateReading()) -> list[date]:
    """Every full date (with its year) written in ``text``, in order."""
    found = []
    for m in _ANY_DATE.finditer(text):
        value = parse_date(m[0].replace(",", " ").replace("  ", " "), reading)
        if value is not None:
            found.append(value)
    return found


def numeric_order_evidence(texts: list[str]) -> bool | None:
    """True when numeric dates among ``texts`` must be day first, False when month first, None if unknown."""
    for text in texts:
        for m in _NUMERIC.finditer(text):
            first, second = int(m[1]), int(m[2])
            if first > 12 >= second:
                return True
            if second > 12 >= first:
                return False
    return None


_ANY_YEAR = DateReading(period_start=date(2000, 1, 1), period_end=date(2000, 12, 31))
_ANY_YEAR_DAY_FIRST = DateReading(True, date(2000, 1, 1), date(2000, 12, 31))


def is_date(text: str) -> bool:
    """Whether ``text`` reads as a date in some order (before the statement period is known)."""
    return parse_date(text, _ANY_YEAR) is not None or parse_date(text, _ANY_YEAR_DAY_FIRST) is not None
