"""docs/upload.md's worked example runs as printed and prints what it says."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

DOC = Path(__file__).resolve().parents[2] / "docs" / "upload.md"


def test_the_worked_example_uploads_two_statements_and_reads_them_back(tmp_path: Path) -> None:
    example = re.findall(r"```python\n(.*?)```", DOC.read_text(), re.DOTALL)[0]
    script = tmp_path / "example.py"
    script.write_text(example)
    run = subprocess.run(
        [sys.executable, str(script)], cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False
    )
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert re.fullmatch(r"loginId: [0-9a-f-]{36} Pending", lines[0]), lines
    documents = [line.split() for line in lines[1:3]]
    assert [d[:2] for d in documents] == [["statement-0.pdf", "Processed"], ["statement-1.pdf", "Processed"]]
    assert all(d[3] == "Trust" and int(d[2]) > 5 for d in documents)
    total = sum(int(d[2]) for d in documents)
    assert lines[3] == f"transactions: [{total}]"
    assert lines[4] == "fraud: No Fraud Signal Detected"
