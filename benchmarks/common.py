"""What the benchmark scripts share: the machine line, the section they append to RESULTS.md, and the
VERDICT lines that ``bench.py`` collects.

A VERDICT line is one row of the fast-paths table, printed on stdout at the end of a script's run, its
fields separated by tabs:

    VERDICT<TAB>row<TAB>measured<TAB>ratio to the baseline of the same run<TAB>target<TAB>PASS|FAIL

A row measured in several cells (each backend, each layout) gets one line per cell, named
``row: cell``.
"""

from __future__ import annotations

import os
import platform
import shlex
import subprocess
import sys
import sysconfig
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "RESULTS.md"
HEADER = "# Benchmark results\n\nNewest runs at the end; numbers are from real runs on this machine.\n"
MARK = "VERDICT"


def machine() -> str:
    return f"nproc {os.cpu_count()}, Python {platform.python_version()}, {platform.platform()}"


def compile_bytecode() -> str:
    """Compile Python's bytecode cache for the installed packages and finstance's own modules, as ``pip
    install`` does at install time, and say so in one line for the report.

    A start-up benchmark measures finstance's start, not the bytecode compiler: where the environment sets
    PYTHONDONTWRITEBYTECODE and the installer compiled nothing (uv's default), every start would compile
    every module it imports from source again (about 2 s of the region's imports, against 0.85 s).
    """
    import finstance

    paths = [sysconfig.get_paths()["purelib"], str(Path(finstance.__file__).parent)]
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", "-j", "0", *paths], check=True, stdout=subprocess.DEVNULL
    )
    unset = "set" if os.environ.get("PYTHONDONTWRITEBYTECODE") else "not set"
    return (
        f"bytecode compiled before measuring, as pip install does (PYTHONDONTWRITEBYTECODE is {unset} here)"
    )


def command(script: str) -> str:
    """The command line that ran ``benchmarks/SCRIPT.py`` with this process's arguments."""
    return shlex.join([".venv/bin/python", f"benchmarks/{script}.py", *sys.argv[1:]])


def record(script: str, report: str, details: Sequence[str] = ()) -> None:
    """Append ``## SCRIPT: date``, the machine line, the command (and ``details``, one list item each), then
    ``report`` to RESULTS.md."""
    items = [f"- machine: {machine()}", f"- command: `{command(script)}`", *(f"- {d}" for d in details)]
    section = f"\n## {script}: {datetime.now().astimezone():%Y-%m-%d %H:%M %Z}\n\n" + "\n".join(items)
    if not RESULTS.exists():
        RESULTS.write_text(HEADER)
    with RESULTS.open("a") as out:
        out.write(f"{section}\n\n{report}\n")


@dataclass(frozen=True)
class Verdict:
    row: str
    measured: str
    ratio: str
    target: str
    passed: bool

    @property
    def result(self) -> str:
        return "PASS" if self.passed else "FAIL"

    def line(self) -> str:
        fields = (self.row, self.measured, self.ratio, self.target, self.result)
        return "\t".join([MARK, *(" ".join(f.split()) for f in fields)])

    @classmethod
    def parse(cls, line: str) -> Verdict | None:
        """The verdict a VERDICT line carries; None for any other line."""
        fields = line.rstrip("\r\n").split("\t")
        if len(fields) != 6 or fields[0] != MARK or fields[5] not in ("PASS", "FAIL"):
            return None
        return cls(fields[1], fields[2], fields[3], fields[4], fields[5] == "PASS")


def emit_verdict(row: str, measured: str, ratio: str, target: str, passed: bool) -> None:
    """Print one VERDICT line (blank fields become '-')."""
    print(Verdict(row, measured or "-", ratio or "-", target, passed).line(), flush=True)
