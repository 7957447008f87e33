"""Accuracy of the transaction categorizer on the labelled description sets in ``tests/enrich/data``.

    .venv/bin/python benchmarks/enrich_accuracy.py [--misses] [FILE.csv ...]

Each ``*.csv`` there has the columns ``country,direction,amount,description,category,subcategory``. Every file
is categorized one country at a time (one call per country, as a login's transactions are), then the report
prints, per file and per country: rows, primary-category accuracy, sub-category accuracy, and PASS or FAIL
against the 90 % primary-category target. ``--misses`` also lists the rows whose primary category is wrong;
naming files limits the report to them.
"""

from __future__ import annotations

import argparse
import csv
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

from finstance.core.country import Country
from finstance.enrich.categorize import categorize
from finstance.enrich.model import Assignment, Txn

DATA = Path(__file__).resolve().parent.parent / "tests" / "enrich" / "data"
TARGET = 0.90


def rows_of(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def txn(i: int, row: dict[str, str]) -> Txn:
    cents = int(Decimal(row["amount"]) * 100)
    debit = row["direction"].strip().lower() == "debit"
    return Txn(
        str(i), "a", date(2025, 1, 1), row["description"], cents if debit else None, None if debit else cents
    )


def report(path: Path, misses: bool) -> bool:
    rows = rows_of(path)
    ok = True
    for country in Country:
        mine = [r for r in rows if r["country"].strip().upper() == country.value]
        if not mine:
            continue
        got: list[Assignment] = categorize(country, [txn(i, r) for i, r in enumerate(mine)])
        primary = sum(a.category == r["category"] for a, r in zip(got, mine, strict=True)) / len(mine)
        sub = sum(a.subcategory == r["subcategory"] for a, r in zip(got, mine, strict=True)) / len(mine)
        verdict = "PASS" if primary >= TARGET else "FAIL"
        ok &= primary >= TARGET
        print(
            f"{path.name:14} {country.value}  rows {len(mine):4}  "
            f"primary {primary:6.1%}  sub {sub:6.1%}  {verdict}"
        )
        if misses:
            for a, r in zip(got, mine, strict=True):
                if a.category != r["category"]:
                    print(
                        f"    {r['direction']:6} {r['description'][:60]:60} want {r['category']} / "
                        f"{r['subcategory']}, got {a.category} / {a.subcategory} ({a.rule})"
                    )
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", action="store_true", help="list the misclassified rows")
    parser.add_argument(
        "files", nargs="*", type=Path, help="labelled files (default: every tests/enrich/data/*.csv)"
    )
    args = parser.parse_args()
    results = [report(path, args.misses) for path in (args.files or sorted(DATA.glob("*.csv")))]
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
