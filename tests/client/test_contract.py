"""The contract over sync x async x every instance kind: the same calls, the same answers.

In-process instances (toolbox, demo-ca, demo-us) run complete flows; real Flinks hosts (toolbox,
{company}-ca, {company}-us) are checked on what is sent, through a recording transport.
"""

from __future__ import annotations

import json

import httpx
import pytest

from finstance.client import (
    AsyncFlinksClient,
    FlinksClient,
    InstanceConfig,
    MethodNotAvailableError,
    flinks_instance,
    flinks_toolbox,
)
from finstance.testing import Sandbox, connect, connect_async

INSTANCES = ["toolbox", "demo-ca", "demo-us"]
CURRENCY = {"toolbox": "CAD", "demo-ca": "CAD", "demo-us": "USD"}


@pytest.mark.parametrize("name", INSTANCES)
def test_sync_flow_connect_then_detail_and_statements(finstance_sandbox: Sandbox, name: str) -> None:
    client = finstance_sandbox.client(name)
    session = connect(client)
    assert session.http_status_code == 200 and session.login is not None
    detail = client.fetch_accounts_detail(session.login.id)
    assert len(detail.accounts) == 4 and {a.currency for a in detail.accounts} == {CURRENCY[name]}
    assert detail.login.id == session.login.id
    if name == "demo-us":  # statements are a Canadian product
        with pytest.raises(MethodNotAvailableError):
            client.fetch_statements(session.login.id)
        return
    statements = client.fetch_statements(session.login.id)
    assert statements.statements_by_account and statements.statements_by_account[0].statements


@pytest.mark.parametrize("name", INSTANCES)
async def test_async_flow_connect_then_detail_and_statements(finstance_sandbox: Sandbox, name: str) -> None:
    async with finstance_sandbox.async_http() as http:
        client = finstance_sandbox.async_client(name, http)
        session = await connect_async(client)
        assert session.http_status_code == 200 and session.login is not None
        detail = await client.fetch_accounts_detail(session.login.id, with_transactions=False)
        assert len(detail.accounts) == 4 and {a.currency for a in detail.accounts} == {CURRENCY[name]}
        assert all(a.transactions is None for a in detail.accounts)
        if name == "demo-us":
            with pytest.raises(MethodNotAvailableError):
                await client.fetch_statements(session.login.id)
            return
        statements = await client.fetch_statements(session.login.id)
        assert statements.statements_by_account and statements.statements_by_account[0].statements


CUSTOMER = "2f1b6c8e-0d7a-4c55-9e3b-8a1f2c3d4e5f"
REAL = {
    "toolbox": flinks_toolbox(),
    "acme-ca": flinks_instance("acme", "CA", CUSTOMER, "sk-ca", "ak-ca"),
    "acme-us": flinks_instance("acme", "US", CUSTOMER, "sk-us", "ak-us"),
}


def recording(sent: list[httpx.Request]) -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        if request.url.path.endswith("/GenerateAuthorizeToken"):
            return httpx.Response(200, json={"HttpStatusCode": 200, "Token": "tok-1"})
        return httpx.Response(
            200,
            json={"HttpStatusCode": 200, "Institution": "FlinksCapital", "RequestId": "r-1", "Extra": 1},
        )

    return httpx.MockTransport(handler)


def check_sent(config: InstanceConfig, sent: list[httpx.Request]) -> None:
    token, authorize = sent
    host = config.api_base_url.removeprefix("https://")
    banking = f"/v3/{config.customer_id}/BankingServices"
    assert (token.url.host, token.url.path) == (host, f"{banking}/GenerateAuthorizeToken")
    assert token.headers["flinks-auth-key"] == config.secret_key
    assert authorize.url.path == f"{banking}/Authorize" and authorize.headers["flinks-auth-key"] == "tok-1"
    assert json.loads(authorize.content) == {  # nothing the caller did not choose (no ScheduleRefresh reset)
        "LoginId": "3a9d2f4e-1111-4222-8333-444455556666",
        "MostRecentCached": True,
    }


@pytest.mark.parametrize("kind", list(REAL))
def test_sync_client_sends_flinks_hosts_paths_headers_and_bodies(kind: str) -> None:
    sent: list[httpx.Request] = []
    with httpx.Client(transport=recording(sent)) as http:
        answer = FlinksClient(REAL[kind], http_client=http).authorize(
            login_id="3a9d2f4e-1111-4222-8333-444455556666"
        )
    assert answer.request_id == "r-1" and answer.model_extra == {"Extra": 1}  # unknown fields are kept
    check_sent(REAL[kind], sent)


@pytest.mark.parametrize("kind", list(REAL))
async def test_async_client_sends_flinks_hosts_paths_headers_and_bodies(kind: str) -> None:
    sent: list[httpx.Request] = []
    async with httpx.AsyncClient(transport=recording(sent)) as http:
        answer = await AsyncFlinksClient(REAL[kind], http_client=http).authorize(
            login_id="3a9d2f4e-1111-4222-8333-444455556666"
        )
    assert answer.request_id == "r-1"
    check_sent(REAL[kind], sent)
