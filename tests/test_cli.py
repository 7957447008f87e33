"""`finstance serve` as a user runs it: a real process on a real port, driven by a real HTTP client."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from finstance.core.country import Country
from finstance.core.instance import TOOLBOX_API_KEY, TOOLBOX_CUSTOMER_ID, TOOLBOX_SECRET_KEY
from finstance.instances.directory import Directory
from finstance.sandbox import bank


def free_port(span: int = 3) -> int:
    """A port P such that P .. P+span-1 are all free (serve uses P, P+1, P+2)."""
    for _ in range(50):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port: int = s.getsockname()[1]
        if port + span > 65535:
            continue
        try:
            probes = []
            for p in range(port, port + span):
                probe = socket.socket()
                probes.append(probe)
                probe.bind(("127.0.0.1", p))
        except OSError:
            continue
        finally:
            for probe in probes:
                probe.close()
        return port
    raise RuntimeError("no free port range")


def start(data_dir: Path, port: int) -> subprocess.Popen[str]:
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    return subprocess.Popen(
        [sys.executable, "-m", "finstance", "serve", "--port", str(port), "--data-dir", str(data_dir)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )


def wait_until_up(base: str, proc: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.communicate()[0]
        try:
            if httpx.get(base + "/", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.1)
    pytest.fail("server did not start")


def stop(proc: subprocess.Popen[str]) -> str:
    proc.send_signal(signal.SIGINT)
    output, _ = proc.communicate(timeout=20)
    return output


def test_serve_runs_the_toolbox_flow_over_tcp_and_stops_cleanly_on_ctrl_c(tmp_path: Path) -> None:
    port = free_port()
    proc = start(tmp_path / "data", port)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base, proc)
        api = f"{base}/v3/{TOOLBOX_CUSTOMER_ID}/BankingServices"
        with httpx.Client(timeout=10) as http:
            token = http.post(
                f"{api}/GenerateAuthorizeToken", headers={"flinks-auth-key": TOOLBOX_SECRET_KEY}
            ).json()
            token = token["Token"]
            body = {
                "Institution": "FlinksCapital",
                "Username": "Greatday",
                "Password": "Everyday",
                "MostRecentCached": False,
                "Save": True,
            }
            challenge = http.post(f"{api}/Authorize", json=body, headers={"flinks-auth-key": token})
            assert challenge.status_code == 203
            prompt = challenge.json()["SecurityChallenges"][0]["Prompt"]
            request_id = challenge.json()["RequestId"]
            answer = {"RequestId": request_id, "SecurityResponses": {prompt: [bank.CA_QUESTIONS[prompt]]}}
            assert (
                http.post(f"{api}/Authorize", json=answer, headers={"flinks-auth-key": token}).status_code
                == 200
            )
            keys = {"x-api-key": TOOLBOX_API_KEY}
            first = http.post(f"{api}/GetAccountsDetail", json={"RequestId": request_id}, headers=keys)
            assert first.status_code == 202
            deadline = time.monotonic() + 30
            while True:  # the worker thread aggregates in the background (about 3 s)
                polled = http.get(f"{api}/GetAccountsDetailAsync/{request_id}", headers=keys)
                if polled.status_code == 200 or time.monotonic() > deadline:
                    break
                time.sleep(0.5)
            assert polled.status_code == 200 and polled.json()["Accounts"]
            login_id = polled.json()["Login"]["Id"]
            statements = http.post(f"{api}/GetStatements", json={"RequestId": request_id}, headers=keys)
            assert statements.status_code == 200
            assert http.delete(f"{api}/DeleteCard/{login_id}", headers=keys).status_code == 200
    finally:
        output = stop(proc)
    assert proc.returncode == 0, output
    assert f"/v3/{TOOLBOX_CUSTOMER_ID}/BankingServices" in output
    assert TOOLBOX_SECRET_KEY in output and TOOLBOX_API_KEY in output
    assert "Traceback" not in output
    assert not re.search(
        r"Greatday|Everyday", output.split("test user")[1].split("\n", 1)[1]
    )  # nothing logged


def test_data_survives_a_restart(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    api = f"{base}/v3/{TOOLBOX_CUSTOMER_ID}/BankingServices"
    proc = start(data_dir, port)
    try:
        wait_until_up(base, proc)
        token = httpx.post(
            f"{api}/GenerateAuthorizeToken", headers={"flinks-auth-key": TOOLBOX_SECRET_KEY}
        ).json()
        body = {"Institution": "FlinksCapital", "Username": "greatday_nomfa", "Password": "Everyday"}
        login_id = httpx.post(
            f"{api}/Authorize", json=body, headers={"flinks-auth-key": token["Token"]}
        ).json()
        login_id = login_id["Login"]["Id"]
    finally:
        stop(proc)
    proc = start(data_dir, port)
    try:
        wait_until_up(base, proc)
        token = httpx.post(
            f"{api}/GenerateAuthorizeToken", headers={"flinks-auth-key": TOOLBOX_SECRET_KEY}
        ).json()
        cached = httpx.post(
            f"{api}/Authorize",
            json={"LoginId": login_id, "MostRecentCached": True},
            headers={"flinks-auth-key": token["Token"]},
        )
        assert cached.status_code == 200 and cached.json()["Login"]["Id"] == login_id
    finally:
        stop(proc)


def test_serve_refuses_an_unusable_data_dir_without_a_traceback(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    result = subprocess.run(
        [sys.executable, "-m", "finstance", "serve", "--data-dir", str(blocker / "sub")],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 2
    assert "cannot use data directory" in result.stderr and "Traceback" not in result.stderr


def test_serve_on_a_busy_port_fails_with_a_message(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "finstance", "serve", "--port", str(port), "--data-dir", str(tmp_path)],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    assert result.returncode != 0
    assert "Traceback" not in result.stdout + result.stderr


def test_settings_are_read_from_the_environment_and_a_bad_value_is_named() -> None:
    from datetime import timedelta

    from finstance.core.instance import settings_from_env

    read = settings_from_env(
        {"FINSTANCE_LOGIN_RATE": "5", "FINSTANCE_RATE_WINDOW": "30", "FINSTANCE_RUN_WORKER": "false"}
    )
    assert (read.login_rate, read.rate_window, read.run_worker) == (5, timedelta(seconds=30), False)
    assert settings_from_env({}, migrate_on_start=False).migrate_on_start is False
    with pytest.raises(ValueError, match="FINSTANCE_LOGIN_RATE='many'"):
        settings_from_env({"FINSTANCE_LOGIN_RATE": "many"})


def test_serve_refuses_an_unreadable_setting_with_its_name(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "finstance", "serve", "--data-dir", str(tmp_path)],
        capture_output=True,
        text=True,
        env=dict(os.environ, FINSTANCE_TOKEN_RATE="lots"),
        timeout=60,
    )
    assert result.returncode == 1
    assert "FINSTANCE_TOKEN_RATE='lots' is not a valid value" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr


def test_the_cli_loads_no_database_library_until_a_command_opens_a_store(tmp_path: Path) -> None:
    """What keeps directory commands fast: sqlalchemy, alembic and psycopg load only with a store."""
    probe = (
        "import sys\n"
        "from finstance.cli import app\n"
        "from typer.testing import CliRunner\n"
        f"result = CliRunner().invoke(app, ['instances', 'list', '--data-dir', {str(tmp_path)!r}])\n"
        "assert result.exit_code == 0, result.output\n"
        "loaded = {m.split('.')[0] for m in sys.modules}\n"
        "print(sorted(loaded & {'sqlalchemy', 'alembic', 'psycopg', 'fastapi'}))\n"
    )
    Directory(tmp_path).create("acme", Country.CA)
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]", result.stdout + result.stderr
