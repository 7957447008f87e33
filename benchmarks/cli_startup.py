"""Wall time of a CLI command that reads only the directory: ``finstance instances list``.

    .venv/bin/python benchmarks/cli_startup.py [--runs 7] [--no-record]

Each command runs as a fresh process (spawn to exit), several times; the median is reported. Baselines in the
same run: ``python -c pass`` (the interpreter alone) and ``python -c 'import typer'`` (the CLI library alone),
so the table shows what finstance adds. Target: ``instances list`` under 0.5 s.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import compile_bytecode, emit_verdict, record

TARGET_S = 0.5


def wall(command: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--no-record", action="store_true", help="do not append to benchmarks/RESULTS.md")
    args = parser.parse_args()
    compiled = compile_bytecode()
    python = sys.executable
    finstance = str(Path(python).parent / "finstance")
    with tempfile.TemporaryDirectory() as data_dir:
        for company in ("bench", "other"):
            subprocess.run(
                [
                    finstance,
                    "instances",
                    "create",
                    "--company",
                    company,
                    "--country",
                    "CA",
                    "--data-dir",
                    data_dir,
                ],
                check=True,
                stdout=subprocess.DEVNULL,
            )
        rows = [
            ("python -c pass", wall([python, "-c", "pass"], args.runs)),
            ("python -c 'import typer'", wall([python, "-c", "import typer"], args.runs)),
            ("finstance --version", wall([finstance, "--version"], args.runs)),
            (
                "finstance instances list",
                wall([finstance, "instances", "list", "--data-dir", data_dir], args.runs),
            ),
        ]
    baseline = rows[0][1]
    lines = [
        "| command | median wall s | ÷ python -c pass |",
        "|---|---:|---:|",
        *[f"| `{name}` | {seconds:.3f} | {seconds / baseline:.1f} |" for name, seconds in rows],
    ]
    listed = rows[-1][1]
    verdict = "PASS" if listed < TARGET_S else "FAIL"
    lines.append(f"\n`finstance instances list`: {listed:.3f} s, target < {TARGET_S} s: {verdict}")
    lines.append(f"\n{compiled}")
    report = "\n".join(lines)
    print(report)
    emit_verdict("CLI command (finstance instances list)", f"{listed:.3f} s (median of {args.runs})",
                 f"{listed / baseline:.1f}x python -c pass ({baseline:.3f} s)", f"< {TARGET_S:g} s",
                 listed < TARGET_S)  # fmt: skip
    if not args.no_record:
        record("cli_startup", report, [f"runs per command: {args.runs}"])


if __name__ == "__main__":
    main()
