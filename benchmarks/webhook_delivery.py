"""Webhook delivery: throughput and commit-to-receipt latency of ``finstance worker`` vs raw httpx POSTs.

    .venv/bin/python benchmarks/webhook_delivery.py [--events N] [--no-record]

For SQLite and PostgreSQL (a fresh database on 127.0.0.1:5432 per cell, dropped at the end; skipped if no
server answers), with 1 and 4 ``finstance worker`` processes, each cell on a fresh instance:

- backlog: the workers are started and idle; N events are committed in one transaction (``webhooks.emit``);
  throughput = (N - 1) / (last receipt - first receipt); latency = receipt - the event's ``created_at``
  (taken inside the committing transaction), so it is mostly time spent queued behind the backlog.
- paced: 40 events, one per transaction, 10 per second; latency = receipt - ``created_at`` at light load.

Also, per backend, the embedded layout: the worker thread that ``finstance serve`` runs beside its API, in the
process that commits the events (woken at commit rather than by its poll or a notification).

Baseline, same run, same receiver: 1 and 4 threads each POSTing the same body with the same signed headers in
a loop (one keep-alive ``httpx.Client`` per thread) until N requests are sent. Latency = receipt - the
client's clock just before the POST. Threads, not processes, because the loop is I/O-bound (httpx releases
the GIL while waiting) and a thread pool is what a simple sender would use; on 2 cores it can only
understate the baseline, never overstate it.

The receiver is a bare ASGI app in its own uvicorn process that records (webhook-id, time.time()) and
answers 200. Everything runs on one machine, so both clocks are the same wall clock.
"""

from __future__ import annotations

import argparse
import os
import platform
import shlex
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import orjson
import psycopg
from psycopg import sql
from sqlalchemy import select

from common import emit_verdict
from finstance.core import webhooks
from finstance.core.country import Country
from finstance.core.instance import sqlite_url
from finstance.core.store import tables
from finstance.core.worker import Worker
from finstance.instances import serving
from finstance.instances.directory import Directory, Entry

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "RESULTS.md"
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_BASE = "postgresql+psycopg://postgres@127.0.0.1:5432/"
WORKERS = (1, 4)
PACED_EVENTS, PACED_RATE = 40, 10.0
PACED_P99_TARGET_MS = 100.0  # commit to receipt at light load
RATE_TARGET = 0.5  # backlog events/s ÷ the raw httpx loop's with as many loops as workers
STORES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


# -- the receiver (its own process) -----------------------------------------------------------------


def receiver_app() -> Any:
    records: list[tuple[str, float]] = []

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                else:
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        more = True
        while more:
            message = await receive()
            more = message.get("more_body", False)
        now = time.time()
        body = b""
        if scope["path"] == "/dump":
            body = orjson.dumps(records)
            records.clear()
        else:
            webhook_id = next((v.decode() for k, v in scope["headers"] if k == b"webhook-id"), "")
            records.append((webhook_id, now))
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-length", str(len(body)).encode())]})  # fmt: skip
        await send({"type": "http.response.body", "body": body})

    return app


def run_receiver(port: int) -> None:
    import uvicorn

    uvicorn.run(receiver_app(), host="127.0.0.1", port=port, log_level="warning", access_log=False)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def receiver_process() -> Iterator[str]:
    port = free_port()
    proc = subprocess.Popen([sys.executable, __file__, "--receiver", str(port)], cwd=ROOT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(f"{base}/dump", timeout=1)
                break
            except httpx.HTTPError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        yield base
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(10)


def dump(base: str) -> list[tuple[str, float]]:
    return [(i, t) for i, t in httpx.get(f"{base}/dump", timeout=30).json()]


# -- measurements -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    sender: str
    backend: str
    workers: int
    events: int
    rate: float  # events/s (backlog)
    drain_s: float  # commit (or first send) -> last receipt
    p50: float  # ms, backlog
    p99: float
    paced_p50: float | None  # ms, paced
    paced_p99: float | None
    duplicates: int


def pct(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, round(q * (len(s) - 1)))] * 1000


def pg_available() -> bool:
    try:
        psycopg.connect(PG_ADMIN, connect_timeout=2, autocommit=True).close()
        return True
    except psycopg.Error:
        return False


@contextmanager
def pg_database() -> Iterator[str]:
    name = f"finstance_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield PG_BASE + name
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def start_workers(data_dir: Path, entry: Entry, n: int) -> list[subprocess.Popen[bytes]]:
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "finstance",
                "worker",
                "--instance",
                entry.name,
                "--data-dir",
                str(data_dir),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            cwd=ROOT,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        for _ in range(n)
    ]
    for proc in procs:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        if b"started" not in line:
            raise RuntimeError(f"worker did not start: {line!r}")
    return procs


def stop_workers(procs: list[subprocess.Popen[bytes]]) -> None:
    for proc in procs:
        proc.send_signal(signal.SIGTERM)
    for proc in procs:
        proc.wait(30)
        if proc.stdout:
            proc.stdout.close()


def wait_receipts(base: str, want: set[str], timeout: float) -> list[tuple[str, float]]:
    got: list[tuple[str, float]] = []
    seen: set[str] = set()
    deadline = time.monotonic() + timeout
    while not want <= seen:
        if time.monotonic() > deadline:
            raise RuntimeError(f"only {len(want & seen)}/{len(want)} events arrived in {timeout:.0f} s")
        time.sleep(0.2)
        new = dump(base)
        got += new
        seen.update(i for i, _ in new)
    return got


def worker_cell(
    backend: str, store_url: str, workers: int, events: int, base: str, tmp: Path, *, in_process: bool = False
) -> Row:
    """``workers`` ``finstance worker`` processes; or, ``in_process``, the worker thread that
    ``finstance serve`` runs beside its API, in the process that commits the events (the embedded layout)."""
    data_dir = tmp / f"{backend}-{workers}{'-in-process' if in_process else ''}"
    entry, _ = Directory(data_dir).create(f"bench{workers}", Country.CA, store_url=store_url, sandbox=True)
    ctx = serving.instance_context(entry)
    try:
        webhooks.add_endpoint(ctx, f"{base}/hook")
        if in_process:
            thread = Worker(ctx)
            thread.start()
            procs: list[subprocess.Popen[bytes]] = []
        else:
            procs = start_workers(data_dir, entry, workers)
        try:
            dump(base)
            with ctx.store.write() as db:
                ids = [webhooks.emit(ctx, db, "Test", {"HttpStatusCode": 200, "N": i}, seq=i).id
                       for i in range(events)]  # fmt: skip
            committed = time.time()
            backlog = wait_receipts(base, set(ids), timeout=600)
            paced_ids = []
            for i in range(PACED_EVENTS):
                with ctx.store.write() as db:
                    paced_ids.append(
                        webhooks.emit(ctx, db, "Test", {"HttpStatusCode": 200, "N": i}, seq=i).id
                    )
                time.sleep(1 / PACED_RATE)
            paced = wait_receipts(base, set(paced_ids), timeout=60)
        finally:
            if in_process:
                thread.stop()
            stop_workers(procs)
        with ctx.store.read() as db:
            created = {
                i: t.timestamp()
                for i, t in db.execute(select(tables.OutboxEvent.id, tables.OutboxEvent.created_at)).all()
            }
    finally:
        ctx.store.dispose()
    first: dict[str, float] = {}
    for i, t in backlog + paced:
        first[i] = min(t, first.get(i, t))
    times = sorted(first[i] for i in ids)
    lat = [first[i] - created[i] for i in ids]
    paced_lat = [first[i] - created[i] for i in paced_ids]
    rate = (events - 1) / (times[-1] - times[0])
    duplicates = len(backlog) + len(paced) - len(first)
    sender = "finstance serve (worker thread)" if in_process else "finstance worker"
    return Row(sender, backend, workers, events, rate, times[-1] - committed, pct(lat, 0.5),
               pct(lat, 0.99), pct(paced_lat, 0.5), pct(paced_lat, 0.99), duplicates)  # fmt: skip


def raw_cell(loops: int, events: int, base: str, body: bytes, secret: str) -> Row:
    """`loops` threads POST the same body with freshly signed headers until `events` requests are sent."""
    dump(base)
    sent: dict[str, float] = {}
    lock = threading.Lock()
    counter = iter(range(events))

    def loop() -> None:
        with httpx.Client(timeout=30, trust_env=False) as client:
            while True:
                with lock:
                    if next(counter, None) is None:
                        return
                webhook_id = str(uuid.uuid4())
                stamp = int(time.time())
                headers = {
                    "content-type": "application/json; charset=utf-8",
                    "flinks-authenticity-key": webhooks.flinks_signature(secret, body),
                    "x-flinks-signature": webhooks.flinks_signature(secret, body),
                    "webhook-id": webhook_id,
                    "webhook-timestamp": str(stamp),
                    "webhook-signature": webhooks.standard_signature(secret, webhook_id, stamp, body),
                }
                t = time.time()
                response = client.post(f"{base}/hook", content=body, headers=headers)
                response.raise_for_status()
                with lock:
                    sent[webhook_id] = t

    start = time.time()
    threads = [threading.Thread(target=loop) for _ in range(loops)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    got = wait_receipts(base, set(sent), timeout=60)
    recv = dict(got)
    times = sorted(recv.values())
    lat = [recv[i] - sent[i] for i in sent]
    return Row("raw httpx loop", "-", loops, events, (events - 1) / (times[-1] - times[0]), times[-1] - start,
               pct(lat, 0.5), pct(lat, 0.99), None, None, len(got) - len(recv))  # fmt: skip


# -- report -----------------------------------------------------------------------------------------


def table(rows: list[Row]) -> str:
    raw = {r.workers: r for r in rows if r.sender == "raw httpx loop"}
    out = [
        "| sender | store | workers / loops | events | events/s | ÷ raw (same N) | drain s | p50 ms | p99 ms "
        "| paced p50 ms | paced p99 ms | dup |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        ratio = (
            f"{r.rate / raw[r.workers].rate:.3f}"
            if r.workers in raw and r.sender != "raw httpx loop"
            else "1"
        )
        paced = "- | -"
        if r.paced_p50 is not None and r.paced_p99 is not None:
            paced = f"{r.paced_p50:.0f} | {r.paced_p99:.0f}"
        out.append(
            f"| {r.sender} | {r.backend} | {r.workers} | {r.events} | {r.rate:.0f} | {ratio} "
            f"| {r.drain_s:.2f} | {r.p50:.1f} | {r.p99:.1f} | {paced} | {r.duplicates} |"
        )
    return "\n".join(out)


def print_verdicts(rows: list[Row], backends: list[str]) -> None:
    """The VERDICT lines of the two webhook rows, one per finstance cell: paced p99 against the target (and
    against the raw loop's p99), backlog events/s ÷ the raw loop's with as many loops as workers."""
    raw = {r.workers: r for r in rows if r.sender == "raw httpx loop"}
    cells = [r for r in rows if r.sender != "raw httpx loop"]
    latency_row, latency_target = (
        "webhook commit to receipt at light load",
        f"p99 < {PACED_P99_TARGET_MS:g} ms",
    )
    for r in cells:
        base = raw[r.workers]
        if r.paced_p50 is not None and r.paced_p99 is not None:
            measured = f"p99 {r.paced_p99:.1f} ms, p50 {r.paced_p50:.1f} ms"
            measured += f" ({PACED_EVENTS} events, {PACED_RATE:g}/s)"
            ratio = f"{r.paced_p99 / base.p99:.0f}x" if base.p99 else "-"
            ratio += f" raw httpx p99 ({base.p99:.1f} ms, {loops(base.workers)})"
            passed = r.paced_p99 < PACED_P99_TARGET_MS
            emit_verdict(f"{latency_row}: {cell_name(r)}", measured, ratio, latency_target, passed)
    rate_row, rate_target = "webhook backlog throughput", f">= {RATE_TARGET:g}x a raw httpx loop"
    for r in cells:
        base = raw[r.workers]
        measured = f"{r.rate:,.0f} events/s ({r.events} events)"
        ratio = f"{r.rate / base.rate:.3f}x raw httpx ({base.rate:,.0f} events/s, {loops(base.workers)})"
        passed = r.rate / base.rate >= RATE_TARGET
        emit_verdict(f"{rate_row}: {cell_name(r)}", measured, ratio, rate_target, passed)
    for backend in STORES.keys() - set(backends):
        missing = f"not measured: no {STORES[backend]} server at 127.0.0.1:5432"
        emit_verdict(f"{latency_row}: {STORES[backend]}", missing, "-", latency_target, False)
        emit_verdict(f"{rate_row}: {STORES[backend]}", missing, "-", rate_target, False)


def cell_name(r: Row) -> str:
    if r.sender == "finstance worker":
        return f"{r.workers} finstance worker process{'es' if r.workers > 1 else ''}, {STORES[r.backend]}"
    return f"finstance serve's worker thread, {STORES[r.backend]}"


def loops(n: int) -> str:
    return f"{n} loop{'s' if n > 1 else ''}"


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    system = f"{platform.system()} {platform.release()}"
    return f"{system}, {cpu}, {os.cpu_count()} CPUs, Python {platform.python_version()}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--no-record", action="store_true")
    parser.add_argument("--receiver", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.receiver:
        run_receiver(args.receiver)
        return
    notes: list[str] = []
    rows: list[Row] = []
    body = orjson.dumps({"ResponseType": "Test", "HttpStatusCode": 200, "N": 0})
    secret = "bench-secret"
    with receiver_process() as base, tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        for loops in WORKERS:
            rows.append(raw_cell(loops, args.events, base, body, secret))
            print(table(rows), flush=True)
        backends: list[str] = ["sqlite"]
        if pg_available():
            backends.append("postgresql")
        else:
            notes.append("PostgreSQL rows skipped: no server at 127.0.0.1:5432")
        for backend in backends:
            for workers, in_process in [(1, True)] + [(n, False) for n in WORKERS]:
                if backend == "sqlite":
                    url = sqlite_url(tmp / f"store-{workers}{'-in' if in_process else ''}.db")
                    rows.append(
                        worker_cell(backend, url, workers, args.events, base, tmp, in_process=in_process)
                    )
                else:
                    with pg_database() as url:
                        rows.append(
                            worker_cell(backend, url, workers, args.events, base, tmp, in_process=in_process)
                        )
                print(table(rows), flush=True)
    result = table(rows)
    print()
    print(result)
    for note in notes:
        print(note)
    print_verdicts(rows, backends)
    if not args.no_record:
        command = shlex.join([".venv/bin/python", "benchmarks/webhook_delivery.py", *sys.argv[1:]])
        with RESULTS.open("a") as f:
            f.write(f"\n## webhook_delivery — {datetime.now().strftime('%Y-%m-%d %H:%M')}\n\n")
            f.write(f"- machine: {machine()}\n- command: `{command}`\n\n{result}\n")
            for note in notes:
                f.write(f"\n- {note}\n")
            f.write(
                "\nevents/s: events delivered per second of drain; p50/p99: commit-to-receipt latency, "
                "with the whole backlog committed at once; paced: the same at light load.\n"
            )


if __name__ == "__main__":
    main()
