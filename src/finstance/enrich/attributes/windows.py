"""The periods an attribute looks at, all counted back from the card's ``as_of`` day, both ends inclusive.

- ``N_days`` (30, 60, 90): the N days ending on ``as_of``: from ``as_of - (N - 1)`` to ``as_of``. With
  ``as_of`` on Mar 20, the 30 days start on Feb 20 (Feb 20 is the 30th day, Feb 19 the 31st, outside).
- ``current_month``: from the first day of ``as_of``'s calendar month to ``as_of``.
- ``previous_month``: the whole calendar month before ``as_of``'s; ``K_months_ago`` (2 to 12): the whole
  calendar month K months before ``as_of``'s (``previous_month`` is ``1_months_ago``).
- ``all``: the card's whole history, from its oldest transaction's day to ``as_of``.
- ``complete_months`` (monthly averages and trends): the calendar months lying wholly inside the history,
  that is starting on or after the oldest transaction's day and ending on or before ``as_of``; the 12 most
  recent of them at most. With ``as_of`` on Jun 15 and the oldest transaction on Jun 16 a year before, they
  are July to May (11 months); June, begun before the history and not yet over, counts in neither year.

Transactions dated after ``as_of`` fall in no window.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

MAX_COMPLETE_MONTHS = 12


def month_first(day: date, back: int = 0) -> date:
    """The first day of the calendar month ``back`` months before ``day``'s."""
    index = day.year * 12 + day.month - 1 - back
    return date(index // 12, index % 12 + 1, 1)


def month_last(first: date) -> date:
    """The last day of the month that starts on ``first``."""
    return month_first(first, -1) - timedelta(days=1)


def complete_months(start: date, as_of: date) -> list[tuple[date, date]]:
    """The calendar months wholly inside ``start``..``as_of``, oldest first, the 12 most recent at most."""
    months: list[tuple[date, date]] = []
    back = 0
    while len(months) < MAX_COMPLETE_MONTHS:
        first = month_first(as_of, back)
        if first < start:
            break
        last = month_last(first)
        if last <= as_of:
            months.append((first, last))
        back += 1
    months.reverse()
    return months


@dataclass(frozen=True, slots=True)
class Window:
    key: str  # "30_days", "current_month", "previous_month", "3_months_ago", "all"
    suffix: str  # what the key adds to an attribute's name: "_30_days", ..., "" for the whole history
    phrase: str  # how a description says it
    days: int | None = None
    months_back: int | None = None

    def bounds(self, as_of: date, start: date) -> tuple[date, date]:
        """The first and last day of the window for a card with history from ``start`` to ``as_of``."""
        if self.days is not None:
            return as_of - timedelta(days=self.days - 1), as_of
        if self.months_back is not None:
            first = month_first(as_of, self.months_back)
            return first, min(month_last(first), as_of)
        return start, as_of


def days_window(days: int) -> Window:
    return Window(f"{days}_days", f"_{days}_days", f"in the {days} days ending on the as-of day", days=days)


def months_ago(back: int) -> Window:
    if back == 0:
        return Window("current_month", "_current_month", "in the as-of day's month up to that day", None, 0)
    if back == 1:
        return Window(
            "previous_month", "_previous_month", "in the calendar month before the as-of month", None, 1
        )
    return Window(
        f"{back}_months_ago",
        f"_{back}_months_ago",
        f"in the calendar month {back} months before the as-of month",
        None,
        back,
    )


ALL_HISTORY = Window("all", "", "over the whole history")
DAY_WINDOWS = tuple(days_window(n) for n in (30, 60, 90))
MONTH_WINDOWS = tuple(months_ago(k) for k in range(13))
# Recent windows, for subjects whose month-by-month history would add little.
SHORT_WINDOWS = (*DAY_WINDOWS, MONTH_WINDOWS[0], MONTH_WINDOWS[1])
# Every day and month window, for the subjects underwriting reads month by month.
FULL_WINDOWS = (*DAY_WINDOWS, *MONTH_WINDOWS)
