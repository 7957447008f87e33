"""End to end over TCP: the SDK against a real ``finstance serve`` (toolbox, demo-ca, demo-us)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from finstance.client import (
    AsyncFlinks,
    Flinks,
    InstanceConfig,
    LoginStore,
    WrongInstanceLoginError,
    local_embedded,
)
from finstance.testing import connect, connect_async
from tests.instances.test_serving import start, stop, wait_until_up
from tests.test_cli import free_port


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[InstanceConfig]]:
    data_dir = tmp_path_factory.mktemp("served")
    port = free_port(3)
    proc = start(data_dir, port)
    try:
        for offset in range(3):
            wait_until_up(f"http://127.0.0.1:{port + offset}/openapi.json", proc)
        yield local_embedded(data_dir, port=port)
    finally:
        stop(proc)


def test_sync_two_country_flow_over_tcp(served: list[InstanceConfig], tmp_path: Path) -> None:
    logins = LoginStore(path=tmp_path / "logins.db")
    with Flinks(served, logins=logins, routes={"CA": "demo-ca"}) as flinks:
        url = flinks.connect_url("US", demo=True)
        assert url.startswith(f"{flinks.instance('demo-us').config.connect_base_url}/v2/?authorizeToken=")
        ids = {}
        for country in ("CA", "US"):
            session = connect(flinks.for_country(country))
            assert session.login is not None
            flinks.record_login(session.login.id, country, end_user_ref=f"user-{country}")
            ids[country] = session.login.id
        for country, currency in (("CA", "CAD"), ("US", "USD")):
            client = flinks.for_login(ids[country])
            detail = client.fetch_accounts_detail(ids[country], poll_interval=0.25)  # 3 s aggregation
            assert {a.currency for a in detail.accounts} == {currency} and len(detail.accounts) == 4
        with pytest.raises(WrongInstanceLoginError):
            flinks.for_country("US").fetch_accounts_detail(ids["CA"])
    logins.close()


async def test_async_flow_over_tcp_and_the_raw_answer_matches(served: list[InstanceConfig]) -> None:
    async with AsyncFlinks(served, routes={"CA": "toolbox"}) as flinks:
        client = flinks.for_country("CA")
        session = await connect_async(client)
        assert session.login is not None
        detail = await client.fetch_accounts_detail(session.login.id, poll_interval=0.25)
        raw = httpx.post(
            f"{client.config.banking_url}/GetAccountsDetail",
            json={"RequestId": detail.request_id},
            headers={"x-api-key": client.config.api_key},
        )
    assert raw.status_code == 200
    assert [a["Id"] for a in raw.json()["Accounts"]] == [a.id for a in detail.accounts]
