"""Start-up time, memory and threads of a region server as the number of instances grows.

    .venv/bin/python benchmarks/region_startup.py [--counts 1,10,50] [--no-record]

For each N: a fresh data directory with N CA instances (bench000-ca, ...), then
``python -m finstance serve --region CA --data-dir D --host 127.0.0.1 --port P`` as a subprocess, twice on
the same directory: the first start creates, migrates and stamps the N SQLite stores (preflight), the
second only checks them. Each start is timed from process spawn until every instance answers ``GET /``
with Host ``{name}-api.localhost`` (and names itself), with two marks in between taken from the server's
own output: the announcement (imports, directory read and preflight done) and uvicorn's "Application
startup complete" (every instance's lifespan done: store opened, worker thread started).

Then, from /proc/PID: RSS, threads and open file descriptors after start-up, CPU used while idle for 3 s
(each instance's worker polls its store), RSS after one GenerateAuthorizeToken per instance, and the
latency of GET / round-robin across the instances. The server is stopped with SIGINT and must exit.

Baseline: a bare ``python -c`` process that imports uvicorn and FastAPI and serves one trivial app, measured
the same way, so the table shows what finstance and each further instance cost. Loopback only.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from common import compile_bytecode, emit_verdict, record
from finstance.core.country import Country
from finstance.instances.directory import Directory

START_TIMEOUT = 300.0
STOP_TIMEOUT = 30.0
IDLE_SECONDS = 3.0
LATENCY_REQUESTS = 500
CLK_TCK = os.sysconf("SC_CLK_TCK")
TARGET_S = 2.0  # spawn to every Host answering, 50 instances

ANNOUNCED = "routing by Host header"
STARTED = "Application startup complete"
BARE_ANNOUNCED = "bare app built"

BARE = """
import sys
import uvicorn
from fastapi import FastAPI

app = FastAPI()


@app.get("/")
def root():
    return {"ok": True}


print("announce: bare app built", flush=True)
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="info", access_log=False)
"""


@dataclass(frozen=True)
class Target:
    """One host to call: the Host header, the instance name GET / must answer with, and its keys."""

    host: str
    name: str | None = None
    customer_id: str = ""
    secret_key: str = ""


@dataclass
class Run:
    label: str
    count: int
    announced_s: float | None = None
    started_s: float | None = None
    ready_s: float = 0.0
    rss_mb: float = 0.0
    threads: int = 0
    fds: int = 0
    idle_cpu_pct: float = 0.0
    warm_rss_mb: float | None = None
    warm_threads: int | None = None
    token_p50_ms: float | None = None
    get_p50_ms: float = 0.0
    get_p99_ms: float = 0.0
    stop_s: float = 0.0
    exit_code: int | None = None
    notes: list[str] = field(default_factory=list)


# --- processes and /proc ---------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def proc_status(pid: int) -> dict[str, str]:
    out = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        out[key] = value.strip()
    return out


def rss_mb(pid: int) -> float:
    return int(proc_status(pid)["VmRSS"].split()[0]) / 1024


def threads(pid: int) -> int:
    return int(proc_status(pid)["Threads"])


def open_fds(pid: int) -> int:
    return len(os.listdir(f"/proc/{pid}/fd"))


def cpu_seconds(pid: int) -> float:
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat[stat.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK  # utime, stime


class Output:
    """Drains the server's merged stdout/stderr, keeping each line with the time it arrived."""

    def __init__(self, process: subprocess.Popen[bytes]) -> None:
        self.lines: list[tuple[float, str]] = []
        self._thread = threading.Thread(target=self._read, args=(process,), daemon=True)
        self._thread.start()

    def _read(self, process: subprocess.Popen[bytes]) -> None:
        assert process.stdout is not None
        for raw in process.stdout:
            self.lines.append((time.monotonic(), raw.decode(errors="replace").rstrip()))

    def first(self, marker: str) -> float | None:
        return next((t for t, line in self.lines if marker in line), None)

    def tail(self, n: int = 30) -> str:
        return "\n".join(line for _, line in self.lines[-n:])

    def join(self) -> None:
        self._thread.join(5)


@contextlib.contextmanager
def spawn(command: list[str]) -> Iterator[tuple[subprocess.Popen[bytes], Output]]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env)
    output = Output(process)
    try:
        yield process, output
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        output.join()


def wait_ready(
    process: subprocess.Popen[bytes], output: Output, http: httpx.Client, targets: list[Target]
) -> None:
    """Poll until every target answers GET / with 200 (and its own instance name); bounded."""
    deadline = time.monotonic() + START_TIMEOUT
    for target in targets:
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"server exited with {process.returncode}:\n{output.tail()}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"not every instance answered after {START_TIMEOUT} s:\n{output.tail()}")
            try:
                response = http.get("/", headers={"host": target.host})
            except httpx.TransportError:
                time.sleep(0.02)
                continue
            if response.status_code != 200:
                raise RuntimeError(f"GET / on {target.host} answered {response.status_code}")
            if target.name is not None and response.json().get("Instance") != target.name:
                raise RuntimeError(f"GET / on {target.host} answered for {response.json().get('Instance')}")
            break


def stop(process: subprocess.Popen[bytes], run: Run) -> None:
    began = time.monotonic()
    process.send_signal(signal.SIGINT)
    try:
        run.exit_code = process.wait(timeout=STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        run.notes.append(f"did not exit {STOP_TIMEOUT:g} s after SIGINT; killed")
        process.kill()
        process.wait()
    run.stop_s = time.monotonic() - began


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


# --- one measured start ----------------------------------------------------------------------------


def measure(
    label: str, count: int, command: list[str], port: int, targets: list[Target], announce: str
) -> Run:
    run = Run(label, count)
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10.0) as http:
        began = time.monotonic()
        with spawn(command) as (process, output):
            wait_ready(process, output, http, targets)
            run.ready_s = time.monotonic() - began
            announced, started = output.first(announce), output.first(STARTED)
            run.announced_s = None if announced is None else announced - began
            run.started_s = None if started is None else started - began
            pid = process.pid
            run.rss_mb, run.threads, run.fds = rss_mb(pid), threads(pid), open_fds(pid)

            cpu, wall = cpu_seconds(pid), time.monotonic()
            time.sleep(IDLE_SECONDS)
            run.idle_cpu_pct = 100 * (cpu_seconds(pid) - cpu) / (time.monotonic() - wall)

            if targets[0].secret_key:
                token_ms = []
                for target in targets:
                    t0 = time.perf_counter()
                    response = http.post(
                        f"/v3/{target.customer_id}/BankingServices/GenerateAuthorizeToken",
                        headers={"host": target.host, "flinks-auth-key": target.secret_key},
                    )
                    token_ms.append(1000 * (time.perf_counter() - t0))
                    if response.status_code != 200 or "Token" not in response.json():
                        raise RuntimeError(f"GenerateAuthorizeToken on {target.host}: {response.status_code}")
                run.token_p50_ms = statistics.median(token_ms)
                run.warm_rss_mb, run.warm_threads = rss_mb(pid), threads(pid)

            latencies = []
            for i in range(LATENCY_REQUESTS):
                target = targets[i % len(targets)]
                t0 = time.perf_counter()
                response = http.get("/", headers={"host": target.host})
                latencies.append(1000 * (time.perf_counter() - t0))
                if response.status_code != 200:
                    raise RuntimeError(f"GET / on {target.host} answered {response.status_code}")
            run.get_p50_ms, run.get_p99_ms = percentile(latencies, 0.5), percentile(latencies, 0.99)
            stop(process, run)
    if run.exit_code not in (0, None):
        run.notes.append(f"exit code {run.exit_code} after SIGINT")
    return run


def measure_bare() -> Run:
    port = free_port()
    command = [sys.executable, "-c", BARE, str(port)]
    return measure("bare uvicorn+FastAPI", 1, command, port, [Target("localhost")], BARE_ANNOUNCED)


def import_seconds() -> float:
    """Spawn to exit of a process that only imports what `finstance serve` imports (median of 3)."""
    code = "import finstance.cli, finstance.instances.serving"
    times = []
    for _ in range(3):
        t0 = time.monotonic()
        subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
        times.append(time.monotonic() - t0)
    return statistics.median(times)


def measure_region(count: int) -> tuple[list[Run], float]:
    with tempfile.TemporaryDirectory(prefix="finstance-region-") as tmp:
        data_dir = Path(tmp)
        directory = Directory(data_dir)
        t0 = time.monotonic()
        targets = []
        for i in range(count):
            entry, keys = directory.create(f"bench{i:03d}", Country.CA, sandbox=True)
            targets.append(Target(entry.api_host, entry.name, entry.customer_id, keys.secret_key))
        create_s = time.monotonic() - t0
        runs = []
        for label in ("first start", "second start"):
            port = free_port()
            command = [sys.executable, "-m", "finstance", "serve", "--region", "CA"]
            command += ["--data-dir", str(data_dir), "--host", "127.0.0.1", "--port", str(port)]
            runs.append(measure(f"finstance, {label}", count, command, port, targets, ANNOUNCED))
    return runs, create_s


# --- report ----------------------------------------------------------------------------------------


def seconds(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def mb(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def row(run: Run) -> str:
    warm = "-" if run.warm_threads is None else f"{run.warm_threads}"
    token = "-" if run.token_p50_ms is None else f"{run.token_p50_ms:.2f}"
    exit_text = "killed" if run.exit_code is None else str(run.exit_code)
    return (
        f"| {run.label} | {run.count} | {seconds(run.announced_s)} | {seconds(run.started_s)} | "
        f"{seconds(run.ready_s)} | {mb(run.rss_mb)} | {mb(run.warm_rss_mb)} | {run.threads} / {warm} | "
        f"{run.fds} | {run.idle_cpu_pct:.1f} | {token} | {run.get_p50_ms:.2f} / {run.get_p99_ms:.2f} | "
        f"{run.stop_s:.2f} / {exit_text} |"
    )


def table(runs: list[Run]) -> str:
    lines = [
        "| server | N | announced s | lifespans done s | all answer s | RSS MB | RSS MB warm "
        "| threads / warm | fds | idle CPU % | token p50 ms | GET / p50 / p99 ms | SIGINT→exit s / code |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    return "\n".join([*lines, *(row(run) for run in runs)])


def marginals(runs: list[Run]) -> list[str]:
    """Per-instance cost between the smallest and the largest N, for each kind of start."""
    out = []
    for label in ("finstance, first start", "finstance, second start"):
        rows = sorted((r for r in runs if r.label == label), key=lambda r: r.count)
        if len(rows) < 2 or rows[0].count == rows[-1].count:
            continue
        a, b = rows[0], rows[-1]
        n = b.count - a.count
        warm = (b.warm_rss_mb or 0) - (a.warm_rss_mb or 0)
        out.append(
            f"{label}, N {a.count}→{b.count}: {(b.rss_mb - a.rss_mb) / n:.2f} MB/instance after start-up, "
            f"{warm / n:.2f} MB/instance warm, {1000 * (b.ready_s - a.ready_s) / n:.0f} ms/instance to "
            f"answer, {(b.threads - a.threads) / n:.2f} threads/instance, {(b.fds - a.fds) / n:.2f} "
            f"fds/instance"
        )
    return out


def print_verdict(runs: list[Run]) -> None:
    """The VERDICT line of the largest N measured: the slower of its two starts, spawn to every Host
    answering, against the target and against the bare process's."""
    count = max(r.count for r in runs if r.label.startswith("finstance"))
    starts = [r for r in runs if r.label.startswith("finstance") and r.count == count]
    worst = max(r.ready_s for r in starts)
    bare = next(r for r in runs if r.label == "bare uvicorn+FastAPI")
    measured = f"{worst:.2f} s with {count} instance{'s' if count > 1 else ''} ("
    measured += ", ".join(f"{r.label.removeprefix('finstance, ')} {r.ready_s:.2f} s" for r in starts) + ")"
    ratio = f"{worst / bare.ready_s:.1f}x bare uvicorn+FastAPI ({bare.ready_s:.2f} s)"
    emit_verdict("region process, start to every Host answering", measured, ratio,
                 f"< {TARGET_S:g} s with 50 instances", worst < TARGET_S)  # fmt: skip


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--counts", default="1,10,50", help="instance counts, comma-separated")
    parser.add_argument("--no-record", action="store_true", help="do not append to benchmarks/RESULTS.md")
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    counts = [int(c) for c in args.counts.split(",") if c.strip()]
    compiled = compile_bytecode()
    runs = [measure_bare()]
    imports = import_seconds()
    notes = [
        compiled,
        f"spawn → exit of `python -c 'import finstance.cli, finstance.instances.serving'`: {imports:.2f} s",
    ]
    for count in counts:
        region_runs, create_s = measure_region(count)
        runs += region_runs
        notes.append(f"N={count}: creating the directory entries took {create_s:.2f} s (not in the table)")
        for run in region_runs:
            notes += [f"N={count}, {run.label}: {note}" for note in run.notes]
    notes += marginals(runs)
    notes += [
        "announced: spawn → the server printed its instances (imports, directory read, preflight done); "
        "bare: app built",
        "lifespans done: uvicorn's 'Application startup complete'; all answer: every Host answered GET /",
        f"idle CPU over {IDLE_SECONDS:g} s after start-up; warm = after one GenerateAuthorizeToken per "
        f"instance; GET / latency over {LATENCY_REQUESTS} sequential requests round-robin on one keep-alive "
        "connection",
    ]
    report = "\n".join([table(runs), "", *(f"- {note}" for note in notes)])
    print(report)
    if counts:
        print_verdict(runs)
    if not args.no_record:
        record("region_startup", report)


if __name__ == "__main__":
    main()
