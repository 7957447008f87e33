"""Canadian banking days: when an EFT is sent to the bank and when its money settles.

Which days are holidays
-----------------------
Money in Canada clears through Payments Canada's systems (ACSS for AFT/EFT files, Lynx for settlement), and
they close on the days a federally regulated workplace observes a general holiday, plus the August Civic
Holiday on which the Bank of Canada is also closed:

* New Year's Day, Good Friday, Victoria Day, Canada Day, Labour Day, the National Day for Truth and
  Reconciliation, Thanksgiving, Remembrance Day, Christmas Day and Boxing Day: the ``public`` and
  ``government`` categories of :mod:`holidays` for ``CA`` (no province), which also move a holiday that falls
  on a weekend to the following Monday (Christmas and Boxing Day to Monday and Tuesday), as banks do;
* the Civic Holiday, the first Monday of August.

Left out on purpose, because AFT files are exchanged on them: the provincial days (Family Day, Easter Monday,
Saint-Jean-Baptiste, the day after New Year's Day in Quebec). The banks' published EFT holiday schedules mark
them "regional holiday, files processed as usual"; taking a province's calendar (the library's default for a
subdivision) would delay payments on days the network runs.

When a payment is sent and settles
----------------------------------
An EFT entered on a business day before the cut-off (:data:`CUTOFF`, 13:00 in ``America/Toronto``, the time a
bank's AFT service wants a file in to meet the next day's due date) goes into that day's file; entered later,
or on a weekend or holiday, it waits for the next business day's file. The money settles
:data:`SETTLEMENT_LAG` business day after the file day (the due date of the CPA-005 record).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from types import MappingProxyType
from zoneinfo import ZoneInfo

TORONTO = ZoneInfo("America/Toronto")
CUTOFF = time(13, 0)
SETTLEMENT_LAG = 1
CIVIC_HOLIDAY = "Civic Holiday"


@functools.lru_cache(maxsize=64)
def bank_holidays(year: int) -> Mapping[date, str]:
    """The days Payments Canada does not exchange or settle payments in ``year``, with their names."""
    import holidays  # loaded on the first date asked about, not with the server
    from holidays.constants import GOVERNMENT, PUBLIC

    days = holidays.country_holidays("CA", years=year, categories=(PUBLIC, GOVERNMENT), language="en_CA")
    found = dict(days.items())
    august = date(year, 8, 1)
    found[august + timedelta(days=(7 - august.weekday()) % 7)] = CIVIC_HOLIDAY
    return MappingProxyType(dict(sorted(found.items())))


def is_business_day(day: date) -> bool:
    return day.weekday() < 5 and day not in bank_holidays(day.year)


def next_business_day(day: date) -> date:
    """The first business day strictly after ``day``."""
    return add_business_days(day, 1)


def previous_business_day(day: date) -> date:
    """The last business day strictly before ``day``."""
    return add_business_days(day, -1)


def roll_forward(day: date) -> date:
    """``day`` itself when it is a business day, else the next one."""
    return day if is_business_day(day) else next_business_day(day)


def add_business_days(day: date, count: int) -> date:
    """The business day ``count`` business days after ``day`` (before it when negative).

    ``day`` itself need not be a business day: one business day after a Saturday is the Monday (or the
    Tuesday when that Monday is a holiday). ``count=0`` returns ``day`` unchanged.
    """
    step = timedelta(days=1 if count > 0 else -1)
    for _ in range(abs(count)):
        day += step
        while not is_business_day(day):
            day += step
    return day


def local(at: datetime) -> datetime:
    """``at`` in Toronto time; a naive datetime is refused, since it names no instant."""
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError(f"{at!r} has no timezone: a payment's instant must be timezone-aware")
    return at.astimezone(TORONTO)


def file_date(at: datetime, *, cutoff: time = CUTOFF) -> date:
    """The business day whose file carries a payment entered at ``at`` (see the module's docstring)."""
    moment = local(at)
    day = moment.date()
    if is_business_day(day) and moment.time() < cutoff:
        return day
    return next_business_day(day)


def settlement_date(at: datetime, *, cutoff: time = CUTOFF, lag: int = SETTLEMENT_LAG) -> date:
    """The day the money of a payment entered at ``at`` settles: ``lag`` business days after its file day."""
    return add_business_days(file_date(at, cutoff=cutoff), lag)


def cutoff_instant(day: date, *, cutoff: time = CUTOFF) -> datetime:
    """The instant the file of ``day`` closes (Toronto's cut-off on that day, as an aware datetime)."""
    return datetime.combine(day, cutoff, tzinfo=TORONTO)


def start_of(day: date) -> datetime:
    """Midnight in Toronto at the start of ``day``: when money due that day is available."""
    return datetime.combine(day, time(0, 0), tzinfo=TORONTO)
