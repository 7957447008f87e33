"""Enrich's cost against a plain GetAccountsDetail of the same login, in the same run, on SQLite.

    .venv/bin/python benchmarks/enrich.py [--rounds 20] [--no-record]

One finstance server (``servers.py``, one uvicorn process). ``greatday_nomfa`` is connected and aggregated,
then a cached Authorize and its GetAccountsDetail (``Days365``: every stored transaction). Measured one
request at a time, alternating so that drift hits every row alike, each row's median over ``--rounds``:

- GetAccountsDetail Days365 (the baseline: the same login's data, serialized);
- GetAllAttributes (every consumer attribute, with the transactions behind each);
- GetCategorization (every transaction, categorized);
- POST /Categorization/Upload with 10,000 transactions of the client's own (the year repeated), against the
  GetAccountsDetail baseline and against the time to send and parse the same body at /attributes/upload with
  an unknown attribute name (refused before any work: the cost of the HTTP body itself).

The issue sets no ratio target for these; the report prints the ratios and the time per call.
"""

from __future__ import annotations

import argparse
import shlex
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx

from cached_flow import PREFIX, authorize, machine, server, wait_aggregated
from finstance.core.instance import TOOLBOX_API_KEY, TOOLBOX_SECRET_KEY, sqlite_url

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "RESULTS.md"
ROOT = PREFIX.removesuffix("/BankingServices")
UPLOADED = 10_000


def timed(call: Callable[[], httpx.Response]) -> tuple[float, int]:
    """Milliseconds and answer size of one call, which must answer 200 (or 400 for the refused body)."""
    started = time.perf_counter()
    response = call()
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200 and not (response.status_code == 400 and "Attribute" in response.text):
        raise RuntimeError(f"{response.request.url}: {response.status_code} {response.text[:300]}")
    return elapsed, len(response.content)


def uploaded_transactions(detail: dict[str, Any]) -> list[dict[str, Any]]:
    """The login's chequing year, repeated back in time until there are 10,000, newest first."""
    rows = [t for a in detail["Accounts"] if a["Type"] == "Chequing" for t in a["Transactions"]]
    out: list[dict[str, Any]] = []
    shift = 0
    while len(out) < UPLOADED:
        for t in rows:
            day = date.fromisoformat(t["Date"]) - timedelta(days=366 * shift)
            out.append({"TransactionDate": day.strftime("%Y/%m/%d"), "Description": t["Description"],
                        "Debit": t["Debit"], "Credit": t["Credit"]})  # fmt: skip
            if len(out) == UPLOADED:
                break
        shift += 1
    return out


def run(rounds: int) -> list[tuple[str, float, int, str]]:
    with tempfile.TemporaryDirectory(prefix="finstance-bench-") as tmp:
        work = Path(tmp)
        with server(
            ["finstance", "--store-url", sqlite_url(work / "toolbox.db")], work / "server.log"
        ) as port:
            http = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=120.0)
            live = {"Institution": "FlinksCapital", "Username": "greatday_nomfa", "Password": "Everyday",
                    "MostRecentCached": False, "Save": True}  # fmt: skip
            session = authorize(http, live)
            wait_aggregated(http, session["RequestId"])
            login_id = session["Login"]["Id"]
            request_id = authorize(http, {"LoginId": login_id, "MostRecentCached": True})["RequestId"]
            api, secret = {"x-api-key": TOOLBOX_API_KEY}, {"Authorization": f"Bearer {TOOLBOX_SECRET_KEY}"}
            detail_body = {"RequestId": request_id, "DaysOfTransactions": "Days365"}
            detail = http.post(f"{PREFIX}/GetAccountsDetail", json=detail_body, headers=api)
            detail.raise_for_status()
            stored = sum(len(a["Transactions"]) for a in detail.json()["Accounts"])
            upload = {"OriginCountry": "ca", "Transactions": uploaded_transactions(detail.json()),
                      "MostRecentBalance": 1000.0}  # fmt: skip
            refused = {**upload, "Card": ["not_an_attribute"]}
            calls: dict[str, Callable[[], httpx.Response]] = {
                "GetAccountsDetail Days365": lambda: http.post(
                    f"{PREFIX}/GetAccountsDetail", json=detail_body, headers=api
                ),
                "GetAllAttributes": lambda: http.get(
                    f"{ROOT}/insight/login/{login_id}/attributes/{request_id}/GetAllAttributes", headers=api
                ),
                "GetCategorization": lambda: http.get(
                    f"{ROOT}/categorization/login/{login_id}/requestid/{request_id}", headers=api
                ),
                f"Categorization/Upload ({UPLOADED:,})": lambda: http.post(
                    f"{ROOT}/Categorization/Upload", json=upload, headers=secret
                ),
                f"the same body refused unread ({UPLOADED:,})": lambda: http.post(
                    f"{ROOT}/attributes/upload", json=refused, headers=secret
                ),
            }
            for call in calls.values():  # warm-up
                call()
            results: dict[str, list[tuple[float, int]]] = {name: [] for name in calls}
            for _ in range(rounds):
                for name, call in calls.items():
                    results[name].append(timed(call))
            rows = []
            base = statistics.median(ms for ms, _ in results["GetAccountsDetail Days365"])
            for name, samples in results.items():
                value = statistics.median(ms for ms, _ in samples)
                rows.append((name, value, samples[-1][1], f"{value / base:.2f}x"))
            http.close()
            print(f"stored transactions of the login: {stored:,}")
            return rows


def report(rows: list[tuple[str, float, int, str]], rounds: int) -> str:
    lines = ["| call | median ms | bytes | vs GetAccountsDetail |", "|---|---:|---:|---:|"]
    lines += [f"| {name} | {ms:.1f} | {size:,} | {ratio} |" for name, ms, size, ratio in rows]
    lines.append(f"\n- {rounds} rounds, one request at a time, calls interleaved; median of each")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--no-record", action="store_true", help="do not append to benchmarks/RESULTS.md")
    args = parser.parse_args()
    rows = run(args.rounds)
    text = report(rows, args.rounds)
    print(text)
    if not args.no_record:
        command = shlex.join([".venv/bin/python", "benchmarks/enrich.py", *sys.argv[1:]])
        with RESULTS.open("a") as out:
            out.write(f"\n## enrich: {time.strftime('%Y-%m-%d %H:%M %Z')}\n\n- machine: {machine()}\n"
                      f"- command: `{command}`\n\n{text}\n")  # fmt: skip


if __name__ == "__main__":
    main()
