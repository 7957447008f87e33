"""Pay: sessions created per second, and the settlement of 100k payment requests, each against a plain store
insert of the same rows measured in the same run.

    .venv/bin/python benchmarks/pay_settlement.py [--sessions 2000] [--requests 100000]
        [--postgres URL] [--no-record]

In process, on a fresh store (SQLite in a temporary directory; PostgreSQL too with ``--postgres``, in a
database of its own that is dropped after), wall time:

- **create**: what one V2 session costs the instance, a token from ``/authorize`` (the client's secret
  checked, the token stored) and the create (the token checked and spent, the body validated, the row
  inserted), against a plain ``INSERT`` of the same session row, one transaction per row as the API commits
  them. Target: at least 0.2x the plain insert's rate (the API commits three write transactions per session,
  the baseline one).
- **settle**: 100k accepted EFT debits of one file day: the run at the cut-off (each moved to ``Processed``
  with its ``PaymentStatusChanged`` event, the day's CPA-005 file written), the file rendered, and the next
  day's run (each ``Settled``, with its event), against one bulk ``INSERT`` of the same 100k rows. Target:
  within 30x the insert (a move is a row update and an event insert, twice, plus the file: about 5 row writes
  and a rendered segment per request, against one row write).
"""

from __future__ import annotations

import argparse
import base64
import statistics
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import create_engine, func, insert, select, text
from sqlalchemy.engine import make_url

from common import emit_verdict, record
from finstance.app import products_of
from finstance.core import clients
from finstance.core.clock import ManualClock
from finstance.core.context import InstanceContext
from finstance.core.instance import Settings, sqlite_url, toolbox_spec
from finstance.core.store import Store
from finstance.pay import calendar, files, lifecycle, sessions, settlement, tables
from finstance.pay.api import TOKEN_LIFETIME
from finstance.pay.lifecycle import Details, PaymentStatus, SessionStatus
from finstance.pay.rails import Direction, Rail

START = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)  # Thursday 15 January 2026, 07:00 in Toronto
DAY = START.date()
CREATE_TARGET = 0.2
SETTLE_TARGET = 30.0
BODY = orjson.dumps(
    {
        "referenceId": "BENCH",
        "type": "EFT",
        "direction": "DEBIT",
        "amount": 250.5,
        "options": {"guarantee": {"enable": True}},
        "payor": {"firstName": "John", "lastName": "Doe", "email": "john@example.com"},
    }
)
ACCOUNT = {"institutionCode": "777", "transitNumber": "12345", "accountNumber": "7654321"}


@dataclass(frozen=True)
class Cell:
    backend: str
    create_per_s: float
    insert_per_s: float
    settle_s: float
    bulk_insert_s: float
    at_cutoff_s: float
    render_s: float
    next_day_s: float
    file_bytes: int


def context(url: str) -> InstanceContext:
    store = Store(url)
    store.migrate()
    spec = toolbox_spec(url)
    # The token rate is counted as always, but set past what a run asks for: it is there to refuse floods.
    settings = Settings(run_worker=False, token_rate=10**9)
    return InstanceContext(spec, store, ManualClock(START), settings, products=products_of(spec))


def create_rate(ctx: InstanceContext, count: int) -> float:
    issued = clients.create(ctx, "pay", "bench")
    basic = "Basic " + base64.b64encode(f"{issued.client_id}:{issued.client_secret}".encode()).decode()
    form = b"grant_type=client_credentials"
    started = time.perf_counter()
    for _ in range(count):
        grant = clients.token_request(ctx, "pay", basic, form, TOKEN_LIFETIME)
        sessions.create(ctx, f"Bearer {grant.body()['access_token']}", BODY, None)
    return count / (time.perf_counter() - started)


def session_row(ctx: InstanceContext, *, accepted: bool) -> dict[str, Any]:
    """A session row as the API stores it; ``accepted``: as the payor's flow leaves it (an EFT for today)."""
    at = START
    request = lifecycle.new_request(Rail.GUARANTEED_EFT, Direction.DEBIT, at, amount=25050)
    step = lifecycle.next_transition(request)
    row = {
        "id": ctx.spec.ids.random(),
        "client_id": str(uuid.uuid4()),
        "reference_id": "BENCH",
        "rail": "GEFT",
        "direction": "DEBIT",
        "currency": "CAD",
        "amount": 25050,
        "status": SessionStatus.INITIATED,
        "status_details": Details.CREATED.value,
        "payment_status": PaymentStatus.INITIATED,
        "payment_since": at,
        "payment_details": Details.CREATED.value,
        "due_at": step.at if step else None,
        "file_date": None,
        "file_id": None,
        "flow": None,
        "step": "Start",
        "payor": {"firstName": "John", "lastName": "Doe"},
        "payee": {"account": dict(files.SANDBOX_PAYEE)},
        "options": {"guarantee": {"enable": True}},
        "login_id": None,
        "idempotency_key": None,
        "request_hash": "0" * 64,
        "guaranteed": True,
        "created_at": at,
        "updated_at": at,
        "completed_at": None,
    }
    if accepted:
        sent = calendar.cutoff_instant(DAY)
        row.update(
            status=SessionStatus.COMPLETED,
            status_details=Details.SCHEDULED.value,
            payment_status=PaymentStatus.ACCEPTED,
            payment_details=Details.SCHEDULED.value,
            due_at=sent,
            file_date=DAY,
            step="Complete",
            completed_at=at,
            payor={"firstName": "John", "lastName": "Doe", "account": dict(ACCOUNT)},
        )
    return row


def insert_rate(ctx: InstanceContext, count: int) -> float:
    rows = [session_row(ctx, accepted=False) for _ in range(count)]
    started = time.perf_counter()
    for row in rows:
        with ctx.store.write() as db:
            db.execute(insert(tables.PaySession), [row])
    return count / (time.perf_counter() - started)


def settle(ctx: InstanceContext, requests: int) -> tuple[float, float, float, float, int]:
    """(bulk insert s, run at the cut-off s, render s, next day's run s, file bytes) for ``requests``."""
    rows = [session_row(ctx, accepted=True) for _ in range(requests)]
    started = time.perf_counter()
    with ctx.store.write() as db:
        for at in range(0, len(rows), 5000):
            db.execute(insert(tables.PaySession), rows[at : at + 5000])
    bulk = time.perf_counter() - started
    clock = ctx.clock
    assert isinstance(clock, ManualClock)
    clock.advance(calendar.cutoff_instant(DAY) - START)
    started = time.perf_counter()
    done = settlement.run(ctx)
    at_cutoff = time.perf_counter() - started
    assert [f.debit_count for f in done.files] == [requests], done.files
    started = time.perf_counter()
    with ctx.store.read() as db:
        made = db.scalars(select(tables.PayFile)).one()
        content = files.render(ctx, db, made)
    render = time.perf_counter() - started
    clock.advance(timedelta(hours=12))  # past midnight: the settlement day
    started = time.perf_counter()
    settlement.run(ctx)
    next_day = time.perf_counter() - started
    with ctx.store.read() as db:
        settled = db.scalar(
            select(func.count())
            .select_from(tables.PaySession)
            .where(tables.PaySession.payment_status == PaymentStatus.SETTLED)
        )
    assert settled == requests, settled
    return bulk, at_cutoff, render, next_day, len(content)


def measure(backend: str, url: str, sessions_count: int, requests: int) -> Cell:
    ctx = context(url)
    try:
        create = statistics.median(create_rate(ctx, sessions_count) for _ in range(3))
        plain = statistics.median(insert_rate(ctx, sessions_count) for _ in range(3))
    finally:
        ctx.store.dispose()
    ctx = context(url)
    try:
        with ctx.store.write() as db:  # settlement starts from an instance with no session
            db.execute(tables.PaySession.__table__.delete())
        bulk, at_cutoff, render, next_day, size = settle(ctx, requests)
    finally:
        ctx.store.dispose()
    return Cell(
        backend, create, plain, at_cutoff + render + next_day, bulk, at_cutoff, render, next_day, size
    )


def postgres_database(admin_url: str) -> tuple[str, Any]:
    """A database of its own on the server of ``admin_url``, and how to drop it."""
    name = f"finstance_bench_{uuid.uuid4().hex[:8]}"
    engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        engine.dispose()

    return make_url(admin_url).set(database=name).render_as_string(hide_password=False), drop


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sessions", type=int, default=2000)
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--postgres", metavar="URL", help="also measure on this PostgreSQL server")
    parser.add_argument("--no-record", action="store_true", help="do not append to benchmarks/RESULTS.md")
    args = parser.parse_args()
    cells = []
    with tempfile.TemporaryDirectory() as tmp:
        cells.append(measure("SQLite", sqlite_url(Path(tmp) / "pay.db"), args.sessions, args.requests))
    if args.postgres:
        url, drop = postgres_database(args.postgres)
        try:
            cells.append(measure("PostgreSQL", url, args.sessions, args.requests))
        finally:
            drop()
    report = [
        "| store | sessions/s (authorize + create) | plain insert/s | ÷ insert "
        "| settle s (cut-off run + file + next day) | bulk insert s | × insert |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for c in cells:
        report.append(
            f"| {c.backend} | {c.create_per_s:,.0f} | {c.insert_per_s:,.0f} "
            f"| {c.create_per_s / c.insert_per_s:.2f} "
            f"| {c.settle_s:.1f} ({c.at_cutoff_s:.1f} + {c.render_s:.1f} + {c.next_day_s:.1f}) "
            f"| {c.bulk_insert_s:.2f} | {c.settle_s / c.bulk_insert_s:.1f} |"
        )
    details = [
        f"{args.sessions} sessions per create cell (median of 3 rounds); {args.requests:,} accepted EFT "
        f"debits of one file day for settlement; the file is {cells[0].file_bytes:,} bytes",
    ]
    print("\n".join(report))
    for c in cells:
        ratio = c.create_per_s / c.insert_per_s
        emit_verdict(
            f"Pay sessions created/s: {c.backend}", f"{c.create_per_s:,.0f}/s", f"{ratio:.2f}x insert",
            f">= {CREATE_TARGET}x insert", ratio >= CREATE_TARGET,
        )  # fmt: skip
        times = c.settle_s / c.bulk_insert_s
        emit_verdict(
            f"Pay settlement of {args.requests:,}: {c.backend}", f"{c.settle_s:.1f} s",
            f"{times:.1f}x insert", f"<= {SETTLE_TARGET:.0f}x insert", times <= SETTLE_TARGET,
        )  # fmt: skip
    if not args.no_record:
        record("pay_settlement", "\n".join(report), details)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
