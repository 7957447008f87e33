"""The SDK against a real ``finstance serve --region CA``: one port, instances told apart by the Host header,
hosts (``acme-ca-api.localhost``) that Python's resolver need not know."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

from finstance.client import AsyncFlinks, Flinks, FlinksClient, local, local_region
from finstance.testing import answers_for, connect
from tests.instances.test_serving import create, start, stop, wait_until_up
from tests.test_cli import free_port


@pytest.fixture(scope="module")
def region(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[dict[str, Any], dict[str, Any], int]]:
    data_dir = tmp_path_factory.mktemp("region")
    acme, beta = create(data_dir, "acme", "CA"), create(data_dir, "beta", "CA")
    port = free_port(1)
    proc = start(data_dir, port, "--region", "CA")
    try:
        wait_until_up(f"http://127.0.0.1:{port}/", proc, host=acme["api_host"])
        yield acme, beta, port
    finally:
        stop(proc)


def test_local_reaches_the_printed_localhost_urls(region: tuple[dict[str, Any], dict[str, Any], int]) -> None:
    acme, _, port = region
    # The URLs `finstance serve --region CA --port PORT` prints for acme-ca, as they are.
    config = local(
        f"http://acme-ca-api.localhost:{port}",
        acme["customer_id"],
        acme["secret_key"],
        acme["api_key"],
        name="acme-ca",
        connect_base_url=f"http://acme-ca-iframe.localhost:{port}",
    )
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        time.sleep(seconds)

    with FlinksClient(config, sleep=sleep) as client:
        url = client.connect_url(demo=True)
        assert url.startswith(f"http://acme-ca-iframe.localhost:{port}/v2/?authorizeToken=")
        session = connect(client)  # Greatday, one security question
        assert session.login is not None
        started = time.monotonic()
        detail = client.fetch_accounts_detail(session.login.id)  # 3 s aggregation, polled every second
        elapsed = time.monotonic() - started
    assert {a.currency for a in detail.accounts} == {"CAD"} and len(detail.accounts) == 4
    assert slept and set(slept) == {1.0} and elapsed < 8


async def test_local_region_routes_two_companies_of_one_region(
    region: tuple[dict[str, Any], dict[str, Any], int],
) -> None:
    acme, beta, port = region
    configs = [
        local_region(company, "CA", keys["customer_id"], keys["secret_key"], keys["api_key"], port=port)
        for company, keys in (("acme", acme), ("beta", beta))
    ]
    async with AsyncFlinks(configs, routes={"CA": "beta-ca"}) as flinks:
        for name in ("acme-ca", "beta-ca"):
            client = flinks.instance(name)
            challenge = await client.authorize(
                institution="FlinksCapital", username="Greatday", password="Everyday"
            )
            assert challenge.http_status_code == 203
            session = await client.answer_mfa(challenge, answers_for(challenge, "CA"))  # its own token
            assert session.login is not None and session.http_status_code == 200
            detail = await client.fetch_accounts_detail(session.login.id)
            assert detail.login.id == session.login.id and len(detail.accounts) == 4
            url = await flinks.connect_url("CA")
            assert url.startswith(f"http://beta-ca-iframe.localhost:{port}/v2/?authorizeToken=")


def test_the_sync_router_over_a_region(region: tuple[dict[str, Any], dict[str, Any], int]) -> None:
    acme, _, port = region
    config = local_region("acme", "CA", acme["customer_id"], acme["secret_key"], acme["api_key"], port=port)
    with Flinks([config]) as flinks:
        client = flinks.for_country("CA")
        session = connect(client, "greatday_nomfa")
        assert session.login is not None
        assert flinks.for_login(session.login.id) is client  # the loginId carries acme-ca's tag
        summary = client.fetch_accounts_detail(session.login.id, with_transactions=False)
        assert all(a.transactions is None for a in summary.accounts)
