"""The consent pages in Chromium, against `finstance serve`: a recipient registered on demo-ca with the CLI,
the end-user logs in to Flinks Capital (with MFA), picks accounts, sees the scopes and approves or denies;
the recipient exchanges the code, pages through a year of transactions, refreshes, revokes, and its token
is refused by demo-us."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest

from finstance.core.country import Country
from finstance.sandbox import bank
from tests.connect.web.conftest import Servers

pytestmark = pytest.mark.browser
SCOPES = "ACCOUNT_BASIC ACCOUNT_DETAILED TRANSACTIONS CUSTOMER_CONTACT"


class _Callback(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("content-type", "text/html; charset=utf-8")
        self.end_headers()
        self.wfile.write(b"<!doctype html><title>Recipient</title><p>Back at the recipient.</p>")

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def callback() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Callback)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/callback"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def recipient(servers: Servers, callback: str) -> dict[str, Any]:
    # The directory of the server these pages are served by (each conftest that offers `servers` starts
    # its own `finstance serve`, so it cannot be guessed from the temporary directories' names).
    data_dir = str(servers.data_dir)
    result = subprocess.run(
        [sys.executable, "-m", "finstance", "outbound", "recipients", "create", "--instance", "demo-ca",
         "--name", "Acme Lending", "--redirect-uri", callback, "--json", "--data-dir", data_dir],
        capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    issued: dict[str, Any] = json.loads(result.stdout)
    return issued


def _authorize(servers: Servers, recipient: dict[str, Any], callback: str, **extra: str) -> str:
    params = {"response_type": "code", "client_id": recipient["client_id"], "redirect_uri": callback,
              "scope": SCOPES, "state": "st-browser", "provider_id": "1000", **extra}  # fmt: skip
    return f"{servers.ca.base}/outbound/api/v1/authorize?{urlencode(params)}"


def _log_in(page: Any, url: str, artifacts: Path, tag: str) -> None:
    page.goto(url)
    page.screenshot(path=str(artifacts / f"outbound-{tag}-1-login.png"))
    page.fill("#username", "Greatday")
    page.fill("#password", "Everyday")
    page.click("button[value=submit]")
    page.wait_for_selector("#answer-0")
    prompt = page.inner_text("label[for=answer-0]")
    page.screenshot(path=str(artifacts / f"outbound-{tag}-2-mfa.png"))
    page.fill("#answer-0", bank.expected_answer(prompt, Country.CA, "en") or "")
    page.click("button[value=submit]")
    page.wait_for_selector("button[value=approve]")
    page.screenshot(path=str(artifacts / f"outbound-{tag}-3-consent.png"))


def _get(url: str, token: str) -> httpx.Response:
    """An FDX call, waiting out the 503 of an aggregation still running (Retry-After)."""
    for _ in range(20):
        response = httpx.get(url, headers={"Authorization": f"Bearer {token}"}, timeout=10)
        if response.status_code != 503:
            return response
        time.sleep(float(response.headers.get("retry-after", "1")))
    raise AssertionError("the data never became available")


def test_consent_in_chromium_then_code_pages_refresh_revoke_and_demo_us_refuses(
    servers: Servers, page: Any, artifacts: Path, recipient: dict[str, Any], callback: str
) -> None:
    _log_in(page, _authorize(servers, recipient, callback), artifacts, "approve")
    scopes = page.locator("li[data-scope]").evaluate_all("items => items.map(i => i.dataset.scope)")
    assert scopes == SCOPES.split()
    boxes = page.locator("input[name=account]")
    assert boxes.count() >= 2
    boxes.nth(1).uncheck()  # share all but the second account
    chosen = [boxes.nth(i).get_attribute("value") for i in range(boxes.count()) if i != 1]
    page.click("button[value=approve]")
    page.wait_for_url(callback + "?*")
    query = parse_qs(urlsplit(page.url).query)
    assert query["state"] == ["st-browser"] and query["code"]

    token_url = f"{servers.ca.base}/outbound/api/v1/token"
    auth = (recipient["client_id"], recipient["client_secret"])
    form = {"grant_type": "authorization_code", "code": query["code"][0], "redirect_uri": callback}
    exchange = httpx.post(token_url, auth=auth, data=form)
    assert exchange.status_code == 200, exchange.text
    tokens = exchange.json()
    listed = _get(f"{servers.ca.base}/outbound/api/fdx/5/accounts", tokens["access_token"])
    assert listed.status_code == 200, listed.text
    assert [next(iter(a.values()))["accountId"] for a in listed.json()["accounts"]] == chosen

    today = date.today()
    url: str | None = (
        f"{servers.ca.base}/outbound/api/fdx/5/accounts/{chosen[0]}/transactions"
        f"?startTime={(today - timedelta(days=365)).isoformat()}&endTime={today.isoformat()}&limit=100"
    )
    rows, total = 0, -1
    while url is not None:
        body = _get(url, tokens["access_token"]).json()
        rows += len(body["transactions"])
        total = body["page"]["totalElements"]
        url = body.get("links", {}).get("next", {}).get("href")
    assert rows == total > 100

    refreshed = httpx.post(token_url, auth=auth, data={"grant_type": "refresh_token",
                                                       "refresh_token": tokens["refresh_token"]})  # fmt: skip
    assert refreshed.status_code == 200, refreshed.text
    access = refreshed.json()["access_token"]
    elsewhere = httpx.get(
        f"{servers.us.base}/outbound/api/fdx/5/accounts", headers={"Authorization": f"Bearer {access}"}
    )
    assert elsewhere.status_code == 401 and elsewhere.json()["code"] == "602"  # demo-us: not its signature
    revoked = httpx.delete(
        f"{servers.ca.base}/outbound/api/v1/revoke", headers={"Authorization": f"Bearer {access}"}
    )
    assert revoked.status_code == 204
    after = httpx.get(
        f"{servers.ca.base}/outbound/api/fdx/5/accounts", headers={"Authorization": f"Bearer {access}"}
    )
    assert after.status_code == 401 and after.json()["code"] == "602"


def test_denying_in_chromium_returns_access_denied_and_the_pages_speak_french(
    servers: Servers, page: Any, artifacts: Path, recipient: dict[str, Any], callback: str
) -> None:
    _log_in(page, _authorize(servers, recipient, callback, state="st-deny"), artifacts, "deny")
    page.click("button[value=deny]")
    page.wait_for_url(callback + "?*")
    query = parse_qs(urlsplit(page.url).query)
    assert query == {"error": ["access_denied"], "error_description": ["The user denied the access"],
                     "state": ["st-deny"]}  # fmt: skip
    page.goto(_authorize(servers, recipient, callback, language="fr"))
    assert page.inner_text("h1") == "Connectez-vous à Flinks Capital"
    assert page.get_attribute("html", "lang") == "fr"
