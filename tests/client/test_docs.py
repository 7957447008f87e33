"""The two-country example of docs/sdk.md runs as printed and routes each end-user to their country."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

DOC = Path(__file__).resolve().parents[2] / "docs" / "sdk.md"
README = Path(__file__).resolve().parents[2] / "README.md"


def test_the_readme_shows_the_same_two_country_example() -> None:
    example = re.findall(r"```python\n(.*?)```", DOC.read_text(), re.DOTALL)[0]
    assert example in re.findall(r"```python\n(.*?)```", README.read_text(), re.DOTALL)


def test_the_two_country_example_runs_and_each_user_gets_their_countrys_data(tmp_path: Path) -> None:
    example = re.findall(r"```python\n(.*?)```", DOC.read_text(), re.DOTALL)[0]
    assert 15 <= len(example.strip().splitlines()) <= 25  # about 20 lines
    script = tmp_path / "example.py"
    script.write_text(example)
    run = subprocess.run(
        [sys.executable, str(script)], cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False
    )
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[0].startswith("alice http://demo-ca.finstance.test/v2/?authorizeToken=")
    assert lines[1].startswith("bob http://demo-us.finstance.test/v2/?authorizeToken=")
    assert lines[2].startswith("alice demo-ca [") and "'CAD')" in lines[2] and "USD" not in lines[2]
    assert lines[3].startswith("bob demo-us [") and "'USD')" in lines[3] and "CAD" not in lines[3]
    assert (tmp_path / "logins.db").is_file()
