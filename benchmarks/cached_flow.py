"""Throughput and latency of the cached Flinks flow, against serving the same bytes from a bare ASGI app.

    .venv/bin/python benchmarks/cached_flow.py [--duration S] [--quick]

One flow = GenerateAuthorizeToken, cached Authorize (MostRecentCached), GetAccountsDetail (90 days of
transactions, balances). finstance runs in its own uvicorn process (one worker) on SQLite, then on
PostgreSQL (a fresh database on 127.0.0.1:5432, dropped at the end; skipped if no server answers). The
baseline is a bare ASGI callable answering every POST with the bytes of a real GetAccountsDetail 200.
The load generator (benchmarks/loadgen.py) is a separate process; everything stays on loopback.
finstance runs with its authentication rate limits off (``FINSTANCE_TOKEN_RATE=0`` and the others, as
``finstance.testing`` runs a sandbox): at their defaults the load would measure the 401 TOO_MANY_REQUESTS
path after the first 600 tokens a minute, not the flow.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import psycopg
from psycopg import sql

from common import emit_verdict, record
from common import machine as machine  # the other scripts take it from here
from finstance.core.instance import TOOLBOX_API_KEY, TOOLBOX_CUSTOMER_ID, TOOLBOX_SECRET_KEY, sqlite_url

HERE = Path(__file__).resolve().parent
PREFIX = f"/v3/{TOOLBOX_CUSTOMER_ID}/BankingServices"
CONCURRENCY = (1, 32)
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
DETAIL_OPTIONS = {"WithTransactions": True, "DaysOfTransactions": "Days90", "WithBalance": True}


@dataclass(frozen=True)
class Session:
    """What setup leaves for the measurement: a login with data, and a real GetAccountsDetail answer."""

    login_id: str
    request_id: str
    body: bytes
    content_type: str


@dataclass(frozen=True)
class Cell:
    server: str
    concurrency: int
    result: dict[str, Any]


# --- processes -------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_ready(process: subprocess.Popen[bytes], port: int, log: Path, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        with contextlib.suppress(httpx.TransportError):
            httpx.get(f"http://127.0.0.1:{port}/", timeout=2.0)
            return
        time.sleep(0.1)
    raise RuntimeError(f"server not ready after {timeout} s:\n{log.read_text()[-3000:]}")


@contextlib.contextmanager
def server(args: list[str], log: Path, env: dict[str, str] | None = None) -> Iterator[int]:
    """Run ``benchmarks/servers.py ARGS --port P`` (with ``env`` added to the environment) until the block
    ends; yields P."""
    port = free_port()
    command = [sys.executable, str(HERE / "servers.py"), *args, "--port", str(port)]
    with log.open("wb") as sink:
        environ = {**os.environ, **(env or {})}
        process = subprocess.Popen(command, stdout=sink, stderr=subprocess.STDOUT, env=environ)
        try:
            wait_ready(process, port, log)
            yield port
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def load(port: int, mode: str, concurrency: int, duration: float, **ids: str) -> dict[str, Any]:
    command = [sys.executable, str(HERE / "loadgen.py"), mode, "--port", str(port)]
    command += ["--concurrency", str(concurrency), "--duration", str(duration)]
    for name, value in ids.items():
        command += [f"--{name.replace('_', '-')}", value]
    done = subprocess.run(command, capture_output=True, check=True, timeout=duration + 120)
    result: dict[str, Any] = json.loads(done.stdout)
    return result


# --- setup over HTTP -------------------------------------------------------------------------------


def post(http: httpx.Client, endpoint: str, body: Any, headers: dict[str, str]) -> httpx.Response:
    response = http.post(f"{PREFIX}/{endpoint}", json=body, headers=headers)
    if response.status_code != 200:
        raise RuntimeError(f"setup: {endpoint} answered {response.status_code}: {response.text[:500]}")
    return response


def authorize(http: httpx.Client, body: dict[str, Any]) -> dict[str, Any]:
    token = post(http, "GenerateAuthorizeToken", None, {"flinks-auth-key": TOOLBOX_SECRET_KEY}).json()[
        "Token"
    ]
    answer: dict[str, Any] = post(http, "Authorize", body, {"flinks-auth-key": token}).json()
    return answer


def wait_aggregated(http: httpx.Client, request_id: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        polled = http.get(
            f"{PREFIX}/GetAccountsDetailAsync/{request_id}", headers={"x-api-key": TOOLBOX_API_KEY}
        )
        if polled.status_code == 200:
            return
        if polled.status_code != 202:
            raise RuntimeError(
                f"setup: GetAccountsDetailAsync answered {polled.status_code}: {polled.text[:500]}"
            )
        time.sleep(0.25)
    raise RuntimeError(f"setup: aggregation not done after {timeout} s")


def connect(port: int) -> Session:
    """Connect greatday_nomfa live, wait for its data, then run one cached flow to capture the answer."""
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30.0) as http:
        live = {"Institution": "FlinksCapital", "Username": "greatday_nomfa", "Password": "Everyday",
                "MostRecentCached": False, "Save": True}  # fmt: skip
        session = authorize(http, live)
        wait_aggregated(http, session["RequestId"])
        login_id = session["Login"]["Id"]
        cached = authorize(http, {"LoginId": login_id, "MostRecentCached": True})
        body = {"RequestId": cached["RequestId"], **DETAIL_OPTIONS}
        detail = post(http, "GetAccountsDetail", body, {"x-api-key": TOOLBOX_API_KEY})
        return Session(login_id, cached["RequestId"], detail.content, detail.headers["content-type"])


# --- the measured cells ----------------------------------------------------------------------------


# The authentication rate limits off, so that a load of flows measures flows (see the docstring).
UNLIMITED = {"FINSTANCE_TOKEN_RATE": "0", "FINSTANCE_AUTHORIZE_RATE": "0", "FINSTANCE_LOGIN_RATE": "0"}


def measure_finstance(name: str, store_url: str, work: Path, duration: float) -> tuple[list[Cell], Session]:
    with server(["finstance", "--store-url", store_url], work / f"{name}.log", UNLIMITED) as port:
        session = connect(port)
        cells = [
            Cell(name, c, load(port, "flow", c, duration, login_id=session.login_id)) for c in CONCURRENCY
        ]
    return cells, session


def measure_baseline(session: Session, work: Path, duration: float) -> list[Cell]:
    body_file = work / "detail.json"
    body_file.write_bytes(session.body)
    args = ["bare", "--body-file", str(body_file), "--content-type", session.content_type]
    with server(args, work / "bare.log") as port:
        return [
            Cell("bare ASGI", c, load(port, "single", c, duration, request_id=session.request_id))
            for c in CONCURRENCY
        ]


@contextlib.contextmanager
def postgres_database() -> Iterator[str | None]:
    """A fresh database on the local PostgreSQL server, dropped afterwards; None if no server answers."""
    name = f"finstance_bench_{uuid.uuid4().hex[:12]}"
    try:
        admin = psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as exc:
        print(f"note: PostgreSQL skipped, no server answers at 127.0.0.1:5432 ({exc})".strip())
        yield None
        return
    with admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        try:
            yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
        finally:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def run_all(duration: float) -> tuple[list[Cell], list[str]]:
    notes: list[str] = []
    with tempfile.TemporaryDirectory(prefix="finstance-bench-") as tmp:
        work = Path(tmp)
        cells, session = measure_finstance(
            "finstance SQLite", sqlite_url(work / "toolbox.db"), work, duration
        )
        notes.append(f"GetAccountsDetail body {len(session.body):,} bytes, {session.content_type}")
        with postgres_database() as pg_url:
            if pg_url is None:
                notes.append("PostgreSQL skipped: no server at 127.0.0.1:5432")
            else:
                pg_cells, pg_session = measure_finstance("finstance PostgreSQL", pg_url, work, duration)
                cells += pg_cells
                notes.append(f"PostgreSQL GetAccountsDetail body {len(pg_session.body):,} bytes")
        cells += measure_baseline(session, work, duration)
    return cells, notes


# --- report ----------------------------------------------------------------------------------------


def ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def ratio(a: float | None, b: float | None) -> str:
    return "-" if a is None or not b else f"{a / b:.2f}"


def failures(cell: Cell) -> str:
    counted = {**cell.result["failures"]}
    for key, count in cell.result["warmup_failures"].items():
        counted[f"warmup {key}"] = count
    return ", ".join(f"{k}: {v}" for k, v in sorted(counted.items())) or "0"


def row(cell: Cell, base: Cell) -> str:
    r, b = cell.result, base.result
    if cell is base:
        flows, flow_lat, ratios = "-", "-", "- | -"
    else:
        flows = f"{r['flows_per_s']:,.0f}"
        flow_lat = f"{ms(r['flow_p50_ms'])} / {ms(r['flow_p99_ms'])}"
        p50, p99 = (
            ratio(r["detail_p50_ms"], b["detail_p50_ms"]),
            ratio(r["detail_p99_ms"], b["detail_p99_ms"]),
        )
        ratios = f"{ratio(r['requests_per_s'], b['requests_per_s'])} | {p50} / {p99}"
    return (
        f"| {cell.server} | {cell.concurrency} | {flows} | {r['requests_per_s']:,.0f} | "
        f"{ms(r['detail_p50_ms'])} / {ms(r['detail_p99_ms'])} | {flow_lat} | {ratios} | {failures(cell)} |"
    )


def table(cells: list[Cell]) -> str:
    baseline = {cell.concurrency: cell for cell in cells if cell.server == "bare ASGI"}
    lines = [
        "| server | C | flows/s | req/s | GetAccountsDetail p50 / p99 ms | flow p50 / p99 ms "
        "| req/s ÷ bare | GAD p50 / p99 × bare | non-2xx / errors |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    ordered = sorted(cells, key=lambda c: (c.concurrency, c.server == "bare ASGI"))
    lines += [row(cell, baseline[cell.concurrency]) for cell in ordered]
    return "\n".join(lines)


TARGET_FLOWS = 1000.0


def print_verdict(cells: list[Cell]) -> None:
    """The VERDICT line of the SQLite flow: its best flows/s over the concurrencies measured, against the
    target, with requests/s ÷ bare at that concurrency."""
    sqlite = [c for c in cells if c.server == "finstance SQLite"]
    bare = {c.concurrency: c for c in cells if c.server == "bare ASGI"}
    best = max(sqlite, key=lambda c: c.result["flows_per_s"])
    rates = [f"{c.result['flows_per_s']:,.0f} at C={c.concurrency}" for c in sqlite if c is not best]
    measured = f"{best.result['flows_per_s']:,.0f} flows/s at C={best.concurrency}"
    measured += f" ({', '.join(rates)})" if rates else ""
    errors = [f"C={c.concurrency}: {failures(c)}" for c in sqlite if failures(c) != "0"]
    if errors:
        measured += f"; non-2xx / errors {'; '.join(errors)}"
    base = bare[best.concurrency].result["requests_per_s"]
    ratio = f"{best.result['requests_per_s'] / base:.3f}x bare req/s ({base:,.0f} req/s)"
    passed = best.result["flows_per_s"] >= TARGET_FLOWS and not errors
    emit_verdict("full cached flow, SQLite", measured, ratio, f">= {TARGET_FLOWS:,.0f} flows/s", passed)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--duration", type=float, default=None, help="seconds per cell (default 10, --quick 3)"
    )
    parser.add_argument("--quick", action="store_true", help="3 s per cell")
    parser.add_argument("--no-record", action="store_true", help="do not append to benchmarks/RESULTS.md")
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    duration = args.duration or (3.0 if args.quick else 10.0)
    cells, notes = run_all(duration)
    report = "\n".join(
        [table(cells), "", *(f"- {note}" for note in notes), f"- {duration:g} s per cell after 1 s warm-up"]
    )
    print(report)
    bad = [failures(c) for c in cells if failures(c) != "0"]
    if bad:
        print(f"\nWARNING: non-2xx answers or errors: {bad}")
    print_verdict(cells)
    if not args.no_record:
        record("cached_flow", report)


if __name__ == "__main__":
    main()
