"""docs/pay.md's worked example runs as printed and prints what it says."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

DOC = Path(__file__).resolve().parents[2] / "docs" / "pay.md"


def test_the_worked_example_pays_files_settles_and_returns_with_its_webhooks(tmp_path: Path) -> None:
    example = re.findall(r"```python\n(.*?)```", DOC.read_text(), re.DOTALL)[0]
    script = tmp_path / "example.py"
    script.write_text(example)
    run = subprocess.run(
        [sys.executable, str(script)], cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines() == [
        "Completed EFT0301",
        "2026-01-15 1 25050",
        "3 records of 1464 characters",
        "Returned 908",
        "SessionSetupStatusChanged Completed",
        "PaymentStatusChanged Processed",
        "PaymentStatusChanged Settled",
        "PaymentStatusChanged Returned",
    ]
    text = " ".join(DOC.read_text().split())
    said = "It prints `Completed EFT0301`, then the file of `2026-01-15` with `1` debit of `25050` cents"
    assert said in text


def test_the_eft_v1_example_signs_files_and_settles(tmp_path: Path) -> None:
    example = re.findall(r"```python\n(.*?)```", DOC.read_text(), re.DOTALL)[1]
    script = tmp_path / "eft.py"
    script.write_text(example)
    run = subprocess.run(
        [sys.executable, str(script)], cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines() == [
        "Pending ['2026-01-16', '2026-02-16', '2026-03-16']",
        "Active",
        "Settled 2026-01-16 [('2026-01-16', 125000)]",
    ]
    text = " ".join(DOC.read_text().split())
    assert (
        "It prints `Pending ['2026-01-16', '2026-02-16', '2026-03-16']`, then `Active`, then `Settled" in text
    )
