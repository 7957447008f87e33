"""The `finstance` command as a new user meets it: its help, its version, where its data lives (and how
`make run` / `make clean` agree with that), a data directory that does not exist, values it refuses."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import typer.main
from typer.testing import CliRunner

import finstance
from finstance.cli import app, default_data_dir
from finstance.core.country import Country
from finstance.core.states import DeliveryStatus
from finstance.instances import serving
from finstance.instances.directory import Directory

ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()


def command_paths() -> list[list[str]]:
    """Every command of `finstance`, as the words that name it (`["webhooks", "add"]`)."""
    found: list[list[str]] = []

    def walk(command: typer.main.TyperGroup | object, path: list[str]) -> None:
        sub = getattr(command, "commands", None)
        if sub is None:
            found.append(path)
            return
        for name, child in sub.items():
            walk(child, [*path, name])

    walk(typer.main.get_command(app), [])
    return found


COMMANDS = command_paths()
WITH_DATA_DIR = [path for path in COMMANDS if path != ["version"]]


def flat(text: str) -> str:
    return " ".join(text.split())


def test_every_command_is_listed() -> None:
    assert ["webhooks", "deliveries"] in COMMANDS and ["residency", "audit"] in COMMANDS
    assert len(COMMANDS) >= 17


@pytest.mark.parametrize("path", COMMANDS, ids=[" ".join(p) for p in COMMANDS])
def test_help_shows_plain_metavars_and_flags_and_the_data_dir_with_its_env_and_default(
    path: list[str],
) -> None:
    result = runner.invoke(app, [*path, "--help"])
    assert result.exit_code == 0, result.output
    usage = result.output.splitlines()[0]
    assert usage.startswith(f"Usage: finstance {' '.join(path)} [OPTIONS]"), usage
    assert "{" not in usage and "<" not in usage, usage
    assert "<bool>" not in result.output and "<str>" not in result.output, result.output
    assert "--help" in result.output
    if path in WITH_DATA_DIR:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / "finstance"
        shown = f"~/{base.relative_to(Path.home())}" if base.is_relative_to(Path.home()) else str(base)
        text = flat(result.output)
        assert "--data-dir DIR" in text, text
        assert "env var: FINSTANCE_DATA_DIR" in text, text
        assert f"default: ({shown})" in text, text


def test_arguments_are_named_plainly_in_usage_and_help() -> None:
    add = runner.invoke(app, ["webhooks", "add", "--help"])
    assert add.output.splitlines()[0] == "Usage: finstance webhooks add [OPTIONS] URL"
    assert "  URL  Where to POST the events  [required]" in add.output
    show = runner.invoke(app, ["instances", "show", "--help"])
    assert show.output.splitlines()[0] == "Usage: finstance instances show [OPTIONS] NAME"
    serve = flat(runner.invoke(app, ["serve", "--help"]).output)
    for shown in ("--host HOST", "--port PORT", "--region CA|US", "--instance NAME", "--workers N",
                  "--access-log / --no-access-log", "--migrate / --no-migrate"):  # fmt: skip
        assert shown in serve, serve


def test_version_option_and_command() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0, result.output
    assert result.output == f"finstance {finstance.__version__}\n"
    assert "--version" in runner.invoke(app, ["--help"]).output
    process = subprocess.run(
        [sys.executable, "-m", "finstance", "--version"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert (process.returncode, process.stdout) == (0, f"finstance {finstance.__version__}\n"), process.stderr


# -- where the data lives --------------------------------------------------------------------------------


def test_the_default_data_dir_is_the_env_variable_else_one_per_user(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("FINSTANCE_DATA_DIR", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert default_data_dir() == tmp_path / "xdg" / "finstance"
    monkeypatch.delenv("XDG_DATA_HOME")
    assert default_data_dir() == Path.home() / ".local" / "share" / "finstance"
    monkeypatch.setenv("FINSTANCE_DATA_DIR", str(tmp_path / "chosen"))
    assert default_data_dir() == tmp_path / "chosen"


def test_the_env_variable_names_the_data_dir_of_every_command(tmp_path: Path) -> None:
    data = tmp_path / "data"
    Directory(data).create("acme", Country.CA)
    result = runner.invoke(app, ["instances", "list", "--json"], env={"FINSTANCE_DATA_DIR": str(data)})
    assert result.exit_code == 0, result.output
    assert [item["name"] for item in json.loads(result.stdout)] == ["acme-ca"]


def make(*args: str, data_dir: str | None = None) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MAKE", "FINSTANCE_DATA_DIR"))}
    if data_dir is not None:
        env["FINSTANCE_DATA_DIR"] = data_dir
    # -n prints the commands without running them; -o leaves the set-up of .venv out.
    executable = shutil.which("make")
    assert executable is not None, "the README's two commands need make"
    command = [executable, "-n", "-o", ".venv/.installed", *args]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=True)
    return done.stdout


def test_make_run_keeps_its_data_in_the_checkout_and_make_clean_removes_exactly_that() -> None:
    """Each clone has its own instances and keys: `make run` serves from `.finstance` of the checkout,
    `make clean` deletes it, git ignores it, and the README says so."""
    run = [line for line in make("run").splitlines() if "finstance serve" in line]
    assert run == [".venv/bin/finstance serve --data-dir .finstance"], run
    clean = [line for line in make("clean").splitlines() if line.startswith("rm -rf")]
    assert len(clean) == 1 and ".finstance" in clean[0].split(), clean
    assert ".finstance/" in (ROOT / ".gitignore").read_text().splitlines()
    readme = flat((ROOT / "README.md").read_text())
    for said in ("`make run` keeps its instances in `.finstance/` of the checkout", "`make clean` deletes it",
                 "`~/.local/share/finstance`", "`rm -rf ~/.local/share/finstance` resets it",
                 "`$FINSTANCE_DATA_DIR`"):  # fmt: skip
        assert said in readme, said


def test_make_run_follows_the_env_variable_and_make_clean_never_removes_that(tmp_path: Path) -> None:
    chosen = str(tmp_path / "elsewhere")
    assert f"finstance serve --data-dir {chosen}" in make("run", data_dir=chosen)
    assert chosen not in make("clean", data_dir=chosen)


# -- a data directory that does not exist ----------------------------------------------------------------

READERS = [
    ["instances", "list"],
    ["instances", "list", "--json"],
    ["instances", "show", "acme-ca"],
    ["instances", "rotate-keys", "acme-ca"],
    ["instances", "delete", "acme-ca", "--yes"],
    ["residency", "audit"],
    ["residency", "audit", "--json"],
    ["db", "status"],
    ["db", "upgrade"],
    ["webhooks", "list", "--instance", "acme-ca"],
    ["webhooks", "deliveries", "--instance", "acme-ca"],
    ["worker", "--instance", "acme-ca"],
    ["serve", "--region", "CA"],
    ["serve", "--instance", "acme-ca"],
]


@pytest.mark.parametrize("args", READERS, ids=[" ".join(a) for a in READERS])
def test_a_data_dir_that_does_not_exist_is_an_error_that_names_it(tmp_path: Path, args: list[str]) -> None:
    missing = tmp_path / "typo" / "data"
    result = runner.invoke(app, [*args, "--data-dir", str(missing)])
    assert result.exit_code == 1, result.output
    assert f"error: data directory {missing} does not exist" in result.stderr
    assert result.stdout == ""
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert not (tmp_path / "typo").exists()  # looking did not create it


def test_a_data_dir_that_is_a_file_is_an_error_too(tmp_path: Path) -> None:
    file = tmp_path / "data"
    file.write_text("")
    result = runner.invoke(app, ["db", "status", "--data-dir", str(file)])
    assert result.exit_code == 1 and f"data directory {file} is not a directory" in result.stderr


def test_instances_create_makes_the_data_dir_it_is_given(tmp_path: Path) -> None:
    data = tmp_path / "new" / "data"
    result = runner.invoke(
        app,
        ["instances", "create", "--company", "acme", "--country", "CA", "--json", "--data-dir", str(data)],
    )
    assert result.exit_code == 0, result.output
    assert [e.name for e in Directory(data).entries()] == ["acme-ca"]


def test_an_existing_data_dir_without_instances_says_so(tmp_path: Path) -> None:
    for args in (["instances", "list"], ["db", "status"], ["db", "upgrade"]):
        result = runner.invoke(app, [*args, "--data-dir", str(tmp_path)])
        assert result.exit_code == 0, result.output
        assert f"no instance in {tmp_path / 'directory.json'}" in result.stdout, args


# -- values outside the list -----------------------------------------------------------------------------


def test_deliveries_status_accepts_the_delivery_states_and_refuses_anything_else(tmp_path: Path) -> None:
    entry, _ = Directory(tmp_path).create("acme", Country.CA, sandbox=True)
    serving.preflight([entry])
    states = [state.value for state in DeliveryStatus]
    assert states == ["pending", "sending", "delivered", "failed", "cancelled"]
    assert f"--status <{'|'.join(states)}>" in runner.invoke(app, ["webhooks", "deliveries", "--help"]).output
    args = ["webhooks", "deliveries", "--instance", "acme-ca", "--data-dir", str(tmp_path)]
    refused = runner.invoke(app, [*args, "--status", "bogus"])
    assert refused.exit_code == 2, refused.output
    assert "Invalid value for '--status'" in refused.output and "'bogus'" in refused.output
    assert all(f"'{state}'" in refused.output for state in states), refused.output
    for state in states:
        accepted = runner.invoke(app, [*args, "--status", state, "--json"])
        assert accepted.exit_code == 0, accepted.output
        assert json.loads(accepted.stdout) == []
