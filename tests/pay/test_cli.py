"""``finstance pay settle`` and ``finstance pay files``: an operator's commands, each in a process of its own,
on a production instance made with ``finstance instances create``; a U.S. instance has none of it."""

from __future__ import annotations

import json
from pathlib import Path

from finstance.core.clock import ManualClock
from finstance.instances.directory import Directory
from tests.conftest import serve_in_process
from tests.pay.test_sessions import GEFT, Pay
from tests.pay.test_widget import Browser, through
from tests.upload.test_cli import finstance

PAYEE = {"account": {"institutionCode": "004", "transitNumber": "12345", "accountNumber": "1234567"}}


async def test_settle_writes_the_days_file_and_files_writes_it_out(
    tmp_path: Path, clock: ManualClock
) -> None:
    for country in ("CA", "US"):
        made = finstance(tmp_path, "instances", "create", "--company", "acme", "--country", country, "--json")
        assert made.returncode == 0, made.stderr
    none = finstance(tmp_path, "pay", "files", "--instance", "acme-ca")
    assert none.returncode == 0 and "acme-ca has written no file" in none.stdout
    # A payor pays on the production instance's widget on Thursday 15 January 2026 (the test clock).
    async with serve_in_process(Directory(tmp_path).get("acme-ca").spec(), clock) as http:
        pay = Pay(http)
        session_id = (await pay.create({**GEFT, "payee": PAYEE})).json()["sessionId"]
        browser = Browser(http, session_id)
        await through(browser, "Happy1")
        await browser.post(action="agree", agreement="yes")
        assert browser.steps()[-1] == "SUCCESS"
        # The command runs on the real clock, long past that day's cut-off.
        settled = finstance(tmp_path, "pay", "settle", "--instance", "acme-ca", "--json")
        assert settled.returncode == 0, settled.stderr
        done = json.loads(settled.stdout)
        assert done["moved"] >= 1 and [f["fileDate"] for f in done["files"]] == ["2026-01-15"]
        assert done["files"][0]["debits"] == {"count": 1, "total": 25050}
        again = finstance(tmp_path, "pay", "settle", "--instance", "acme-ca")
        assert again.returncode == 0 and "0 file(s) written" in again.stdout
        out = tmp_path / "bank"
        listed = finstance(tmp_path, "pay", "files", "--instance", "acme-ca", "--out", str(out))
        assert listed.returncode == 0, listed.stderr
        assert "2026-01-15  file 0001  1 debit(s) 250.50  0 credit(s) 0.00" in listed.stdout
        written = (out / "cpa005-2026-01-15.txt").read_bytes()
        served = await http.get("/pay/api/v1/settlement/files/2026-01-15", headers=await pay.bearer())
        assert written == served.content and written.count(b"\r\n") == 3
        # Returns go to the session's payee, the account it settles to.
        assert b"00041234" + b"5" + b"1234567" in written
        status = await http.get(f"/pay/api/v2/sessions/{session_id}/status")
        assert status.json()["status"] == "Completed"
    only = finstance(tmp_path, "pay", "files", "--instance", "acme-ca", "--date", "2026-01-16", "--json")
    assert only.returncode == 0 and json.loads(only.stdout) == []
    bad = finstance(tmp_path, "pay", "files", "--instance", "acme-ca", "--date", "15/01/2026")
    assert bad.returncode != 0 and "YYYY-MM-DD" in bad.stderr and "Traceback" not in bad.stderr
    us = finstance(tmp_path, "pay", "settle", "--instance", "acme-us")
    assert us.returncode != 0 and "Canadian instances only" in us.stderr
