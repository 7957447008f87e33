"""CPU time of one live aggregation of ``greatday_nomfa`` (Flinks Capital's profile of the login, then its
save in the store), against a plain insert of the same rows in the same run.

    .venv/bin/python benchmarks/aggregation_cpu.py [--runs 15] [--no-record]

In-process, on SQLite in a temporary directory: the aggregation's two steps as the job runs them
(``FlinksCapital.profile`` then ``aggregation.save_profile`` in one write transaction), measured with
``time.process_time`` (CPU, not wall), median of ``--runs`` after one warm-up. Each run aggregates a login of
its own, connected for the first time: its profile is generated and its rows are written (a login refreshed
again the same day reuses both, its rows from the cache the process keeps of the store, as the job's
aggregation does; that refresh is measured too, on the side). The baseline writes the same
transactions with one ``executemany`` of the standard library's sqlite3 into a table of the same columns.
Target (issue "fast paths"): <= 40 ms CPU for the whole aggregation.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import tempfile
import time
import uuid
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy.orm import Session as DbSession

from common import emit_verdict, record
from finstance.connect import documents, tables
from finstance.connect.aggregation import save_profile
from finstance.core.country import Country
from finstance.core.instance import Settings, sqlite_url
from finstance.core.institution import ProfileRequest
from finstance.core.store import Store
from finstance.sandbox.capital import FlinksCapital

TARGET_MS = 40.0


def login(db: DbSession, login_id: str) -> tables.Login:
    """The login's row, as the aggregation reads it (locked) before it saves."""
    row = db.get(tables.Login, login_id, with_for_update=True)
    assert row is not None
    return row


def run(runs: int) -> tuple[list[str], float, float]:
    """The report's lines, the aggregation's CPU ms and the plain insert's."""
    capital = FlinksCapital()
    logins = [str(uuid.uuid4()) for _ in range(runs + 1)]
    with tempfile.TemporaryDirectory(prefix="finstance-bench-") as tmp:
        store = Store(sqlite_url(Path(tmp) / "store.db"))
        store.migrate()
        with store.write() as db:
            for login_id in logins:
                db.add(tables.Login(id=login_id, institution="FlinksCapital", username="greatday_nomfa",
                                    language="en", created_at=datetime.now(UTC)))  # fmt: skip
        raw = sqlite3.connect(Path(tmp) / "raw.db")
        columns = "account_id TEXT, id TEXT, date TEXT, seq INTEGER, description TEXT, debit INTEGER, "
        columns += "credit INTEGER, balance INTEGER"
        raw.execute(f"CREATE TABLE t (pk INTEGER PRIMARY KEY, {columns})")
        kept = documents.DocumentCache(Settings().document_cache_bytes)  # the process's, of this store
        generate, save, plain, again = [], [], [], []
        rows = 0
        for login_id in logins:
            request = ProfileRequest("greatday_nomfa", Country.CA, date(2026, 12, 3), login_id)
            started = time.process_time()
            profile = capital.profile(request)
            generated = time.process_time()
            with store.write() as db:
                assert save_profile(db, login(db, login_id), profile, kept)  # written, not found unchanged
            saved = time.process_time()
            generate.append((generated - started) * 1000)
            save.append((saved - generated) * 1000)
            started = time.process_time()  # the same login refreshed again the same day: nothing new
            with store.write() as db:
                assert not save_profile(db, login(db, login_id), capital.profile(request), kept)
            again.append((time.process_time() - started) * 1000)
            values = [
                (a.id, t.id, t.date.isoformat(), t.seq, t.description, t.debit_cents, t.credit_cents,
                 t.balance_cents)
                for a in profile.accounts
                for t in a.transactions
            ]  # fmt: skip
            rows = len(values)
            started = time.process_time()
            with raw:
                raw.execute("DELETE FROM t")
                raw.executemany(
                    "INSERT INTO t (account_id, id, date, seq, description, debit, credit, balance) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    values,
                )
            plain.append((time.process_time() - started) * 1000)
        raw.close()
        store.dispose()
    gen_ms, save_ms, plain_ms, again_ms = (statistics.median(x[1:]) for x in (generate, save, plain, again))
    total = gen_ms + save_ms
    verdict = "PASS" if total <= TARGET_MS else "FAIL"
    lines = [
        "| step | CPU ms (median) |",
        "|---|---:|",
        f"| profile from Flinks Capital (accounts, {rows} transactions, statements) | {gen_ms:.1f} |",
        f"| save in the store (one write transaction) | {save_ms:.1f} |",
        f"| **aggregation** (a login's first) | **{total:.1f}** |",
        f"| the same login refreshed again the same day (the same data: nothing written) | {again_ms:.1f} |",
        f"| plain sqlite3 executemany of the same {rows} transactions | {plain_ms:.1f} |",
        "",
        f"- aggregation ÷ plain insert: {total / plain_ms:.1f}x; target <= {TARGET_MS:g} ms CPU: {verdict} "
        f"({total / TARGET_MS:.2f}x the target)",
        f"- {runs} runs after one warm-up, each on a login of its own, in-process, SQLite in a temporary "
        "directory",
    ]
    return lines, total, plain_ms


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--no-record", action="store_true", help="do not append to benchmarks/RESULTS.md")
    args = parser.parse_args()
    lines, total, plain = run(args.runs)
    text = "\n".join(lines)
    print(text)
    emit_verdict("live aggregation, greatday_nomfa", f"{total:.1f} ms CPU (median of {args.runs})",
            f"{total / plain:.1f}x plain sqlite3 executemany ({plain:.1f} ms)", f"<= {TARGET_MS:g} ms CPU",
            total <= TARGET_MS)  # fmt: skip
    if not args.no_record:
        record("aggregation_cpu", text)


if __name__ == "__main__":
    main()
