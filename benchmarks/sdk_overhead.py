"""What the SDK adds per call (routing, identifier checks, retries, typed models) over a raw httpx call.

    .venv/bin/python benchmarks/sdk_overhead.py [--rounds N] [--record]

Both sides call the same server in the same run, alternating call by call so drift hits both equally:

- ``in-process``: the toolbox app of ``finstance.testing.Sandbox`` (the real app, over an ASGI transport);
- ``tcp``: the same app in its own uvicorn process (one worker, SQLite), started by this script.

The instance's rate limits on Authorize and GenerateAuthorizeToken are turned off (when the server has
them): the benchmark repeats one login's cached flow far more often than an integrator would.

Cached flow, after one live connection of Greatday has been aggregated:

- ``detail``: one ``GetAccountsDetail`` on an open RequestId (90 days of transactions, ~20 KB);
- ``flow``: ``GenerateAuthorizeToken`` + cached ``Authorize`` + ``GetAccountsDetail``.

The raw side sends the same requests with the same ``httpx.Client`` and decodes the JSON (``.json()``),
which any caller does; the SDK side also validates the answer into its pydantic models. Overhead is
(SDK median - raw median) / raw median.
"""

from __future__ import annotations

import argparse
import platform
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx

from finstance.client import FlinksClient, local
from finstance.core.instance import (
    TOOLBOX_API_KEY,
    TOOLBOX_CUSTOMER_ID,
    TOOLBOX_SECRET_KEY,
    Settings,
    sqlite_url,
    toolbox_spec,
)
from finstance.testing import Sandbox, connect

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "RESULTS.md"


UNLIMITED = {
    k: 0 for k in ("token_rate", "authorize_rate", "login_rate") if k in Settings.__dataclass_fields__
}


def serve(port: int, store_url: str) -> None:
    """The server side of the ``tcp`` rows (``--serve PORT STORE_URL``)."""
    import logging

    import uvicorn

    from finstance.app import create_app
    from finstance.core.logs import configure_logging

    configure_logging(logging.WARNING)
    app = create_app(toolbox_spec(store_url), Settings(**UNLIMITED))  # type: ignore[arg-type]
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@contextmanager
def tcp_server() -> Iterator[str]:
    with tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        store = sqlite_url(Path(tmp) / "toolbox.db")
        cmd = [sys.executable, str(Path(__file__).resolve()), "--serve", str(port), store]
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    if httpx.get(f"{base}/openapi.json", timeout=1).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise RuntimeError("the server did not start")
                time.sleep(0.1)
            yield base
        finally:
            proc.terminate()
            proc.wait(timeout=20)


def raw_calls(http: httpx.Client, client: FlinksClient, login_id: str) -> dict[str, Callable[[str], Any]]:
    banking = client.config.banking_url
    api = {"x-api-key": client.config.api_key}
    detail_body = {"DaysOfTransactions": "Days90"}

    def detail(request_id: str) -> Any:
        r = http.post(
            f"{banking}/GetAccountsDetail", json={"RequestId": request_id, **detail_body}, headers=api
        )
        assert r.status_code == 200, r.text
        return r.json()

    def flow(_: str) -> Any:
        secret = {"flinks-auth-key": client.config.secret_key}
        token = http.post(f"{banking}/GenerateAuthorizeToken", headers=secret).json()["Token"]
        body = {"LoginId": login_id, "MostRecentCached": True}
        rid = http.post(f"{banking}/Authorize", json=body, headers={"flinks-auth-key": token}).json()[
            "RequestId"
        ]
        return detail(rid)

    return {"detail": detail, "flow": flow}


def sdk_calls(client: FlinksClient, login_id: str) -> dict[str, Callable[[str], Any]]:
    def detail(request_id: str) -> Any:
        return client.accounts_detail(request_id, days_of_transactions="Days90")

    def flow(_: str) -> Any:
        rid = client.authorize(login_id=login_id).request_id
        return client.accounts_detail(rid, days_of_transactions="Days90")

    return {"detail": detail, "flow": flow}


def measure(client: FlinksClient, http: httpx.Client, rounds: int) -> dict[str, tuple[float, float]]:
    session = connect(client)
    assert session.login is not None
    login_id = session.login.id
    client.fetch_accounts_detail(login_id, poll_interval=0.25)  # aggregated: the cached flow from here
    request_id = client.authorize(login_id=login_id).request_id
    raw, sdk = raw_calls(http, client, login_id), sdk_calls(client, login_id)
    out = {}
    for name in ("detail", "flow"):
        times: dict[str, list[float]] = {"raw": [], "sdk": []}
        for i in range(rounds + 20):  # the first 20 warm up
            for side, call in (("raw", raw[name]), ("sdk", sdk[name])) if i % 2 else (
                ("sdk", sdk[name]), ("raw", raw[name])
            ):  # fmt: skip
                start = time.perf_counter()
                call(request_id)
                if i >= 20:
                    times[side].append(time.perf_counter() - start)
        out[name] = (statistics.median(times["raw"]), statistics.median(times["sdk"]))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=300)
    parser.add_argument("--record", action="store_true", help="append the results to benchmarks/RESULTS.md")
    parser.add_argument("--serve", nargs=2, metavar=("PORT", "STORE_URL"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(int(args.serve[0]), args.serve[1])
        return
    rows: list[tuple[str, str, float, float]] = []
    with Sandbox(settings=Settings(run_worker=False, **UNLIMITED)) as sandbox:  # type: ignore[arg-type]
        client = sandbox.client("toolbox")
        for flow, (raw, sdk) in measure(client, sandbox.http, args.rounds).items():
            rows.append(("in-process", flow, raw, sdk))
    with tcp_server() as base, httpx.Client() as http:
        config = local(base, TOOLBOX_CUSTOMER_ID, TOOLBOX_SECRET_KEY, TOOLBOX_API_KEY, name="toolbox")
        client = FlinksClient(config, http_client=http)
        for flow, (raw, sdk) in measure(client, http, args.rounds).items():
            rows.append(("tcp", flow, raw, sdk))
    table = [
        "| server | flow | raw httpx ms | SDK ms | SDK ÷ raw | overhead |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for server, flow, raw, sdk in rows:
        ratio = sdk / raw
        table.append(
            f"| {server} | {flow} | {raw * 1e3:.2f} | {sdk * 1e3:.2f} | {ratio:.3f} | {ratio - 1:+.1%} |"
        )
    print("\n".join(table))
    if args.record:
        command = shlex.join(["python", "benchmarks/sdk_overhead.py", *sys.argv[1:]])
        header = [
            "",
            f"## sdk_overhead — {datetime.now():%Y-%m-%d %H:%M}",
            "",
            f"- machine: {platform.system()} {platform.release()}, "
            f"{platform.processor() or platform.machine()}, Python {platform.python_version()}",
            f"- command: `.venv/bin/{command}` ({args.rounds} calls per side and flow, medians)",
            "",
        ]
        with RESULTS.open("a") as f:
            f.write("\n".join([*header, *table, ""]))


if __name__ == "__main__":
    main()
