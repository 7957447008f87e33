"""Compute functions beyond the plain grammar: names of parties, balances, net flows, recurring flows,
activity, ratios and account-level facts. Each takes a card and returns a :class:`Result`, reading the
card's index (:mod:`.index`) so that nothing scans the transactions twice.

Definitions (the library descriptions repeat them):

- a *party* is who a transaction is with: the categorizer's counterparty, else the description without
  digits; the *main* party of a subject is the one with the largest total (or the most transactions),
  ties going to the one seen most recently;
- a *recurring* party of a subject appears in at least 3 distinct calendar months of the history and at
  most twice a month on average over those months (a weekly coffee is not a bill);
- *free cash flow* is the credits other than own-account transfers and loan proceeds, less the debits
  other than own-account transfers (spending, loan payments and bills included);
- balance attributes read the card's daily closing balances (:mod:`.balances`) over the days of a window
  that lie in the history.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from finstance.enrich.attributes import trend
from finstance.enrich.attributes.attribute import NONE_DETECTED, NOT_ENOUGH_DATA, Result, flag
from finstance.enrich.attributes.index import CardIndex, Series, index_of, party_of, rounded_div
from finstance.enrich.attributes.subjects import Subject
from finstance.enrich.attributes.windows import Window, month_first, month_last
from finstance.enrich.model import CardData

Compute = Callable[[CardData], Result]

RECURRING_MIN_MONTHS = 3
RECURRING_MAX_PER_MONTH = 2


# -- parties -----------------------------------------------------------------------------------------


def _main_party(ix: CardIndex, subject: Subject, by_count: bool) -> tuple[str, list[int]] | None:
    best: tuple[int, int] | None = None
    found: tuple[str, list[int]] | None = None
    amounts = ix.amounts
    for party, positions in ix.parties(subject).items():
        size = len(positions) if by_count else sum(amounts[p] for p in positions)
        rank = (size, positions[-1])
        if best is None or rank > best:
            best, found = rank, (party, positions)
    return found


def main_party(subject: Subject, *, by_count: bool = False) -> Compute:
    """The subject's main party's name, NONE_DETECTED without one; behind it, that party's transactions."""

    def compute(card: CardData) -> Result:
        ix = index_of(card)
        found = _main_party(ix, subject, by_count)
        if found is None:
            return Result(NONE_DETECTED)
        return Result(found[0], ix.ids_at(found[1]))

    return compute


def distinct_parties(subject: Subject) -> Compute:
    def compute(card: CardData) -> Result:
        ix = index_of(card)
        series = ix.series(subject)
        return Result(len(ix.parties(subject)), ix.ids_of(series))

    return compute


def days_since_last(subject: Subject) -> Compute:
    """Days from the subject's newest transaction to as_of (0 on the day); null without one."""

    def compute(card: CardData) -> Result:
        ix = index_of(card)
        series = ix.series(subject)
        if not series:
            return Result(None)
        return Result(ix.as_of.toordinal() - series.ordinals[-1], ix.ids_of(series, len(series) - 1))

    return compute


# -- account and activity ----------------------------------------------------------------------------


def account_age_days(card: CardData) -> Result:
    """Days from the oldest transaction to as_of; null without transactions."""
    ix = index_of(card)
    return Result((ix.as_of - ix.start).days if ix.has_history else None)


def count_accounts(card: CardData) -> Result:
    ids = {a.id for a in card.accounts} | {t.txn.account_id for t in card.transactions}
    return Result(len(ids))


def active_days(subject: Subject, window: Window) -> Compute:
    """Distinct days with at least one of the subject's transactions in the window."""

    def compute(card: CardData) -> Result:
        ix = index_of(card)
        series = ix.series(subject)
        lo, hi = series.span(*window.bounds(ix.as_of, ix.start))
        return Result(len(set(series.ordinals[lo:hi])), ix.ids_of(series, lo, hi))

    return compute


def is_primary_account(income: Subject, bills: Subject) -> Compute:
    """YES when the ``income`` subject lands in at least 2 of the last 3 complete months (every one when
    fewer) and ``bills`` are paid in the history; null without a complete month."""

    def compute(card: CardData) -> Result:
        ix = index_of(card)
        months = ix.complete_months[-3:]
        if not months:
            return Result(None)
        paid = ix.series(income)
        with_income = sum(
            1 for first, last in months if paid.span(first, last)[1] > paid.span(first, last)[0]
        )
        needed = min(2, len(months))
        lo, hi = paid.span(months[0][0], months[-1][1])
        bill_series = ix.series(bills)
        ids = ix.ids_at(paid.positions[lo:hi] + bill_series.positions)
        return Result(flag(with_income >= needed and len(bill_series) > 0), ids)

    return compute


# -- net flows and ratios ----------------------------------------------------------------------------


def _net(ix: CardIndex, plus: Series, minus: Series, first: date, last: date) -> tuple[int, list[int]]:
    a, b = plus.span(first, last)
    c, d = minus.span(first, last)
    return plus.total(a, b) - minus.total(c, d), plus.positions[a:b] + minus.positions[c:d]


def net_flow(plus: Subject, minus: Subject, window: Window) -> Compute:
    """``plus``'s total less ``minus``'s in the window (may be negative)."""

    def compute(card: CardData) -> Result:
        ix = index_of(card)
        value, positions = _net(ix, ix.series(plus), ix.series(minus), *window.bounds(ix.as_of, ix.start))
        return Result(value, ix.ids_at(positions))

    return compute


def net_flow_monthly_average(plus: Subject, minus: Subject) -> Compute:
    def compute(card: CardData) -> Result:
        ix = index_of(card)
        months = ix.complete_months
        if not months:
            return Result(None)
        value, positions = _net(ix, ix.series(plus), ix.series(minus), months[0][0], months[-1][1])
        return Result(rounded_div(value, len(months)), ix.ids_at(positions))

    return compute


def net_flow_trend(plus: Subject, minus: Subject) -> Compute:
    def compute(card: CardData) -> Result:
        ix = index_of(card)
        months = ix.complete_months[-2 * trend.MONTHS_COMPARED :]
        if len(months) < 2 * trend.MONTHS_COMPARED:
            return Result(NOT_ENOUGH_DATA)
        inflow, outflow = ix.series(plus), ix.series(minus)
        totals = [_net(ix, inflow, outflow, first, last)[0] for first, last in months]
        _, positions = _net(ix, inflow, outflow, months[0][0], months[-1][1])
        return Result(trend.of_months(totals), ix.ids_at(positions))

    return compute


def ratio(numerator: Subject, denominator: Subject, window: Window) -> Compute:
    """``numerator``'s total over ``denominator``'s in the window, to 4 decimals; null when the latter is
    0."""

    def compute(card: CardData) -> Result:
        ix = index_of(card)
        top, bottom = ix.series(numerator), ix.series(denominator)
        first, last = window.bounds(ix.as_of, ix.start)
        a, b = top.span(first, last)
        c, d = bottom.span(first, last)
        if bottom.total(c, d) == 0:
            return Result(None)
        value = round(top.total(a, b) / bottom.total(c, d), 4)
        return Result(value, ix.ids_at(top.positions[a:b] + bottom.positions[c:d]))

    return compute


# -- recurring flows ---------------------------------------------------------------------------------


def recurring_series(ix: CardIndex, subject: Subject) -> Series:
    """The subject's transactions with its recurring parties."""
    return ix.derived_series(("recurring", subject), lambda: _recurring(ix, subject))


def _recurring(ix: CardIndex, subject: Subject) -> Series:
    kept: list[int] = []
    for positions in ix.parties(subject).values():
        months = {(ix.items[p].txn.date.year, ix.items[p].txn.date.month) for p in positions}
        if len(months) >= RECURRING_MIN_MONTHS and len(positions) <= RECURRING_MAX_PER_MONTH * len(months):
            kept.extend(positions)
    kept.sort()
    return ix.series_of(kept)


def recurring_monthly_average(subject: Subject) -> Compute:
    def compute(card: CardData) -> Result:
        ix = index_of(card)
        months = ix.complete_months
        if not months:
            return Result(None)
        series = recurring_series(ix, subject)
        lo, hi = ix.months_span(series)
        return Result(rounded_div(series.total(lo, hi), len(months)), ix.ids_of(series, lo, hi))

    return compute


def recurring_parties(subject: Subject) -> Compute:
    def compute(card: CardData) -> Result:
        ix = index_of(card)
        series = recurring_series(ix, subject)
        names = {party_of(ix.items[p]) for p in series.positions}
        return Result(len(names), ix.ids_of(series))

    return compute


# -- balances ----------------------------------------------------------------------------------------


def balance_current(card: CardData) -> Result:
    """The balance accounts' current balances, summed."""
    return Result(index_of(card).current_balance)


def balance_stat(window: Window, stat: str) -> Compute:
    """The lowest (``min``), highest (``max``) or average (``average``) daily closing balance of the
    window's days in the history; null when there is none or balances are unknown."""

    def compute(card: CardData) -> Result:
        ix = index_of(card)
        days = ix.closings_between(*window.bounds(ix.as_of, ix.start))
        if not days:
            return Result(None)
        if stat == "min":
            return Result(min(days))
        if stat == "max":
            return Result(max(days))
        return Result(rounded_div(sum(days), len(days)))

    return compute


def balance_days_ago(days: int) -> Compute:
    """The closing balance ``days`` days before as_of; null before the history starts."""

    def compute(card: CardData) -> Result:
        ix = index_of(card)
        return Result(ix.closing_on(ix.as_of - timedelta(days=days)))

    return compute


def balance_month_end(back: int) -> Compute:
    """The closing balance on the last day of the month ``back`` months before as_of's."""

    def compute(card: CardData) -> Result:
        ix = index_of(card)
        return Result(ix.closing_on(month_last(month_first(ix.as_of, back))))

    return compute


def days_negative(window: Window) -> Compute:
    """The window's days in the history whose closing balance is below zero."""

    def compute(card: CardData) -> Result:
        ix = index_of(card)
        if ix.closing is None:
            return Result(None)
        return Result(sum(1 for b in ix.closings_between(*window.bounds(ix.as_of, ix.start)) if b < 0))

    return compute


def balance_trend(card: CardData) -> Result:
    """Month-end closing balances: the last 3 complete months against the 3 before (see :mod:`.trend`)."""
    ix = index_of(card)
    months = ix.complete_months
    if len(months) < 2 * trend.MONTHS_COMPARED or ix.closing is None:
        return Result(NOT_ENOUGH_DATA)
    ends = [ix.closing_on(last) for _, last in months]
    return Result(trend.of_months([e for e in ends if e is not None]))


def closing_around(subject: Subject, offset: int) -> Compute:
    """The average closing balance on the days of the subject's transactions (``offset`` 0), or on the day
    after each (``offset`` 1, days after as_of left out); null without such a day."""

    def compute(card: CardData) -> Result:
        ix = index_of(card)
        series = ix.series(subject)
        days = sorted(set(series.ordinals))
        values = [ix.closing_on(date.fromordinal(d + offset)) for d in days]
        known = [v for v in values if v is not None]
        if not known:
            return Result(None)
        return Result(rounded_div(sum(known), len(known)), ix.ids_of(series))

    return compute
