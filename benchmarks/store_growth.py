"""GetAccountsDetail p50 as the store grows: one login's answer with the instance holding about 1k stored
transactions, then about 1M (10,000 other logins of 100 transactions each), on SQLite and PostgreSQL.

    .venv/bin/python benchmarks/store_growth.py [--requests 300] [--rounds 3] [--logins 10000]
        [--per-login 100] [--no-record]

For each backend: a fresh store; ``greatday_nomfa`` connected live and aggregated through the API (about 850
transactions, the "1k" store); then two servers measured in turn, each one uvicorn process
(``servers.py``), with ``--rounds`` rounds of ``--requests`` sequential GetAccountsDetail calls (Days90)
over one connection. A cell is the lowest of its rounds' p50s: a round of the cached answer lasts about
0.1 s, short enough for one pause of the machine to move its p50 by half, and such pauses only add time.

- **kept**: the default server, its answer served from the document cache after the first call;
- **rows**: ``FINSTANCE_DOCUMENT_CACHE_BYTES=0``, every answer built from the store's rows, the path of a
  login's first call after each refresh.

Then the other logins, with an account each and their transactions, are written straight into the store
with one executemany a table (the plain insert, timed and printed as the baseline), the store is
settled (VACUUM ANALYZE and CHECKPOINT on PostgreSQL, a WAL checkpoint and ANALYZE on SQLite, as each would
soon do by itself) and both servers are measured again. Target (issue "fast paths"): p50 at 1M within 1.2x
of p50 at 1k, for each row.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx
from sqlalchemy import insert

from cached_flow import DETAIL_OPTIONS, PREFIX, connect, postgres_database, server
from common import emit_verdict, record
from finstance.connect import tables
from finstance.core.instance import TOOLBOX_API_KEY, sqlite_url
from finstance.core.store import Store

TARGET = 1.2
ROW = "GetAccountsDetail p50 as the store grows"
ANSWERS = {"kept": "from the cache", "rows": "from the rows"}
Verdict = tuple[str, str, str, str, bool]


def p50(port: int, request_id: str, requests: int) -> float:
    body = json.dumps({"RequestId": request_id, **DETAIL_OPTIONS})
    headers = {"x-api-key": TOOLBOX_API_KEY, "content-type": "application/json"}
    times = []
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30.0) as http:
        for i in range(requests + 10):
            started = time.perf_counter()
            response = http.post(f"{PREFIX}/GetAccountsDetail", content=body, headers=headers)
            elapsed = time.perf_counter() - started
            if response.status_code != 200:
                raise RuntimeError(
                    f"GetAccountsDetail answered {response.status_code}: {response.text[:300]}"
                )
            if i >= 10:  # the first calls warm the process (and fill the cache)
                times.append(elapsed * 1000)
    return statistics.median(times)


def measure(
    store_url: str, request_id: str, work: Path, requests: int, rounds: int, stage: str
) -> dict[str, float]:
    out = {}
    for name, env in (("kept", {}), ("rows", {"FINSTANCE_DOCUMENT_CACHE_BYTES": "0"})):
        with server(["finstance", "--store-url", store_url], work / f"{stage}-{name}.log", env) as port:
            out[name] = min(p50(port, request_id, requests) for _ in range(rounds))
    return out


def fill(store_url: str, logins: int, per_login: int) -> tuple[int, float]:
    """Write ``logins`` logins with one account and ``per_login`` transactions each; (rows, seconds)."""
    store = Store(store_url)
    metadata = tables.Login.metadata.tables
    now = datetime.now(UTC)
    today = date.today()
    rows = 0
    started = time.perf_counter()
    try:
        with store.write() as db:
            login_rows, account_rows = [], []
            for i in range(logins):
                login_id, account_id = str(uuid.uuid4()), str(uuid.uuid4())
                login_rows.append({"id": login_id, "institution": "FlinksCapital", "username": f"filler{i}",
                                   "language": "en", "login_type": "Personal", "is_scheduled_refresh": False,
                                   "last_refresh": now, "mfa_answers": {}, "created_at": now})  # fmt: skip
                account_rows.append({"id": account_id, "login_id": login_id, "position": 0,
                                     "title": "Chequing", "account_number": f"{i:07d}",
                                     "category": "Operations", "type": "Chequing", "currency": "CAD",
                                     "account_type": "Personal", "balance_current": 0,
                                     "eft_eligible_ratio": 1.0, "etransfer_eligible_ratio": 1.0})  # fmt: skip
            db.execute(insert(metadata["logins"]), login_rows)
            db.execute(insert(metadata["accounts"]), account_rows)
            batch: list[dict[str, object]] = []
            for account in account_rows:
                for seq in range(per_login):
                    batch.append({"account_id": account["id"], "id": str(uuid.uuid4()),
                                  "date": today - timedelta(days=per_login - seq), "seq": seq,
                                  "description": f"PURCHASE {seq}", "debit": 1000 + seq, "credit": None,
                                  "balance": -1000 * seq})  # fmt: skip
                if len(batch) >= 50_000:
                    db.execute(insert(metadata["transactions"]), batch)
                    rows += len(batch)
                    batch = []
            if batch:
                db.execute(insert(metadata["transactions"]), batch)
                rows += len(batch)
        seconds = time.perf_counter() - started
        settle(store)
    finally:
        store.dispose()
    return rows, seconds


def settle(store: Store) -> None:
    """After the bulk load, what the database would do by itself a little later (PostgreSQL's autovacuum
    analyzes the new rows and its checkpointer writes them out; SQLite checkpoints its WAL), done now so that
    it does not run under the measurement."""
    with store.engine.connect() as conn:
        if store.backend == "postgresql":
            auto = conn.execution_options(isolation_level="AUTOCOMMIT")
            auto.exec_driver_sql("VACUUM ANALYZE")
            auto.exec_driver_sql(
                "CHECKPOINT"
            )  # the dirty pages of the load, which the checkpointer would write
        else:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            conn.exec_driver_sql("ANALYZE")


def run(args: argparse.Namespace) -> tuple[list[str], list[Verdict]]:
    """The report's lines, and the VERDICT of each backend and answer."""
    verdicts: list[Verdict] = []
    lines = [
        "| backend | answer | p50 ms, one login stored | p50 ms, after the fill | ratio | target <= 1.2x |",
        "|---|---|---:|---:|---:|---|",
    ]
    notes = []
    with tempfile.TemporaryDirectory(prefix="finstance-growth-") as tmp:
        work = Path(tmp)
        backends: list[tuple[str, str]] = [("SQLite", sqlite_url(work / "toolbox.db"))]
        with postgres_database() as pg_url:
            if pg_url is not None:
                backends.append(("PostgreSQL", pg_url))
            else:
                verdicts.append((f"{ROW}: PostgreSQL", "not measured: no PostgreSQL server at 127.0.0.1:5432",
                                 "-", f"<= {TARGET}x", False))  # fmt: skip
            for backend, url in backends:
                with server(["finstance", "--store-url", url], work / f"{backend}-setup.log") as port:
                    session = connect(port)
                small = measure(url, session.request_id, work, args.requests, args.rounds, f"{backend}-small")
                rows, seconds = fill(url, args.logins, args.per_login)
                notes.append(
                    f"- {backend}: plain insert of {rows:,} transactions ({args.logins:,} logins): "
                    f"{seconds:.1f} s, {rows / seconds:,.0f} rows/s"
                )
                large = measure(url, session.request_id, work, args.requests, args.rounds, f"{backend}-large")
                for name in ("kept", "rows"):
                    ratio = large[name] / small[name]
                    verdict = "PASS" if ratio <= TARGET else "FAIL"
                    cells = f"{small[name]:.2f} | {large[name]:.2f} | {ratio:.2f}x | {verdict}"
                    lines.append(f"| {backend} | {name} | {cells} |")
                    print(
                        f"TARGET growth {backend} {name}: {ratio:.2f}x (<= {TARGET}x) {verdict}", flush=True
                    )
                    verdicts.append((f"{ROW}: {backend}, {ANSWERS[name]}",
                                     f"{large[name]:.2f} ms with {rows:,} more transactions stored",
                                     f"{ratio:.2f}x the one-login store ({small[name]:.2f} ms)",
                                     f"<= {TARGET}x", ratio <= TARGET))  # fmt: skip
    return [
        *lines,
        "",
        *notes,
        f"- {args.rounds} rounds of {args.requests} sequential calls per cell over one connection, each "
        "after 10 warm-up calls; a cell is the lowest p50 of its rounds; 'kept' is the default server "
        "(document cache), 'rows' a server with FINSTANCE_DOCUMENT_CACHE_BYTES=0",
    ], verdicts


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--logins", type=int, default=10_000)
    parser.add_argument("--per-login", type=int, default=100)
    parser.add_argument("--no-record", action="store_true", help="do not append to benchmarks/RESULTS.md")
    args = parser.parse_args()
    lines, verdicts = run(args)
    report = "\n".join(lines)
    print(report)
    for verdict in verdicts:
        emit_verdict(*verdict)
    if not args.no_record:
        record("store_growth", report)


if __name__ == "__main__":
    main()
