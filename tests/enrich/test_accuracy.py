"""Primary-category accuracy of the categorizer on every labelled set in ``tests/enrich/data`` (>= 90 % each).

Each file has the columns ``country,direction,amount,description,category,subcategory``, descriptions written
the way Canadian (English and French) and U.S. statements print them. Each file's rows are categorized one
country at a time, in one call, as a login's transactions are.
"""

from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from finstance.core.country import Country
from finstance.enrich.categorize import categorize
from finstance.enrich.model import Txn

DATA = Path(__file__).resolve().parent / "data"
TARGET = 0.90
FILES = sorted(DATA.glob("*.csv"))


def _txn(i: int, row: dict[str, str]) -> Txn:
    cents = int(Decimal(row["amount"]) * 100)
    debit = row["direction"].strip().lower() == "debit"
    return Txn(
        f"t{i}", "a", date(2025, 1, 1), row["description"], cents if debit else None, None if debit else cents
    )


def test_the_development_set_is_large_and_covers_both_countries() -> None:
    with (DATA / "dev.csv").open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) >= 250
    assert {r["country"] for r in rows} == {"CA", "US"}


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_primary_category_accuracy(path: Path) -> None:
    with path.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert rows, f"{path.name} has no rows"
    misses: list[str] = []
    for country in Country:
        mine = [r for r in rows if r["country"].strip().upper() == country.value]
        got = categorize(country, [_txn(i, r) for i, r in enumerate(mine)])
        for assignment, row in zip(got, mine, strict=True):
            if assignment.category != row["category"]:
                misses.append(
                    f"{country.value} {row['direction']:6} {row['description']!r}: want {row['category']} / "
                    f"{row['subcategory']}, got {assignment.category} / {assignment.subcategory} "
                    f"({assignment.rule})"
                )
    accuracy = 1 - len(misses) / len(rows)
    assert accuracy >= TARGET, f"{path.name}: {accuracy:.1%} < {TARGET:.0%}\n" + "\n".join(misses)
