"""The naming grammar, ``{aggregate}_{subject}{window}``, and what each combination computes.

Aggregates: ``sum_`` (money, the total of the subject's amounts), ``count_`` (how many transactions),
``average_monthly_`` (the total over the complete months divided by their number, see :mod:`.windows`),
``average_{item}`` (the average amount of one transaction over the whole history), ``has_`` (YES when the
history holds one) and ``_trend_simple`` (see :mod:`.trend`). A name without a window suffix covers the
whole history. The ``_simple`` and ``_complex`` variants some names carry are both the rule-based estimate
described here: there is no statistical model behind either.

A :class:`Catalogue` collects the attributes as they are declared and refuses a name declared twice.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from finstance.enrich.attributes import trend
from finstance.enrich.attributes.attribute import NOT_ENOUGH_DATA, Attribute, Result, Unit, flag
from finstance.enrich.attributes.index import index_of, rounded_div
from finstance.enrich.attributes.subjects import Subject
from finstance.enrich.attributes.windows import ALL_HISTORY, Window
from finstance.enrich.model import CardData

Compute = Callable[[CardData], Result]

MONTHLY = (
    "the total over the complete calendar months of history (the 12 most recent at most) divided by the "
    "number of those months; null without a complete month"
)
RULE_BASED = "The same rule-based estimate as the _simple variant (no statistical model)"
TREND = (
    "the last 3 complete months against the 3 before: INCREASING above +10%, DECREASING below -10%, "
    "CONSISTENT between, NOT_ENOUGH_DATA with fewer than 6 complete months"
)


# -- compute functions -------------------------------------------------------------------------------


def window_sum(subject: Subject, window: Window) -> Compute:
    def compute(card: CardData) -> Result:
        ix = index_of(card)
        series = ix.series(subject)
        lo, hi = series.span(*window.bounds(ix.as_of, ix.start))
        return Result(series.total(lo, hi), ix.ids_of(series, lo, hi))

    return compute


def window_count(subject: Subject, window: Window) -> Compute:
    def compute(card: CardData) -> Result:
        ix = index_of(card)
        series = ix.series(subject)
        lo, hi = series.span(*window.bounds(ix.as_of, ix.start))
        return Result(hi - lo, ix.ids_of(series, lo, hi))

    return compute


def monthly_average(subject: Subject) -> Compute:
    def compute(card: CardData) -> Result:
        ix = index_of(card)
        months = len(ix.complete_months)
        if not months:
            return Result(None)
        series = ix.series(subject)
        lo, hi = ix.months_span(series)
        return Result(rounded_div(series.total(lo, hi), months), ix.ids_of(series, lo, hi))

    return compute


def monthly_average_count(subject: Subject) -> Compute:
    def compute(card: CardData) -> Result:
        ix = index_of(card)
        months = len(ix.complete_months)
        if not months:
            return Result(None)
        series = ix.series(subject)
        lo, hi = ix.months_span(series)
        return Result(round((hi - lo) / months, 4), ix.ids_of(series, lo, hi))

    return compute


def item_average(subject: Subject) -> Compute:
    def compute(card: CardData) -> Result:
        ix = index_of(card)
        series = ix.series(subject)
        if not series:
            return Result(None)
        return Result(rounded_div(series.total(0, len(series)), len(series)), ix.ids_of(series))

    return compute


def has(subject: Subject) -> Compute:
    def compute(card: CardData) -> Result:
        ix = index_of(card)
        series = ix.series(subject)
        return Result(flag(len(series) > 0), ix.ids_of(series))

    return compute


def monthly_trend(subject: Subject, count: bool = False) -> Compute:
    def compute(card: CardData) -> Result:
        ix = index_of(card)
        if len(ix.complete_months) < 2 * trend.MONTHS_COMPARED:
            return Result(NOT_ENOUGH_DATA)
        series = ix.series(subject)
        totals = ix.monthly(series, count=count)
        lo, hi = ix.months_span(series, 2 * trend.MONTHS_COMPARED)
        return Result(trend.of_months(totals), ix.ids_of(series, lo, hi))

    return compute


# -- the catalogue -----------------------------------------------------------------------------------


class Catalogue:
    """Attributes in declaration order; ``packages_of`` gives the packages of a library category."""

    def __init__(self, packages_of: Callable[[str], frozenset[str]]) -> None:
        self.packages_of = packages_of
        self.attributes: dict[str, Attribute] = {}

    def add(
        self, name: str, category: str, description: str, unit: Unit, window: str, compute: Compute
    ) -> Attribute:
        if name in self.attributes:
            raise ValueError(f"attribute {name!r} declared twice")
        attribute = Attribute(name, category, description, self.packages_of(category), unit, window, compute)
        self.attributes[name] = attribute
        return attribute

    def alias(self, name: str, of: str, description: str | None = None) -> Attribute:
        """Another name for an attribute, computed the same way."""
        base = self.attributes[of]
        text = description or f"Same as {of}. {base.description}"
        return self.add(name, base.category, text, base.unit, base.window, base.compute)

    def sums(
        self,
        subject: Subject,
        category: str,
        windows: Sequence[Window],
        *,
        aggregates: Iterable[str] = ("sum", "count"),
        whole_history: bool = True,
    ) -> None:
        """``sum_{subject}{window}`` and ``count_{subject}{window}`` for each window (and the history)."""
        chosen = (*windows, ALL_HISTORY) if whole_history else tuple(windows)
        for aggregate in aggregates:
            for window in chosen:
                name = f"{aggregate}_{subject.key}{window.suffix}"
                if aggregate == "sum":
                    text = f"Total of {subject.what} {window.phrase}."
                    self.add(name, category, text, "currency", window.key, window_sum(subject, window))
                else:
                    text = f"Number of {subject.what} {window.phrase}."
                    self.add(name, category, text, "count", window.key, window_count(subject, window))

    def monthly_average(self, subject: Subject, category: str, *, variants: bool = False) -> None:
        """``average_monthly_{subject}``, and its ``_simple``/``_complex`` variants when asked."""
        name = f"average_monthly_{subject.key}"
        text = f"Average per month of {subject.what}: {MONTHLY}."
        self.add(name, category, text, "currency", "complete_months", monthly_average(subject))
        if variants:
            self.variants(name)

    def variants(self, name: str) -> None:
        """``{name}_simple`` and ``{name}_complex``: both the rule-based estimate ``name`` computes."""
        text = self.attributes[name].description
        self.alias(f"{name}_simple", name, f"Rule-based estimate. {text}")
        self.alias(f"{name}_complex", name, f"{RULE_BASED}. {text}")

    def monthly_count(self, subject: Subject, category: str, name: str | None = None) -> None:
        """How many of the subject's transactions a month brings, on average (4 decimals)."""
        text = (
            f"Average number per month of {subject.what} (4 decimals): their number "
            f"{MONTHLY.removeprefix('the total ')}."
        )
        self.add(
            name or f"average_monthly_{subject.key}_count",
            category,
            text,
            "ratio",
            "complete_months",
            monthly_average_count(subject),
        )

    def item_average(self, subject: Subject, category: str) -> None:
        if subject.item is None:
            raise ValueError(f"subject {subject.key!r} names no item")
        text = (
            f"Average amount of one of the {subject.what}, over the whole history; null when there is none."
        )
        self.add(f"average_{subject.item}", category, text, "currency", "all", item_average(subject))

    def has(self, subject: Subject, category: str) -> None:
        text = f"YES when the history holds {subject.what}, NO otherwise."
        self.add(f"has_{subject.key}", category, text, "flag", "all", has(subject))

    def trend(self, subject: Subject, category: str, *, count: bool = False, name: str | None = None) -> None:
        measure = "number per month" if count else "total per month"
        text = f"Trend of {subject.what} ({measure}): {TREND}."
        self.add(
            name or f"{subject.key}_trend_simple",
            category,
            text,
            "label",
            "complete_months",
            monthly_trend(subject, count),
        )
