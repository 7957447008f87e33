"""Real servers and a real browser for the Connect tests.

``finstance serve`` runs as its own process (toolbox, demo-ca, demo-us on P, P+1, P+2), a host page of an
integrator is served from another port (another origin, as an iframe embed really is), and Debian's chromium
is driven with playwright. Screenshots of every screen go to ``test-artifacts/connect/``.

Without /usr/bin/chromium the browser tests are skipped with a reason, unless FINSTANCE_REQUIRE_BROWSER is
set (``.ci/run`` sets it, after installing chromium), in which case they fail.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.instances.test_serving import start, stop, wait_until_up
from tests.test_cli import free_port

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts" / "connect"
PHONE = {"width": 390, "height": 844}

HOST_PAGE = b"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Integrator</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{margin:0;font-family:sans-serif} iframe{width:100%;height:760px;border:0}</style></head>
<body><iframe id="flinks" title="Connect"></iframe>
<script>
window.events = [];
var frame = document.getElementById("flinks");
window.addEventListener("message", function (e) {
  if (e.source !== frame.contentWindow) { return; }
  window.events.push({origin: e.origin, data: e.data});
});
frame.src = new URLSearchParams(location.search).get("src");
</script></body></html>"""


@dataclass(frozen=True)
class Instance:
    name: str
    base: str  # API and Connect on one port in the embedded default
    customer_id: str
    secret_key: str
    api_key: str

    @property
    def api(self) -> str:
        return f"{self.base}/v3/{self.customer_id}/BankingServices"

    def token(self) -> str:
        r = httpx.post(f"{self.api}/GenerateAuthorizeToken", headers={"flinks-auth-key": self.secret_key})
        assert r.status_code == 200, r.text
        token: str = r.json()["Token"]
        return token

    def cached(self, login_id: str) -> httpx.Response:
        return httpx.post(
            f"{self.api}/Authorize",
            json={"LoginId": login_id, "MostRecentCached": True},
            headers={"flinks-auth-key": self.token()},
        )


@dataclass(frozen=True)
class Servers:
    ca: Instance
    us: Instance
    host: str  # the integrator's host page, another origin
    data_dir: Path  # the directory of instances this `finstance serve` serves


def _show(data_dir: Path, name: str) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, "-m", "finstance", "instances", "show", name, "--json", "--data-dir", str(data_dir)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    shown: dict[str, Any] = json.loads(out)
    return shown


class _HostPage(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("content-type", "text/html; charset=utf-8")
        self.end_headers()
        self.wfile.write(HOST_PAGE)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture(scope="session")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Servers]:
    data_dir = tmp_path_factory.mktemp("connect-serve")
    port = free_port()
    proc = start(data_dir, port)
    try:
        for offset in range(3):
            wait_until_up(f"http://127.0.0.1:{port + offset}/openapi.json", proc)
        instances = []
        for offset, name in ((1, "demo-ca"), (2, "demo-us")):
            shown = _show(data_dir, name)
            base = f"http://127.0.0.1:{port + offset}"
            instances.append(
                Instance(name, base, shown["customer_id"], shown["secret_key"], shown["api_key"])
            )
        host = ThreadingHTTPServer(("127.0.0.1", 0), _HostPage)
        thread = threading.Thread(target=host.serve_forever, daemon=True)
        thread.start()
        host_page = f"http://127.0.0.1:{host.server_address[1]}/host.html"
        yield Servers(instances[0], instances[1], host_page, data_dir)
        host.shutdown()
        host.server_close()
    finally:
        stop(proc)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Module-scoped: playwright's sync API runs an event loop of its own, which must be gone before any
    asyncio test of another module starts."""
    if not os.path.exists(CHROMIUM):
        if os.environ.get("FINSTANCE_REQUIRE_BROWSER"):
            pytest.fail(f"{CHROMIUM} is required (apt-get install chromium)")
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium); .ci/run installs it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    ARTIFACTS.mkdir(parents=True)
    return ARTIFACTS


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport=PHONE, device_scale_factor=1)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()
