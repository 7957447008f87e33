"""A card's index: its transactions sorted once, grouped once, and each subject's series built on demand.

Computing hundreds of attributes from one card must not scan the transactions once per attribute. The
index sorts the transactions oldest first, groups their positions by (category, sub-category, side), and
builds a subject's series (positions, days and prefix sums of amounts) from the groups it matches, once:
a window's total is then two binary searches and a subtraction. Daily closing balances, the complete
months and the parties (employers, lenders) behind a subject are built once too.

:func:`registry.compute` builds one index per call and makes it current; an attribute's compute function
asks :func:`index_of` for its card's index, which is the current one when the card is that call's card
(and a new one otherwise, so an attribute also computes on its own).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from itertools import chain

from finstance.enrich.attributes import balances, windows
from finstance.enrich.attributes.subjects import Subject
from finstance.enrich.model import CardData, CategorizedTxn

_NOT_NAME = re.compile(r"[^A-Z&' ]+")
_SPACES = re.compile(r"\s+")


def party_of(item: CategorizedTxn) -> str:
    """Who a transaction is with: the categorizer's counterparty, else its description without digits."""
    counterparty = (item.assignment.counterparty or "").strip()
    if counterparty:
        return counterparty
    cleaned = _SPACES.sub(" ", _NOT_NAME.sub(" ", item.txn.description.upper())).strip()
    return cleaned or item.txn.description.strip().upper()


def rounded_div(numerator: int, denominator: int) -> int:
    """``numerator / denominator`` to the nearest integer, halves away from zero."""
    quotient, remainder = divmod(abs(numerator), denominator)
    if 2 * remainder >= denominator:
        quotient += 1
    return quotient if numerator >= 0 else -quotient


@dataclass(frozen=True, slots=True)
class Series:
    """Some of the card's transactions, oldest first: their positions in the index, days (ordinals) and the
    running total of their absolute amounts (``prefix[i]`` is the total of the first ``i``)."""

    positions: list[int]
    ordinals: list[int]
    prefix: list[int]

    def span(self, first: date, last: date) -> tuple[int, int]:
        """The slice of the series dated ``first`` to ``last``, both included."""
        return bisect_left(self.ordinals, first.toordinal()), bisect_right(self.ordinals, last.toordinal())

    def total(self, lo: int, hi: int) -> int:
        return self.prefix[hi] - self.prefix[lo]

    def __len__(self) -> int:
        return len(self.positions)


class CardIndex:
    def __init__(self, card: CardData) -> None:
        self.card = card
        self.as_of = card.as_of
        # Oldest first; within a day, in the reverse of the card's newest-first order.
        kept = [t for t in reversed(card.transactions) if t.txn.date <= card.as_of]
        kept.sort(key=lambda t: t.txn.date)
        self.items: tuple[CategorizedTxn, ...] = tuple(kept)
        self.ids = [t.txn.id for t in kept]
        self.ordinals = [t.txn.date.toordinal() for t in kept]
        self.amounts = [abs(t.txn.amount_cents) for t in kept]
        self.has_history = bool(kept)
        # The history starts on the oldest transaction's day (on as_of for a card without transactions).
        self.start: date = kept[0].txn.date if kept else card.as_of
        self._groups: dict[tuple[str, str, bool], list[int]] = {}
        for position, item in enumerate(kept):
            key = (item.assignment.category, item.assignment.subcategory, item.txn.credit_cents is not None)
            self._groups.setdefault(key, []).append(position)
        self._series: dict[Subject, Series] = {}
        self._parties: dict[Subject, dict[str, list[int]]] = {}
        self._derived: dict[tuple[str, Subject], Series] = {}

    # -- series ------------------------------------------------------------------------------------

    def series(self, subject: Subject) -> Series:
        found = self._series.get(subject)
        if found is None:
            lists = [p for key, p in self._groups.items() if subject.matches(*key)]
            positions = lists[0] if len(lists) == 1 else sorted(chain.from_iterable(lists))
            found = self.series_of(positions)
            self._series[subject] = found
        return found

    def series_of(self, positions: list[int]) -> Series:
        """A series of the transactions at ``positions`` (ascending)."""
        prefix = [0]
        running = 0
        amounts = self.amounts
        for p in positions:
            running += amounts[p]
            prefix.append(running)
        return Series(positions, [self.ordinals[p] for p in positions], prefix)

    def derived_series(self, key: tuple[str, Subject], build: Callable[[], Series]) -> Series:
        """A series derived from a subject's (its recurring transactions, ...), built once per index."""
        found = self._derived.get(key)
        if found is None:
            found = self._derived[key] = build()
        return found

    def ids_of(self, series: Series, lo: int = 0, hi: int | None = None) -> tuple[str, ...]:
        """The ids of ``series[lo:hi]``, newest first."""
        positions = series.positions[lo:hi]
        positions.reverse()
        return tuple(map(self.ids.__getitem__, positions))

    def ids_at(self, positions: list[int]) -> tuple[str, ...]:
        """The ids at ``positions`` (any order), newest first."""
        ids = self.ids
        return tuple(ids[p] for p in sorted(set(positions), reverse=True))

    # -- months ------------------------------------------------------------------------------------

    @cached_property
    def complete_months(self) -> list[tuple[date, date]]:
        if not self.has_history:
            return []
        return windows.complete_months(self.start, self.as_of)

    def monthly(self, series: Series, count: bool = False) -> list[int]:
        """The series' total (or number of transactions) in each complete month, oldest first."""
        out = []
        for first, last in self.complete_months:
            lo, hi = series.span(first, last)
            out.append(hi - lo if count else series.total(lo, hi))
        return out

    def months_span(self, series: Series, months: int | None = None) -> tuple[int, int]:
        """The slice of the series in the complete months (the ``months`` most recent of them)."""
        chosen = self.complete_months if months is None else self.complete_months[-months:]
        return series.span(chosen[0][0], chosen[-1][1])

    # -- parties -----------------------------------------------------------------------------------

    def parties(self, subject: Subject) -> dict[str, list[int]]:
        """The subject's transactions by party (employer, lender, payee), positions oldest first."""
        found = self._parties.get(subject)
        if found is None:
            found = {}
            for p in self.series(subject).positions:
                found.setdefault(party_of(self.items[p]), []).append(p)
            self._parties[subject] = found
        return found

    # -- balances ----------------------------------------------------------------------------------

    @cached_property
    def closing(self) -> list[int] | None:
        """The card's closing balance on each day from ``start`` to ``as_of`` (see :mod:`.balances`)."""
        return balances.daily_closing(self.items, self.card.accounts, self.start, self.as_of)

    def closing_on(self, day: date) -> int | None:
        """The card's closing balance on ``day``; None outside the history or when balances are unknown."""
        closing = self.closing
        if closing is None or not self.start <= day <= self.as_of:
            return None
        return closing[(day - self.start).days]

    def closings_between(self, first: date, last: date) -> list[int]:
        """The closing balances of the history's days from ``first`` to ``last``."""
        closing = self.closing
        if closing is None:
            return []
        lo = max((first - self.start).days, 0)
        hi = min((last - self.start).days, len(closing) - 1)
        return closing[lo : hi + 1] if hi >= lo else []

    @cached_property
    def current_balance(self) -> int | None:
        """The sum of the balance accounts' current balances (the last closing balance without accounts)."""
        chosen = balances.balance_accounts(self.card.accounts, self.items)
        if self.card.accounts:
            known = [b for b in chosen.values() if b is not None]
            return sum(known) if known else None
        return self.closing[-1] if self.closing else None


_CURRENT: ContextVar[CardIndex | None] = ContextVar("finstance_enrich_card_index", default=None)


@contextmanager
def current(card: CardData) -> Iterator[CardIndex]:
    """Make ``card``'s index the one :func:`index_of` answers for it, for the ``with`` block."""
    index = CardIndex(card)
    token = _CURRENT.set(index)
    try:
        yield index
    finally:
        _CURRENT.reset(token)


def index_of(card: CardData) -> CardIndex:
    index = _CURRENT.get()
    if index is not None and index.card is card:
        return index
    return CardIndex(card)
