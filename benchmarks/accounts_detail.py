"""The cached GetAccountsDetail under wrk (a C load generator): finstance on SQLite and PostgreSQL against a
bare ASGI app serving the same bytes, at 32 connections.

    .venv/bin/python benchmarks/accounts_detail.py [--duration 10] [--connections 32] [--no-record]

Setup (as in ``cached_flow.py``): ``greatday_nomfa`` connected live and aggregated, then a cached Authorize
whose RequestId every request uses: ``POST GetAccountsDetail {"RequestId", "DaysOfTransactions": "Days90",
"WithTransactions": true, "WithBalance": true}`` with the x-api-key, about 32 KB of JSON. Each server is one
uvicorn process (``servers.py``); wrk runs with 1 thread on the same 2 cores. Every answer that is not a
200 is counted and printed. Targets: SQLite >= 0.25x bare and p99 < 25 ms; PostgreSQL >= 0.15x bare.
Needs ``wrk`` (``apt-get install wrk``).
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from cached_flow import DETAIL_OPTIONS, PREFIX, connect, postgres_database, server
from common import emit_verdict, record
from finstance.core.instance import TOOLBOX_API_KEY, sqlite_url

TARGETS = {"finstance SQLite": 0.25, "finstance PostgreSQL": 0.15}
P99_TARGET_MS = {"finstance SQLite": 25.0}

SCRIPT = """
wrk.method = "POST"
wrk.body = [[%(body)s]]
wrk.headers["Content-Type"] = "application/json"
wrk.headers["x-api-key"] = "%(key)s"
done = function(summary, latency, requests)
  io.write(string.format("RESULT %%d %%d %%d %%d %%d %%f %%f %%f\\n", summary.requests,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status, summary.duration, summary.bytes,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
"""


@dataclass(frozen=True)
class Result:
    server: str
    requests: int
    transport_errors: int
    non_2xx: int
    seconds: float
    p50_ms: float
    p99_ms: float
    max_ms: float

    @property
    def rate(self) -> float:
        return self.requests / self.seconds


def wrk(port: int, path: str, body: str, connections: int, duration: float, work: Path, name: str) -> Result:
    script = work / f"{name}.lua"
    script.write_text(SCRIPT % {"body": body, "key": TOOLBOX_API_KEY})
    seconds = f"-d{round(duration)}s"
    command = ["wrk", "-t1", f"-c{connections}", seconds, "--timeout", "10s", "-s", str(script)]
    done = subprocess.run(
        [*command, f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True, timeout=duration + 60
    )
    found = re.search(r"^RESULT (.*)$", done.stdout, re.M)
    if found is None:
        raise RuntimeError(f"wrk printed no result:\n{done.stdout}\n{done.stderr}")
    requests, errors, status, micros, _bytes, p50, p99, peak = found.group(1).split()
    return Result(name, int(requests), int(errors), int(status), int(micros) / 1e6, float(p50), float(p99),
                  float(peak))  # fmt: skip


def measure(name: str, store_url: str, work: Path, args: argparse.Namespace) -> tuple[Result, bytes, str]:
    with server(["finstance", "--store-url", store_url], work / f"{name}.log") as port:
        session = connect(port)
        body = json.dumps({"RequestId": session.request_id, **DETAIL_OPTIONS})
        wrk(port, f"{PREFIX}/GetAccountsDetail", body, args.connections, 2, work, name)  # warm-up
        result = wrk(port, f"{PREFIX}/GetAccountsDetail", body, args.connections, args.duration, work, name)
        return result, session.body, session.content_type


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--no-record", action="store_true", help="do not append to benchmarks/RESULTS.md")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: apt-get install wrk")
    results: list[Result] = []
    with tempfile.TemporaryDirectory(prefix="finstance-wrk-") as tmp:
        work = Path(tmp)
        sqlite, body, content_type = measure("finstance SQLite", sqlite_url(work / "toolbox.db"), work, args)
        results.append(sqlite)
        with postgres_database() as pg_url:
            if pg_url is not None:
                results.append(measure("finstance PostgreSQL", pg_url, work, args)[0])
        (work / "detail.json").write_bytes(body)
        bare_args = ["bare", "--body-file", str(work / "detail.json"), "--content-type", content_type]
        with server(bare_args, work / "bare.log") as port:
            request = json.dumps({"RequestId": "x", **DETAIL_OPTIONS})
            wrk(port, f"{PREFIX}/GetAccountsDetail", request, args.connections, 2, work, "bare")
            bare = wrk(
                port, f"{PREFIX}/GetAccountsDetail", request, args.connections, args.duration, work, "bare"
            )
    lines = [
        f"wrk -t1 -c{args.connections} -d{args.duration:g}s, POST GetAccountsDetail ({len(body):,} bytes)",
        "",
        "| server | req/s | ÷ bare | p50 ms | p99 ms | max ms | non-2xx | transport errors | target |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in [*results, bare]:
        ratio = r.rate / bare.rate
        verdicts = []
        if r.server in TARGETS:
            verdicts.append(f"≥ {TARGETS[r.server]}x: {'PASS' if ratio >= TARGETS[r.server] else 'FAIL'}")
        if r.server in P99_TARGET_MS:
            limit = P99_TARGET_MS[r.server]
            verdicts.append(f"p99 < {limit:g} ms: {'PASS' if r.p99_ms < limit else 'FAIL'}")
        if r.non_2xx or r.transport_errors:
            verdicts.append("FAIL: errors")
        lines.append(
            f"| {r.server} | {r.rate:,.0f} | {ratio:.3f} | {r.p50_ms:.1f} | {r.p99_ms:.1f} | {r.max_ms:.1f} "
            f"| {r.non_2xx} | {r.transport_errors} | {'; '.join(verdicts) or '-'} |"
        )
    report = "\n".join(lines)
    print(report)
    print_verdicts(results, bare, args.connections)
    if not args.no_record:
        record("accounts_detail", report)


def print_verdicts(results: list[Result], bare: Result, connections: int) -> None:
    """The VERDICT line of each finstance row, from the same figures and targets as the table."""
    measured = {r.server: r for r in results}
    for name in TARGETS:
        row = f"cached GetAccountsDetail, {name.removeprefix('finstance ')}"
        targets = [f">= {TARGETS[name]:g}x bare"]
        if name in P99_TARGET_MS:
            targets.append(f"p99 < {P99_TARGET_MS[name]:g} ms")
        r = measured.get(name)
        if r is None:
            emit_verdict(
                row, "not measured: no PostgreSQL server at 127.0.0.1:5432", "-", "; ".join(targets), False
            )
            continue
        ratio = r.rate / bare.rate
        passed = ratio >= TARGETS[name] and not r.non_2xx and not r.transport_errors
        if name in P99_TARGET_MS:
            passed = passed and r.p99_ms < P99_TARGET_MS[name]
        text = f"{r.rate:,.0f} req/s at {connections} connections, p99 {r.p99_ms:.1f} ms"
        if r.non_2xx or r.transport_errors:
            text += f", {r.non_2xx} non-2xx, {r.transport_errors} transport errors"
        emit_verdict(row, text, f"{ratio:.3f}x bare ({bare.rate:,.0f} req/s)", "; ".join(targets), passed)


if __name__ == "__main__":
    main()
