"""The fast-paths table: every benchmark script with a target, one after the other, then one table of all
their rows (measured, ratio to the baseline of the same run, target, PASS/FAIL).

    .venv/bin/python benchmarks/bench.py [--quick] [--only NAME[,NAME]] [--no-record]

Each script runs as a subprocess with ``--no-record`` (its own section is not written), its output shown as it
comes, bounded by a timeout; the VERDICT lines it prints at the end (``common.py``) are the table's rows. A
script that fails, times out or leaves a row without a verdict gives that row FAIL with the reason. The
table is appended to RESULTS.md unless ``--no-record``.

``--quick`` is a smoke run: each script's short options (fewer or shorter cells, a smaller store, the short
scale scenario), so the figures are not measured under the targets' conditions. ``make scale``'s scenario
(here and in ``--quick``) restarts the PostgreSQL server on 127.0.0.1:5432.
"""

from __future__ import annotations

import argparse
import os
import shlex
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from common import Verdict, record

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


@dataclass(frozen=True)
class Script:
    name: str
    rows: tuple[str, ...]  # the table's rows it measures; a VERDICT row is one of them or "row: cell"
    args: tuple[str, ...]
    quick: tuple[str, ...]
    timeout: float  # seconds
    quick_timeout: float


SCRIPTS = (
    Script("accounts_detail", ("cached GetAccountsDetail, SQLite", "cached GetAccountsDetail, PostgreSQL"),
           (), ("--duration", "3"), 900, 300),
    Script("cached_flow", ("full cached flow, SQLite",), (), ("--quick",), 900, 400),
    Script("aggregation_cpu", ("live aggregation, greatday_nomfa",), (), ("--runs", "5"), 300, 120),
    Script("store_growth", ("GetAccountsDetail p50 as the store grows",), (),
           ("--requests", "50", "--logins", "200"), 2400, 400),
    Script("webhook_delivery", ("webhook commit to receipt at light load", "webhook backlog throughput"), (),
           ("--events", "200"), 1200, 400),
    Script("region_startup", ("region process, start to every Host answering",), ("--counts", "50"),
           ("--counts", "50"), 900, 600),
    Script("cli_startup", ("CLI command (finstance instances list)",), (), ("--runs", "3"), 300, 120),
    Script("scale", ("make scale",), (), ("--short",), 1500, 600),
)  # fmt: skip


@dataclass
class Outcome:
    script: Script
    command: str
    seconds: float = 0.0
    exit_code: int | None = None
    timed_out: bool = False
    error: str = ""
    verdicts: list[Verdict] | None = None

    @property
    def problem(self) -> str:
        """Why a row of this script would have no verdict: timeout, failure, or nothing printed."""
        if self.error:
            return f"{self.script.name}: {self.error}"
        if self.timed_out:
            return f"{self.script.name} timed out after {self.seconds:.0f} s"
        if self.exit_code:
            return f"{self.script.name} exited with {self.exit_code}"
        return f"{self.script.name} printed no verdict for it"


def run(script: Script, quick: bool) -> Outcome:
    """Run one script to its end or its timeout, echoing its output and keeping its VERDICT lines. On timeout
    its process group gets SIGINT (so it stops its servers and drops its databases), then SIGKILL."""
    args = script.quick if quick else script.args
    command = [sys.executable, str(HERE / f"{script.name}.py"), *args, "--no-record"]
    shown = shlex.join([".venv/bin/python", f"benchmarks/{script.name}.py", *command[2:]])
    outcome = Outcome(script, shown, verdicts=[])
    print(f"\n== {script.name}: {shown}", flush=True)
    started = time.monotonic()
    try:
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,
        )
    except OSError as exc:
        outcome.error = f"could not start: {exc}"
        return outcome
    verdicts: list[Verdict] = []

    def read() -> None:
        assert process.stdout is not None
        for raw in process.stdout:
            line = raw.decode(errors="replace")
            sys.stdout.write(line)
            sys.stdout.flush()
            found = Verdict.parse(line)
            if found is not None:
                verdicts.append(found)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    timeout = script.quick_timeout if quick else script.timeout
    try:
        outcome.exit_code = process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        outcome.timed_out = True
        stop(process)
    except KeyboardInterrupt:
        stop(process)
        raise
    reader.join(10)
    outcome.seconds = time.monotonic() - started
    outcome.verdicts = verdicts
    return outcome


def stop(process: subprocess.Popen[bytes]) -> None:
    """SIGINT to the script's process group, SIGKILL 30 s later if it is still there."""
    for sig, wait in ((signal.SIGINT, 30.0), (signal.SIGKILL, 10.0)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


def rows(outcomes: list[Outcome]) -> list[Verdict]:
    """The table in the scripts' order: each expected row's verdicts (or one FAIL with the reason), then any
    verdict a script printed for a row it is not listed with."""
    table: list[Verdict] = []
    for outcome in outcomes:
        found = list(outcome.verdicts or [])
        for row in outcome.script.rows:
            mine = [v for v in found if v.row == row or v.row.startswith(f"{row}: ")]
            if not mine:
                mine = [Verdict(row, f"not measured: {outcome.problem}", "-", "-", False)]
            elif outcome.timed_out:
                mine += [Verdict(row, f"not measured: {outcome.problem}", "-", "-", False)]
            table += mine
            found = [v for v in found if v not in mine]
        table += found
    return table


def escape(text: str) -> str:
    return text.replace("|", "\\|")


def markdown(table: list[Verdict]) -> str:
    lines = ["| row | measured | ratio to the baseline | target | verdict |", "|---|---|---|---|---|"]
    lines += [
        f"| {escape(v.row)} | {escape(v.measured)} | {escape(v.ratio)} | {escape(v.target)} | {v.result} |"
        for v in table
    ]
    return "\n".join(lines)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="each script's short options (a smoke run)")
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="NAME",
        help=f"run only these scripts (repeat or comma-separate): {', '.join(s.name for s in SCRIPTS)}",
    )
    parser.add_argument("--no-record", action="store_true", help="do not append to benchmarks/RESULTS.md")
    args = parser.parse_args()
    names = {s.name for s in SCRIPTS}
    args.only = [n.strip().removesuffix(".py") for item in args.only for n in item.split(",") if n.strip()]
    unknown = [n for n in args.only if n not in names]
    if unknown:
        parser.error(f"unknown script {', '.join(unknown)}; choose from {', '.join(sorted(names))}")
    return args


def main() -> None:
    args = parse_args()
    chosen = [s for s in SCRIPTS if not args.only or s.name in args.only]
    started = time.monotonic()
    outcomes = [run(script, args.quick) for script in chosen]
    table = rows(outcomes)
    passed = sum(v.passed for v in table)
    runs = [
        f"{o.script.name}: {o.seconds:.0f} s, "
        + ("timed out" if o.timed_out else o.error or f"exit {o.exit_code}")
        + f" (`{o.command}`)"
        for o in outcomes
    ]
    notes = [f"{passed} of {len(table)} rows PASS; {time.monotonic() - started:.0f} s in all"]
    if args.quick:
        notes.append("--quick: a smoke run, not measured under the targets' conditions")
    report = "\n".join([markdown(table), "", *(f"- {note}" for note in notes)])
    print(f"\n== fast paths\n\n{report}", flush=True)
    if not args.no_record:
        record("bench", report, [f"scripts: {'; '.join(runs)}"])


if __name__ == "__main__":
    main()
