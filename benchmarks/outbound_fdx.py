"""Outbound's FDX transactions, page by page, against a plain GetAccountsDetail of the same data, in one run.

    .venv/bin/python benchmarks/outbound_fdx.py [--rounds 10] [--limit 100] [--no-record]

One finstance server (``servers.py``: the toolbox app, one uvicorn process, SQLite). A recipient is registered
in the instance's store (as ``finstance outbound recipients create`` does); ``Greatday`` consents over HTTP,
through the same forms and redirects a browser follows (login with MFA, every account, every scope); the code
is exchanged for tokens. Then, one request at a time, alternating:

- a year of the chequing account's transactions through
  ``GET /outbound/api/fdx/5/accounts/{id}/transactions``, ``--limit`` per page, following ``page.nextOffset``;
- ``GetAccountsDetail`` with ``Days365`` (a cached ``/Authorize`` of the same login), the same year of every
  account in one document.

Printed: pages per second and transactions per second of each, and the ratios. The issue sets no target.
"""

from __future__ import annotations

import argparse
import html
import re
import shlex
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx

from cached_flow import PREFIX, authorize, machine, server, wait_aggregated
from finstance.core.clock import SystemClock
from finstance.core.context import InstanceContext
from finstance.core.country import Country
from finstance.core.instance import TOOLBOX_API_KEY, TOOLBOX_SECRET_KEY, Settings, sqlite_url, toolbox_spec
from finstance.core.store import Store
from finstance.outbound import recipients
from finstance.sandbox import bank

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "RESULTS.md"
REDIRECT_URI = "https://recipient.example/callback"
SCOPES = "ACCOUNT_BASIC ACCOUNT_DETAILED TRANSACTIONS"


def register(store_url: str) -> recipients.Issued:
    spec = toolbox_spec(store_url)
    store = Store(spec.store_url)
    try:
        ctx = InstanceContext(spec=spec, store=store, clock=SystemClock(), settings=Settings())
        return recipients.create(ctx, "Benchmark Lending", [REDIRECT_URI])
    finally:
        store.dispose()


def _post(http: httpx.Client, page: httpx.Response, form: dict[str, Any]) -> httpx.Response:
    action = re.search(r'<form method="post" action="([^"]+)"', page.text)
    if action is None:
        raise RuntimeError(f"setup: no form on the consent page: {page.text[:300]}")
    response = http.post(
        action.group(1),
        content=urlencode(form, doseq=True),
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    while response.status_code in (302, 303) and response.headers["location"].startswith("/"):
        response = http.get(response.headers["location"])
    return response


def consent(http: httpx.Client, client: recipients.Issued) -> str:
    """Greatday's consent through the pages; returns the authorization code."""
    query = {"response_type": "code", "client_id": client.client_id, "redirect_uri": REDIRECT_URI,
             "scope": SCOPES, "state": "bench", "provider_id": "1000"}  # fmt: skip
    page = http.get("/outbound/api/v1/authorize?" + urlencode(query))
    while page.status_code in (302, 303) and page.headers["location"].startswith("/"):
        page = http.get(page.headers["location"])
    page = _post(http, page, {"action": "submit", "username": "Greatday", "password": "Everyday"})
    while 'name="answer-0"' in page.text:
        prompts = [
            html.unescape(p) for p in re.findall(r'<label for="answer-\d+">([^<]+)</label>', page.text)
        ]
        answers = {f"answer-{i}": bank.expected_answer(p, Country.CA, "en") for i, p in enumerate(prompts)}
        page = _post(http, page, {"action": "submit", **answers})
    offered = re.findall(r'name="account" value="([^"]+)"', page.text)
    done = _post(http, page, {"action": "approve", "account": offered})
    if done.status_code != 302:
        raise RuntimeError(f"setup: consent answered {done.status_code}: {done.text[:300]}")
    return parse_qs(urlsplit(done.headers["location"]).query)["code"][0]


def page_through(http: httpx.Client, token: str, account: str, limit: int) -> tuple[int, int]:
    """Every page of the account's transactions: (pages, transactions)."""
    url = f"/outbound/api/fdx/5/accounts/{account}/transactions"
    params: dict[str, str] = {"limit": str(limit)}
    pages = count = 0
    while True:
        response = http.get(url, params=params, headers={"authorization": f"Bearer {token}"})
        if response.status_code != 200:
            raise RuntimeError(f"FDX page answered {response.status_code}: {response.text[:300]}")
        body = response.json()
        pages += 1
        count += len(body["transactions"])
        cursor = body.get("page", {}).get("nextOffset")
        if not cursor:
            return pages, count
        params = {"limit": str(limit), "offset": cursor}


def run(rounds: int, limit: int) -> tuple[list[str], dict[str, float]]:
    with tempfile.TemporaryDirectory(prefix="finstance-bench-") as tmp:
        work = Path(tmp)
        store_url = sqlite_url(work / "toolbox.db")
        with server(["finstance", "--store-url", store_url], work / "server.log") as port:
            client = register(store_url)
            http = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60.0)
            code = consent(http, client)
            tokens = http.post(
                "/outbound/api/v1/token",
                data={"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT_URI},
                auth=(client.client_id, client.client_secret),
            ).json()
            token = tokens["access_token"]
            bearer = {"authorization": f"Bearer {token}"}
            accounts = http.get("/outbound/api/fdx/5/accounts", headers=bearer)
            deadline = time.monotonic() + 60
            while accounts.status_code == 503 and time.monotonic() < deadline:  # the first aggregation runs
                time.sleep(float(accounts.headers.get("retry-after", "1")))
                accounts = http.get("/outbound/api/fdx/5/accounts", headers=bearer)
            if accounts.status_code != 200:
                raise RuntimeError(
                    f"setup: FDX accounts answered {accounts.status_code}: {accounts.text[:300]}"
                )
            deposit = [a["depositAccount"] for a in accounts.json()["accounts"] if "depositAccount" in a]
            account = deposit[0]["accountId"]
            login_id, live_request = authorize_login(http)
            wait_aggregated(http, live_request)
            request_id = authorize(http, {"LoginId": login_id, "MostRecentCached": True})["RequestId"]
            api = {"x-api-key": TOOLBOX_API_KEY}
            detail_body = {"RequestId": request_id, "DaysOfTransactions": "Days365"}
            fdx_s: list[float] = []
            detail_s: list[float] = []
            pages = fdx_count = detail_count = 0
            for _ in range(rounds + 1):  # the first round warms up
                started = time.perf_counter()
                pages, fdx_count = page_through(http, token, account, limit)
                fdx_s.append(time.perf_counter() - started)
                started = time.perf_counter()
                detail = http.post(f"{PREFIX}/GetAccountsDetail", json=detail_body, headers=api)
                detail_s.append(time.perf_counter() - started)
                detail.raise_for_status()
                detail_count = sum(len(a["Transactions"]) for a in detail.json()["Accounts"])
            http.close()
    fdx_time, detail_time = statistics.median(fdx_s[1:]), statistics.median(detail_s[1:])
    figures = {
        "fdx_pages_per_s": pages / fdx_time,
        "fdx_txns_per_s": fdx_count / fdx_time,
        "detail_calls_per_s": 1 / detail_time,
        "detail_txns_per_s": detail_count / detail_time,
    }
    lines = [
        "| path | requests | transactions | median s | requests/s | transactions/s |",
        "|---|---:|---:|---:|---:|---:|",
        f"| FDX transactions, {limit} a page, one account | {pages} | {fdx_count:,} | {fdx_time:.3f} | "
        f"{figures['fdx_pages_per_s']:.0f} | {figures['fdx_txns_per_s']:,.0f} |",
        f"| GetAccountsDetail Days365, every account | 1 | {detail_count:,} | {detail_time:.3f} | "
        f"{figures['detail_calls_per_s']:.0f} | {figures['detail_txns_per_s']:,.0f} |",
        "",
        f"- FDX pages per second ÷ GetAccountsDetail calls per second: "
        f"{figures['fdx_pages_per_s'] / figures['detail_calls_per_s']:.2f}",
        f"- FDX transactions per second ÷ GetAccountsDetail transactions per second: "
        f"{figures['fdx_txns_per_s'] / figures['detail_txns_per_s']:.2f}",
        f"- {rounds} rounds after one warm-up round, one request at a time, the two paths alternating",
    ]
    return lines, figures


def authorize_login(http: httpx.Client) -> tuple[str, str]:
    """Greatday's loginId on this instance (the consent connected it) and a live RequestId of it."""
    token = http.post(
        f"{PREFIX}/GenerateAuthorizeToken", headers={"flinks-auth-key": TOOLBOX_SECRET_KEY}
    ).json()["Token"]
    auth = {"flinks-auth-key": token}
    live = {"Institution": "FlinksCapital", "Username": "Greatday", "Password": "Everyday",
            "MostRecentCached": False, "Save": True}  # fmt: skip
    response = http.post(f"{PREFIX}/Authorize", json=live, headers=auth)
    while response.status_code == 203:
        challenge = response.json()
        prompt = challenge["SecurityChallenges"][0]["Prompt"]
        expected = bank.expected_answer(prompt, Country.CA, "en")
        answer = {"RequestId": challenge["RequestId"], "SecurityResponses": {prompt: [expected]}}
        response = http.post(f"{PREFIX}/Authorize", json=answer, headers=auth)
    if response.status_code != 200:
        raise RuntimeError(f"setup: Authorize answered {response.status_code}: {response.text[:300]}")
    body = response.json()
    return body["Login"]["Id"], body["RequestId"]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--limit", type=int, default=100)
    parser.add_argument("--no-record", action="store_true", help="do not append to benchmarks/RESULTS.md")
    args = parser.parse_args()
    lines, _ = run(args.rounds, args.limit)
    text = "\n".join(lines)
    print(text)
    if not args.no_record:
        command = shlex.join([".venv/bin/python", "benchmarks/outbound_fdx.py", *sys.argv[1:]])
        with RESULTS.open("a") as out:
            out.write(f"\n## outbound_fdx: {time.strftime('%Y-%m-%d %H:%M %Z')}\n\n- machine: {machine()}\n"
                      f"- command: `{command}`\n\n{text}\n")  # fmt: skip


if __name__ == "__main__":
    main()
