"""Pay's payment widget in a real browser, on demo-ca as ``finstance serve`` runs it: an integrator embeds
``/pay/app/?sessionId=...``, the payor signs in to Flinks Capital through the instance's own Connect, picks
an account, takes the guarantee and accepts the PAD agreement; the page posts Flinks' events to the host.
Advancing the sandbox's Pay clock then files the payment in the day's CPA-005 file, and a forced return
carries its code. Unhappy1 fails with EFT0402; demo-us refuses the widget outright."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from finstance.pay import calendar
from tests.connect.web.conftest import Instance, Servers
from tests.connect.web.test_browser import open_in_host, shot, steps, wait_for_step
from tests.pay.test_sessions import GEFT

pytestmark = [pytest.mark.browser, pytest.mark.slow]


class PayApi:
    def __init__(self, servers: Servers, instance: Instance) -> None:
        out = subprocess.run(
            [sys.executable, "-m", "finstance", "clients", "create", "--instance", instance.name,
             "--product", "pay", "--json", "--data-dir", str(servers.data_dir)],
            capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
        issued = json.loads(out)
        self.base = f"{instance.base}/pay/api"
        self.auth = (issued["client_id"], issued["client_secret"])

    def bearer(self) -> dict[str, str]:
        token = httpx.post(
            f"{self.base}/v1/authorize", auth=self.auth, data={"grant_type": "client_credentials"}
        )
        assert token.status_code == 200, token.text
        return {"Authorization": f"Bearer {token.json()['access_token']}"}

    def session(self, **changes: Any) -> str:
        created = httpx.post(f"{self.base}/v2/sessions", json={**GEFT, **changes}, headers=self.bearer())
        assert created.status_code == 200, created.text
        return str(created.json()["sessionId"])

    def status(self, session_id: str) -> tuple[str, str | None]:
        body = httpx.get(f"{self.base}/v2/sessions/{session_id}/status").json()
        return body["status"], body["statusDetails"]


def pay_through(frame: Any, username: str) -> None:
    frame.get_by_role("button", name="Flinks Capital").click()
    frame.get_by_label("Username").fill(username)
    frame.get_by_label("Password").fill("Everyday")
    frame.get_by_role("button", name="Sign in").click()
    frame.get_by_role("radio").first.check()
    frame.get_by_role("button", name="Continue").click()
    frame.get_by_role("button", name="Confirm").click()


def test_happy1_pays_in_the_embedded_widget_and_the_clock_files_and_returns_the_debit(
    servers: Servers, page: Any, artifacts: Path
) -> None:
    pay = PayApi(servers, servers.ca)
    session_id = pay.session(referenceId="ORDER-77")
    frame = open_in_host(page, servers, f"{servers.ca.base}/pay/app/?sessionId={session_id}")
    wait_for_step(page, "APP_MOUNTED")
    shot(page, artifacts, "pay-1-start")
    pay_through(frame, "Happy1")
    frame.get_by_text("Flinks guarantees $250.50 of this payment.").wait_for()
    shot(page, artifacts, "pay-2-guarantee")
    frame.get_by_role("button", name="Accept").click()
    agreement = frame.locator("#agreement-text")
    agreement.wait_for()
    assert "John Doe" in agreement.inner_text() and "$250.50" in agreement.inner_text()
    shot(page, artifacts, "pay-3-agreement")
    frame.get_by_label("I accept this agreement").check()
    frame.get_by_role("button", name="Confirm").click()
    success = wait_for_step(page, "SUCCESS")
    shot(page, artifacts, "pay-4-complete")
    assert success["origin"] == servers.ca.base
    assert success["data"] == {
        "step": "SUCCESS",
        "sessionId": session_id,
        "status": "Completed",
        "statusDetails": "EFT0301",
        "amount": 250.5,
    }
    assert steps(page) == [
        "APP_MOUNTED",
        "INSTITUTION_SELECTED",
        "SUBMIT_CREDENTIAL",
        "ACCOUNT_SELECTED",
        "COMPONENT_DEPOSIT_CONTINUE",
        "GUARANTEE_OFFERED",
        "SUCCESS",
    ]
    assert pay.status(session_id) == ("Completed", "EFT0301")

    # The sandbox's Pay clock moves to the cut-off of the payment's file day: the file is written.
    bearer = pay.bearer()
    now = datetime.fromisoformat(httpx.get(f"{pay.base}/sandbox/clock", headers=bearer).json()["now"])
    day = calendar.file_date(now)
    moved = httpx.post(
        f"{pay.base}/sandbox/clock", json={"to": calendar.cutoff_instant(day).isoformat()}, headers=bearer
    )
    assert moved.status_code == 200, moved.text
    assert [(f["fileDate"], f["debits"]["total"]) for f in moved.json()["files"]][-1] == (
        day.isoformat(),
        25050,
    )
    content = httpx.get(f"{pay.base}/v1/settlement/files/{day.isoformat()}", headers=bearer)
    assert content.status_code == 200
    line = next(r for r in content.text.split("\r\n") if session_id.replace("-", "")[:19].upper() in r)
    assert line.startswith("D") and "0000025050" in line and "John Doe" in line and "ORDER-77" in line
    # The payor's bank returns it: payment stopped (914).
    returned = httpx.post(
        f"{pay.base}/sandbox/sessions/{session_id}/simulate",
        json={"event": "return", "returnCode": "914"},
        headers=bearer,
    )
    assert (returned.json()["paymentStatus"], returned.json()["paymentStatusDetails"]) == ("Returned", "914")


def test_unhappy1_is_refused_a_guarantee_and_demo_us_has_no_widget(
    servers: Servers, page: Any, artifacts: Path
) -> None:
    pay = PayApi(servers, servers.ca)
    session_id = pay.session()
    frame = open_in_host(page, servers, f"{servers.ca.base}/pay/app/?sessionId={session_id}")
    pay_through(frame, "Unhappy1")
    failed = wait_for_step(page, "GUARANTEE_FAILED")
    frame.get_by_text("The payment could not be guaranteed.").wait_for()
    shot(page, artifacts, "pay-5-not-guaranteed")
    assert failed["data"]["statusDetails"] == "EFT0402"
    assert "SUCCESS" not in steps(page)
    assert pay.status(session_id) == ("Failed", "EFT0402")
    refused = httpx.get(f"{servers.us.base}/pay/app/?sessionId={session_id}")
    assert refused.status_code == 400 and refused.json()["FlinksCode"] == "METHOD_NOT_AVAILABLE"
    assert session_id not in refused.text


def test_an_eft_v1_payor_signs_the_pad_agreement_at_its_link_and_the_clock_files_the_debit(
    servers: Servers, page: Any, artifacts: Path
) -> None:
    pay = PayApi(servers, servers.ca)
    now = datetime.fromisoformat(httpx.get(f"{pay.base}/sandbox/clock", headers=pay.bearer()).json()["now"])
    day = calendar.next_business_day(calendar.local(now).date())
    transaction = {
        "transactionCode": 450,
        "amount": 75.25,
        "crossReferenceNumber": "LEASE-9",
        "paymentDirection": "DEBIT",
        "payor": {
            "accountInfo": {"institutionCode": "004", "transitNumber": "10202", "accountNumber": "5551234"},
            "contactInfo": {"firstName": "Amélie", "lastName": "Tremblay"},
        },
        "scheduleInfo": {"paymentFrequency": "OneTime", "startDate": day.isoformat()},
    }
    created = httpx.post(f"{pay.base}/v1/transactions", json=[transaction], headers=pay.bearer())
    assert created.status_code == 200, created.text
    [schedule] = created.json()["schedules"]
    pad = httpx.get(f"{pay.base}/v1/pads/{schedule['padId']}", headers=pay.bearer()).json()
    assert pad["padLink"] == f"{servers.ca.base}/pay/pad/{schedule['padId']}"

    frame = open_in_host(page, servers, pad["padLink"] + "?lang=fr")
    wait_for_step(page, "APP_MOUNTED")
    agreement = frame.locator("#agreement-text")
    text = agreement.inner_text()
    assert "Amélie Tremblay" in text and "75,25 $" in text and "****1234" in text and "5551234" not in text
    shot(page, artifacts, "pad-1-agreement")
    frame.get_by_role("button", name="Signer l’accord").click()
    frame.get_by_role("alert").wait_for()  # the agreement must be ticked first
    frame.get_by_role("checkbox").check()
    frame.get_by_role("button", name="Signer l’accord").click()
    signed = wait_for_step(page, "SUCCESS")
    assert signed["origin"] == servers.ca.base and signed["data"]["padId"] == schedule["padId"]
    shot(page, artifacts, "pad-2-signed")
    assert (
        httpx.get(f"{pay.base}/v1/pads/{schedule['padId']}", headers=pay.bearer()).json()["status"]
        == "Active"
    )

    cutoff = datetime(day.year, day.month, day.day, 13, tzinfo=calendar.TORONTO).isoformat()
    moved = httpx.post(f"{pay.base}/sandbox/clock", json={"to": cutoff}, headers=pay.bearer()).json()
    assert day.isoformat() in [f["fileDate"] for f in moved["files"]]
    content = httpx.get(f"{pay.base}/v1/settlement/files/{day.isoformat()}", headers=pay.bearer()).text
    assert "LEASE-9" in content and "0000007525" in content and "Amelie Tremblay" in content
