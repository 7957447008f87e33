"""docs/enrich.md's worked example runs as printed and prints what it says."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

DOC = Path(__file__).resolve().parents[2] / "docs" / "enrich.md"


def test_the_worked_example_runs_and_explains_the_pay_it_sums(tmp_path: Path) -> None:
    example = re.findall(r"```python\n(.*?)```", DOC.read_text(), re.DOTALL)[0]
    script = tmp_path / "example.py"
    script.write_text(example)
    run = subprocess.run(
        [sys.executable, str(script)], cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False
    )
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    first = re.fullmatch(r"employer: (.+) \| pay, 90 days: ([\d.]+)", lines[0])
    assert first is not None and first[1] != "NONE_DETECTED", lines[0]
    pays = [line for line in lines[1:] if "->" not in line]
    assert pays and round(sum(float(p.rsplit(" ", 1)[1]) for p in pays), 2) == float(first[2])
    assert len([line for line in lines if "->" in line]) == 3


def test_the_readme_counts_the_attributes_there_are() -> None:
    from finstance.enrich import attributes

    readme = (DOC.parents[1] / "README.md").read_text()
    found = re.search(r"(\d+) consumer and (\d+) business attributes", readme)
    assert found is not None
    assert (int(found[1]), int(found[2])) == (len(attributes.CONSUMER), len(attributes.BUSINESS))
