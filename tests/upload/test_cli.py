"""``finstance upload FILE... --instance NAME``: the command a user runs, in a process of its own."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from finstance.core.clock import ManualClock
from finstance.instances.directory import Directory
from tests.conftest import serve_in_process
from tests.flinks import Flinks
from tests.upload.api import rows
from tests.upload.layouts import ca_french
from tests.upload.test_fraud import ORIGINAL, STATEMENT


def finstance(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "finstance", *args, "--data-dir", str(data_dir)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


async def test_upload_prints_the_login_id_and_each_document_and_the_instance_serves_it(
    tmp_path: Path, clock: ManualClock
) -> None:
    created = {}
    for country in ("CA", "US"):
        made = finstance(tmp_path, "instances", "create", "--company", "acme", "--country", country, "--json")
        assert made.returncode == 0, made.stderr
        created[country] = json.loads(made.stdout)
    french, shown = ca_french()
    (tmp_path / "statement.pdf").write_bytes(ORIGINAL)
    (tmp_path / "releve.pdf").write_bytes(french)
    (tmp_path / "photo.gif").write_bytes(b"GIF89a not a statement")

    done = finstance(tmp_path, "upload", str(tmp_path / "statement.pdf"), str(tmp_path / "releve.pdf"),
                     str(tmp_path / "photo.gif"), "--instance", "acme-ca", "--json")  # fmt: skip
    assert done.returncode == 0, done.stderr
    state = json.loads(done.stdout)
    assert state["instance"] == "acme-ca" and state["Status"] == "Completed"
    assert [(d["FileName"], d["Status"]) for d in state["Documents"]] == [
        ("statement.pdf", "Processed"),
        ("releve.pdf", "Processed"),
        ("photo.gif", "Rejected"),
    ]
    text = finstance(tmp_path, "upload", str(tmp_path / "photo.gif"), "--instance", "acme-ca")
    assert text.returncode == 1 and "photo.gif: Rejected" in text.stdout and "Traceback" not in text.stderr
    missing = finstance(tmp_path, "upload", str(tmp_path / "nope.pdf"), "--instance", "acme-ca")
    assert missing.returncode == 1 and "cannot read" in missing.stderr

    directory = Directory(tmp_path)
    login_id = state["LoginId"]
    ca, us = created["CA"], created["US"]
    async with serve_in_process(directory.get("acme-ca").spec(), clock) as http:
        flinks = Flinks(http, ca["customer_id"], ca["secret_key"], ca["api_key"])
        cached = await flinks.cached(login_id)
        assert cached.status_code == 200, cached.text
        detail = await flinks.data("GetAccountsDetail", {"RequestId": cached.json()["RequestId"]})
        assert detail.status_code == 200, detail.text
        [sandbox, releve] = detail.json()["Accounts"]
        expected = [(t.date, t.description, t.debit_cents, t.credit_cents, t.balance_cents)
                    for t in STATEMENT.content.transactions]  # fmt: skip
        assert rows(sandbox) == expected[::-1]
        [account] = shown.accounts
        assert rows(releve) == [(r.date, r.description, r.debit_cents, r.credit_cents, r.balance_cents)
                                for r in account.rows][::-1]  # fmt: skip
    async with serve_in_process(directory.get("acme-us").spec(), clock) as http:
        flinks = Flinks(http, us["customer_id"], us["secret_key"], us["api_key"])
        refused = await flinks.cached(login_id)
        assert (refused.status_code, refused.json()["FlinksCode"]) == (401, "INVALID_LOGIN")
        assert refused.json()["WrongInstance"] is True
