"""The SDK stands alone: a fresh environment with the base install only (no server extra) runs the README's
two-country example against a ``finstance serve`` started separately."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.instances.test_serving import start, stop, wait_until_up
from tests.test_cli import free_port

ROOT = Path(__file__).resolve().parents[2]
SERVER_LIBRARIES = ["sqlalchemy", "fastapi", "starlette", "uvicorn", "alembic", "typer", "jinja2", "psycopg"]

pytestmark = pytest.mark.slow


def readme_sdk_example() -> str:
    readme = (ROOT / "README.md").read_text()
    section = readme[readme.index("## Two countries with the SDK") :]
    found = re.search(r"```python\n(.*?)```", section, re.S)
    assert found is not None
    return found.group(1)


def against_a_server(example: str, data_dir: Path, port: int) -> str:
    """The README's example with its first lines for a separate server instead of the in-process sandbox:
    the instances of ``finstance serve --data-dir DATA_DIR --port PORT``, Canada on demo-ca."""
    imports = "from finstance.testing import Sandbox, connect\n"
    opening = 'with Sandbox() as sandbox, sandbox.flinks(logins=LoginStore(path="logins.db")) as flinks:\n'
    assert imports in example and opening in example
    instances = f"local_embedded({str(data_dir)!r}, port={port})[1:]"  # demo-ca, demo-us
    return example.replace(
        imports,
        "from finstance.client import Flinks, local_embedded\nfrom finstance.testing import connect\n",
    ).replace(opening, f'with Flinks({instances}, logins=LoginStore(path="logins.db")) as flinks:\n')


@pytest.fixture(scope="module")
def base_python(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment with ``pip install finstance`` (no extra) from this checkout."""
    venv = tmp_path_factory.mktemp("base") / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    uv = Path(sys.executable).parent / "uv"
    if uv.exists():
        command = [str(uv), "pip", "install", "--quiet", "--python", str(python), str(ROOT)]
    else:
        command = [str(python), "-m", "pip", "install", "--quiet", str(ROOT)]
    subprocess.run(command, check=True, timeout=300)
    return python


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, int]]:
    data_dir = tmp_path_factory.mktemp("separate-server")
    port = free_port(3)
    proc = start(data_dir, port)
    try:
        for offset in range(3):
            wait_until_up(f"http://127.0.0.1:{port + offset}/openapi.json", proc)
        yield data_dir, port
    finally:
        stop(proc)


def test_the_base_install_has_no_server_library(base_python: Path) -> None:
    probe = f"import importlib.util; print([m for m in {SERVER_LIBRARIES!r} if importlib.util.find_spec(m)])"
    result = subprocess.run([str(base_python), "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
    # The server's own modules are there but cannot start without their extra.
    server = subprocess.run([str(base_python), "-c", "import finstance.app"], capture_output=True, text=True)
    assert server.returncode != 0 and "ModuleNotFoundError" in server.stderr


def test_the_command_says_it_needs_the_server_extra(base_python: Path) -> None:
    result = subprocess.run([str(base_python.parent / "finstance"), "--help"], capture_output=True, text=True)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "needs the server extra" in result.stderr and "pip install 'finstance[server]'" in result.stderr


def test_the_readme_sdk_example_runs_with_the_base_install_against_a_separate_server(
    base_python: Path, server: tuple[Path, int], tmp_path: Path
) -> None:
    data_dir, port = server
    script = tmp_path / "example.py"
    script.write_text(against_a_server(readme_sdk_example(), data_dir, port))
    result = subprocess.run(
        [str(base_python), str(script)], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    # Connect URLs on each country's instance, then each user's accounts from the instance of their login.
    assert re.search(rf"^alice http://127\.0\.0\.1:{port + 1}/v2/\?authorizeToken=", out, re.M), out
    assert re.search(rf"^bob http://127\.0\.0\.1:{port + 2}/v2/\?authorizeToken=", out, re.M), out
    assert re.search(r"^alice demo-ca \[\('.+', [\d.]+, 'CAD'\)", out, re.M), out
    assert re.search(r"^bob demo-us \[\('.+', [\d.]+, 'USD'\)", out, re.M), out
    assert (tmp_path / "logins.db").exists()
