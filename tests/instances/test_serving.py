"""Serving instances: Host routing, the residency preflight, a region and one instance with N workers."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import os
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner

from finstance.cli import app
from finstance.core.country import Country
from finstance.core.store import Store
from finstance.core.store.stamp import ResidencyViolation, ensure_stamp
from finstance.instances import serving
from finstance.instances.directory import Directory, Entry
from tests.test_cli import free_port

NOMFA = {"Institution": "FlinksCapital", "Username": "greatday_nomfa", "Password": "Everyday"}


def create(data_dir: Path, company: str, country: str) -> dict[str, Any]:
    """What `finstance instances create --json` does, in-process (a subprocess costs seconds)."""
    entry, keys = Directory(data_dir).create(company, Country.parse(country), sandbox=True)
    serving.preflight([entry])
    return dataclasses.asdict(keys) | {"api_host": entry.api_host, "iframe_host": entry.iframe_host}


def acme(tmp_path: Path) -> tuple[Directory, Entry, Entry]:
    directory = Directory(tmp_path)
    ca, _ = directory.create("acme", Country.CA)
    us, _ = directory.create("acme", Country.US)
    return directory, ca, us


@contextlib.asynccontextmanager
async def lifespan(app: Any) -> AsyncIterator[None]:
    """Drive an ASGI app's lifespan protocol as a server does (httpx's ASGITransport does not)."""
    inbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    outbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    task = asyncio.create_task(app({"type": "lifespan", "asgi": {"version": "3.0"}}, inbox.get, outbox.put))
    await inbox.put({"type": "lifespan.startup"})
    started = await asyncio.wait_for(outbox.get(), 30)
    assert started["type"] == "lifespan.startup.complete", started
    try:
        yield
    finally:
        await inbox.put({"type": "lifespan.shutdown"})
        assert (await asyncio.wait_for(outbox.get(), 30))["type"] == "lifespan.shutdown.complete"
        await task


# -- Host routing -----------------------------------------------------------------------------------


async def test_host_router_sends_api_and_iframe_hosts_to_their_instance_and_others_to_a_flinks_404(
    tmp_path: Path,
) -> None:
    directory, ca, _ = acme(tmp_path)
    beta, _ = directory.create("beta", Country.CA)
    serving.preflight([ca, beta], Country.CA)
    router = serving.region_router(directory, [ca, beta])
    assert set(router.routes) == {ca.api_host, ca.iframe_host, beta.api_host, beta.iframe_host}
    assert len(router.apps) == 2
    async with (
        lifespan(router),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=router), base_url="http://x") as http,
    ):
        for entry in (ca, beta):
            for host in (entry.api_host, entry.iframe_host.upper(), f"{entry.api_host}:8443"):
                response = await http.get("/", headers={"host": host})
                assert response.status_code == 200, (host, response.text)
                assert response.json()["Instance"] == entry.name
                assert response.json()["CustomerId"] == entry.customer_id
        for host in ("acme-us-api.localhost", "localhost", "127.0.0.1", "acme-ca-api.localhost.evil"):
            response = await http.get("/", headers={"host": host})
            assert response.status_code == 404
            assert response.headers["content-type"].startswith("application/json")
            assert response.json() == {
                "HttpStatusCode": 404,
                "FlinksCode": "NOT_FOUND",
                "Message": "No instance is served at this host.",
            }
        wrong = await http.post(
            f"/v3/{ca.customer_id}/BankingServices/GenerateAuthorizeToken", headers={"host": beta.api_host}
        )
        assert wrong.status_code != 200  # acme-ca's customerId means nothing to beta-ca
        # Each Connect host serves its own instance's pages, which demand that instance's token.
        for entry in (ca, beta):
            page = await http.get("/v2/?demo=true", headers={"host": entry.iframe_host})
            assert page.status_code == 401 and page.headers["content-type"].startswith("text/html")
            assert '"step":"TOKEN_INVALID"' in page.text  # production instances need an authorize token


async def test_the_apps_of_a_region_share_product_routes_and_each_answers_as_its_own_instance(
    tmp_path: Path,
) -> None:
    """A product's routes are built once for every app of the process; what they answer is still each
    request's own instance: its keys, its store."""
    directory = Directory(tmp_path)
    (ca, ca_keys), (beta, beta_keys) = (
        directory.create("acme", Country.CA),
        directory.create("beta", Country.CA),
    )
    serving.preflight([ca, beta], Country.CA)
    router = serving.region_router(directory, [ca, beta])
    first, second = router.apps
    shared = [route for route in first.router.routes if route in second.router.routes]
    assert len(shared) >= 5  # a router of each product at least
    async with (
        lifespan(router),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=router), base_url="http://x") as http,
    ):
        for entry, keys, other in ((ca, ca_keys, beta_keys), (beta, beta_keys, ca_keys)):
            path = f"/v3/{entry.customer_id}/BankingServices/GenerateAuthorizeToken"
            mine = await http.post(path, headers={"host": entry.api_host, "flinks-auth-key": keys.secret_key})
            assert mine.status_code == 200, mine.text
            theirs = await http.post(
                path, headers={"host": entry.api_host, "flinks-auth-key": other.secret_key}
            )
            assert theirs.status_code == 401, theirs.text
            app = router.routes[entry.api_host]
            assert app.state.ctx.spec.name == entry.name


# -- preflight --------------------------------------------------------------------------------------


def test_preflight_stamps_each_store_for_its_own_instance(tmp_path: Path) -> None:
    _, ca, us = acme(tmp_path)
    serving.preflight([ca, us])
    serving.preflight([ca, us])  # idempotent
    store = Store(ca.store_url)
    try:
        with pytest.raises(ResidencyViolation, match="belongs to instance 'acme-ca'"):
            ensure_stamp(store, us.spec(), datetime.now(UTC))
    finally:
        store.dispose()


def test_preflight_refuses_an_instance_of_another_country_in_a_region(tmp_path: Path) -> None:
    _, ca, us = acme(tmp_path)
    with pytest.raises(serving.ServeError, match="'acme-us' is in US; this region serves CA only"):
        serving.preflight([ca, us], Country.CA)
    assert not Path(ca.store_url.removeprefix("sqlite:///")).exists()  # refused before opening anything


def test_preflight_refuses_two_instances_configured_with_the_same_store(tmp_path: Path) -> None:
    _, ca, us = acme(tmp_path)
    shared = dataclasses.replace(us, store_url=ca.store_url)
    with pytest.raises(
        serving.ServeError, match="'acme-ca' and 'acme-us' are configured with the same store"
    ):
        serving.preflight([ca, shared])


def test_preflight_refuses_a_store_stamped_for_another_instance(tmp_path: Path) -> None:
    _, ca, us = acme(tmp_path)
    serving.preflight([ca, us])
    pointed = dataclasses.replace(us, store_url=ca.store_url)
    with pytest.raises(
        serving.ServeError, match=r"belongs to instance 'acme-ca' \(CA\); refusing .*'acme-us'"
    ):
        serving.preflight([pointed])


async def test_an_app_pointed_at_another_instances_store_does_not_start(tmp_path: Path) -> None:
    directory, ca, us = acme(tmp_path)
    serving.preflight([ca])
    app = serving.instance_app(directory, dataclasses.replace(us, store_url=ca.store_url))
    with pytest.raises(ResidencyViolation):
        async with app.router.lifespan_context(app):
            pass


# -- real processes ---------------------------------------------------------------------------------


def start(data_dir: Path, port: int, *extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "finstance",
            "serve",
            "--port",
            str(port),
            "--data-dir",
            str(data_dir),
            *extra,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=dict(os.environ, PYTHONUNBUFFERED="1"),
    )


def wait_until_up(url: str, proc: subprocess.Popen[str], host: str | None = None) -> None:
    deadline = time.monotonic() + 30
    headers = {"host": host} if host else {}
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.communicate()[0]
        try:
            if httpx.get(url, headers=headers, timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.1)
    pytest.fail("server did not start")


def stop(proc: subprocess.Popen[str]) -> str:
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
    try:
        output, _ = proc.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        output, _ = proc.communicate()
    return output


def test_serve_region_ca_routes_by_host_and_gives_other_hosts_a_404(tmp_path: Path) -> None:
    ca, us = create(tmp_path, "acme", "CA"), create(tmp_path, "acme", "US")
    port = free_port(1)
    base = f"http://127.0.0.1:{port}"
    proc = start(tmp_path, port, "--region", "CA")
    try:
        wait_until_up(base + "/", proc, host="acme-ca-api.localhost")
        with httpx.Client(base_url=base, timeout=10) as http:
            root = http.get("/", headers={"host": "acme-ca-api.localhost"})
            assert root.json()["Instance"] == "acme-ca" and root.json()["Country"] == "CA"
            api = f"/v3/{ca['customer_id']}/BankingServices"
            auth = {"host": "acme-ca-api.localhost", "flinks-auth-key": ca["secret_key"]}
            token = http.post(f"{api}/GenerateAuthorizeToken", headers=auth)
            assert token.status_code == 200, token.text
            iframe = http.get("/", headers={"host": "acme-ca-iframe.localhost"})
            assert iframe.json()["Instance"] == "acme-ca"
            for host in ("acme-us-api.localhost", "acme-us-iframe.localhost", f"127.0.0.1:{port}"):
                response = http.get("/", headers={"host": host})
                assert response.status_code == 404
                assert response.json()["FlinksCode"] == "NOT_FOUND"
            us_api = f"/v3/{us['customer_id']}/BankingServices/GenerateAuthorizeToken"
            refused = http.post(us_api, headers={"host": "acme-us-api.localhost",
                                                 "flinks-auth-key": us["secret_key"]})  # fmt: skip
            assert refused.status_code == 404
    finally:
        output = stop(proc)
    assert proc.returncode == 0, output
    assert "acme-ca" in output and "acme-us" not in output
    assert "Traceback" not in output


@pytest.fixture
def never_serve(monkeypatch: pytest.MonkeyPatch) -> None:
    """`serve` run in-process must be refused before it listens: fail instead of serving forever."""

    def refuse(*_: object, **__: object) -> None:
        pytest.fail("serve started serving instead of refusing")

    monkeypatch.setattr(serving, "run_group", refuse)
    monkeypatch.setattr(serving, "run_workers", refuse)


@pytest.mark.usefixtures("never_serve")
@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        (("--region", "CA", "--instance", "acme-us"), "'acme-us' is in US; this region serves CA only"),
        (("--region", "ca", "--instance", "acme-us", "--workers", "2"), "this region serves CA only"),
        (("--region", "CA"), "no CA instance"),
        (("--instance", "nope-ca"), "no instance named 'nope-ca'"),
    ],
)
def test_serve_refuses_what_the_region_does_not_serve_with_a_message(
    tmp_path: Path, extra: tuple[str, ...], expected: str
) -> None:
    Directory(tmp_path).create("acme", Country.US)
    result = CliRunner().invoke(app, ["serve", "--data-dir", str(tmp_path), *extra])
    assert result.exit_code == 1, result.output
    assert expected in result.stderr
    assert "Traceback" not in result.output and not isinstance(result.exception, Exception)


@pytest.mark.usefixtures("never_serve")
def test_serve_refuses_an_instance_whose_store_is_stamped_for_another(tmp_path: Path) -> None:
    _, ca, us = acme(tmp_path)
    serving.preflight([ca, us])
    Path(us.store_url.removeprefix("sqlite:///")).unlink()
    Path(ca.store_url.removeprefix("sqlite:///")).rename(us.store_url.removeprefix("sqlite:///"))
    result = CliRunner().invoke(app, ["serve", "--data-dir", str(tmp_path), "--instance", "acme-us"])
    assert result.exit_code == 1, result.output
    assert "belongs to instance 'acme-ca' (CA); refusing to serve 'acme-us' (US)" in result.stderr


@pytest.mark.slow
def test_serve_one_instance_with_two_workers_runs_a_flow_over_tcp_and_stops_on_ctrl_c(tmp_path: Path) -> None:
    keys = create(tmp_path, "acme", "CA")
    create(tmp_path, "acme", "US")
    port = free_port(1)
    base = f"http://127.0.0.1:{port}"
    proc = start(tmp_path, port, "--instance", "acme-ca", "--workers", "2")
    try:
        wait_until_up(base + "/", proc)
        api = f"{base}/v3/{keys['customer_id']}/BankingServices"
        with httpx.Client(timeout=10) as http:
            token = http.post(
                f"{api}/GenerateAuthorizeToken", headers={"flinks-auth-key": keys["secret_key"]}
            )
            assert token.status_code == 200, token.text
            done = http.post(
                f"{api}/Authorize", json=NOMFA, headers={"flinks-auth-key": token.json()["Token"]}
            )
            assert done.status_code == 200, done.text
            request_id, login_id = done.json()["RequestId"], done.json()["Login"]["Id"]
            data_keys = {"x-api-key": keys["api_key"]}
            first = http.post(f"{api}/GetAccountsDetail", json={"RequestId": request_id}, headers=data_keys)
            assert first.status_code == 202, first.text
            deadline = time.monotonic() + 30
            while True:  # each request may land on either worker process
                polled = http.get(f"{api}/GetAccountsDetailAsync/{request_id}", headers=data_keys)
                if polled.status_code != 202 or time.monotonic() > deadline:
                    break
                time.sleep(0.3)
            assert polled.status_code == 200, polled.text
            assert polled.json()["Login"]["Id"] == login_id and polled.json()["Accounts"]
            other = http.post(
                f"{api}/GenerateAuthorizeToken", headers={"flinks-auth-key": "not-" + keys["secret_key"]}
            )
            assert other.status_code == 401
    finally:
        output = stop(proc)
    assert proc.returncode == 0, output
    assert "2 processes sharing the store of acme-ca" in output
    assert output.count("Application startup complete.") == 2
    assert "Stopping parent process" in output
    assert "Traceback" not in output
    assert keys["secret_key"] not in output and keys["api_key"] not in output
    assert "acme-us" not in output


@pytest.mark.usefixtures("never_serve")
def test_serve_workers_needs_an_instance(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["serve", "--workers", "2", "--data-dir", str(tmp_path)])
    assert result.exit_code == 2 and "--workers needs --instance" in result.output


GROUP_SCRIPT = """
import asyncio, sys
from contextlib import asynccontextmanager
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from finstance.instances.serving import Listener, run_group

async def slow(request):
    await asyncio.sleep(1.5)
    return PlainTextResponse("finished")

def app(name):
    @asynccontextmanager
    async def lifespan(_):
        yield
        await asyncio.sleep(0.2)  # e.g. a worker thread finishing its batch
        print("down", name, flush=True)
    return Starlette(routes=[Route("/slow", slow)], lifespan=lifespan)

ports = [int(p) for p in sys.argv[1:]]
print("started", run_group([Listener(app(f"s{i}"), "127.0.0.1", p) for i, p in enumerate(ports)]), flush=True)
"""


def test_ctrl_c_lets_in_flight_requests_and_every_lifespan_of_a_group_finish(tmp_path: Path) -> None:
    """One server of the group is idle and stops at once; the other still answers a request: it must
    finish it and shut its lifespan down, not be forced out because its neighbour was quicker."""
    port = free_port()
    ports = [str(port + i) for i in range(3)]
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    proc = subprocess.Popen(
        [sys.executable, "-c", GROUP_SCRIPT, *ports],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                if all(httpx.get(f"http://127.0.0.1:{p}/", timeout=1).status_code == 404 for p in ports):
                    break
            except httpx.TransportError:
                time.sleep(0.05)

        async def slow_request_then_ctrl_c() -> httpx.Response:
            async with httpx.AsyncClient(timeout=10) as http:
                request = asyncio.create_task(http.get(f"http://127.0.0.1:{ports[1]}/slow"))
                await asyncio.sleep(0.5)  # the request is in flight
                proc.send_signal(signal.SIGINT)
                return await request

        answer = asyncio.run(slow_request_then_ctrl_c())
        output, _ = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert answer.status_code == 200 and answer.text == "finished"
    assert proc.returncode == 0, output
    assert "Traceback" not in output
    for name in ("s0", "s1", "s2"):
        assert f"down {name}" in output, output
    assert "started True" in output
