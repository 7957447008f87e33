"""Polling 202 answers: the Flinks timing, a local server's shorter interval, zero sleep under the sandbox,
cancellation."""

from __future__ import annotations

import threading

import anyio
import httpx
import pytest

from finstance.client import (
    AsyncFlinksClient,
    FlinksClient,
    InstanceConfig,
    OperationPendingTimeout,
    PollingCancelled,
    flinks_instance,
    flinks_toolbox,
    local,
    local_region,
)
from finstance.core.clock import ManualClock
from finstance.testing import Sandbox, connect, connect_async


def test_the_sandbox_client_polls_every_10_s_of_instance_time(finstance_sandbox: Sandbox) -> None:
    client = finstance_sandbox.client("demo-ca")
    session = connect(client, "test_pending")  # answers 202 for 60 s
    assert session.login is not None
    before = finstance_sandbox.now()
    detail = client.fetch_accounts_detail(session.login.id)
    waited = finstance_sandbox.now() - before
    assert detail.login.id == session.login.id and 60 <= waited <= 80 and waited % 10 == 0


def test_statements_follow_202_too(finstance_sandbox: Sandbox) -> None:
    client = finstance_sandbox.client("toolbox")
    session = connect(client, "test_pending")
    assert session.login is not None
    statements = client.fetch_statements(session.login.id, number_of_statements="Months3")
    assert statements.statements_by_account


def test_the_default_limit_is_30_minutes(finstance_sandbox: Sandbox) -> None:
    client = finstance_sandbox.client("demo-ca")
    session = connect(client, "test_pending")
    assert session.login is not None
    slept: list[float] = []
    with pytest.raises(OperationPendingTimeout):
        client.fetch_accounts_detail(session.login.id, sleep=slept.append)  # time never moves
    assert sum(slept) == 1800 and set(slept) == {10}


def test_sync_polling_stops_when_its_cancel_event_is_set(finstance_sandbox: Sandbox) -> None:
    client = finstance_sandbox.client("demo-ca")
    session = connect(client, "test_pending")
    assert session.login is not None
    cancel = threading.Event()
    timer = threading.Timer(0.05, cancel.set)
    timer.start()
    with pytest.raises(PollingCancelled) as cancelled:
        client.fetch_accounts_detail(session.login.id, cancel=cancel)  # waits on the event, not a sleep
    timer.cancel()
    assert cancelled.value.instance == "demo-ca" and cancelled.value.request_id


async def test_async_polling_stops_when_its_cancel_event_is_set(finstance_sandbox: Sandbox) -> None:
    async with finstance_sandbox.async_http() as http:
        client = finstance_sandbox.async_client("demo-us", http)
        session = await connect_async(client, "test_pending")
        assert session.login is not None
        cancel = anyio.Event()
        async with anyio.create_task_group() as tg:
            tg.start_soon(_set_soon, cancel)
            with pytest.raises(PollingCancelled) as cancelled:
                await client.fetch_accounts_detail(session.login.id, cancel=cancel)
        assert cancelled.value.instance == "demo-us"


async def _set_soon(event: anyio.Event) -> None:
    await anyio.sleep(0.05)
    event.set()


async def test_async_polling_is_cancelled_with_its_task(finstance_sandbox: Sandbox) -> None:
    async with finstance_sandbox.async_http() as http:
        client = finstance_sandbox.async_client("demo-ca", http)
        session = await connect_async(client, "test_pending")
        assert session.login is not None
        with anyio.move_on_after(0.05) as scope:
            await client.fetch_accounts_detail(session.login.id, sleep=anyio.sleep, poll_interval=10)
    assert scope.cancelled_caught


# -- the interval of each preset --------------------------------------------------------------------

CUSTOMER = "2f1b6c8e-0d7a-4c55-9e3b-8a1f2c3d4e5f"
PENDING = {"HttpStatusCode": 202, "FlinksCode": "OPERATION_PENDING", "Message": "pending", "RequestId": "r"}


def always_pending(sent: list[httpx.Request]) -> httpx.MockTransport:
    """A server whose aggregation never ends: tokens, cached sessions, then 202 on every data call."""

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        if request.url.path.endswith("/GenerateAuthorizeToken"):
            return httpx.Response(200, json={"HttpStatusCode": 200, "Token": "t"})
        if request.url.path.endswith("/Authorize"):
            answer = {"HttpStatusCode": 200, "Institution": "FlinksCapital", "RequestId": "r"}
            return httpx.Response(200, json=answer)
        return httpx.Response(202, json=PENDING)

    return httpx.MockTransport(handler)


@pytest.mark.parametrize(
    ("config", "interval"),
    [
        (flinks_toolbox(), 10),
        (flinks_instance("acme", "US", CUSTOMER, "s", "a"), 10),
        (local("http://127.0.0.1:8000", CUSTOMER, "s", "a"), 1),
        (local("http://acme-ca-api.localhost:9000", CUSTOMER, "s", "a"), 1),
        (local_region("acme", "CA", CUSTOMER, "s", "a", port=9000), 1),
        (local("http://127.0.0.1:8000", CUSTOMER, "s", "a", poll_interval=2.5), 2.5),
    ],
    ids=["toolbox", "flinks", "local", "local-localhost", "local-region", "local-2.5"],
)
def test_each_preset_polls_at_its_own_interval(config: InstanceConfig, interval: float) -> None:
    assert config.poll_interval == interval
    sent: list[httpx.Request] = []
    slept: list[float] = []
    with FlinksClient(
        config, http_client=httpx.Client(transport=always_pending(sent)), sleep=slept.append
    ) as c:
        with pytest.raises(OperationPendingTimeout):
            c.fetch_accounts_detail("login", timeout=30)  # the client's own sleep
        assert slept == [interval] * round(30 / interval)
        polls = [r for r in sent if r.url.path.endswith("/GetAccountsDetailAsync/r")]
        assert len(polls) == len(slept)  # a poll after each wait
        slept.clear()
        with pytest.raises(OperationPendingTimeout):
            c.fetch_statements("login", timeout=30, poll_interval=6)  # the call's interval wins
        assert slept == [6] * 5


def test_a_local_client_polls_the_in_process_app_every_second(
    sync_toolbox_client: FlinksClient, clock: ManualClock
) -> None:
    client = sync_toolbox_client  # built with the local(...) preset
    session = connect(client, "test_pending")  # answers 202 for 60 s
    assert session.login is not None
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        clock.advance(seconds)

    detail = client.fetch_accounts_detail(session.login.id, sleep=sleep)
    assert detail.login.id == session.login.id
    assert set(slept) == {1.0} and 60 <= sum(slept) <= 61


async def test_a_local_async_client_polls_every_second(
    toolbox_client: AsyncFlinksClient, clock: ManualClock
) -> None:
    session = await connect_async(toolbox_client, "test_pending")
    assert session.login is not None
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)
        clock.advance(seconds)

    statements = await toolbox_client.fetch_statements(session.login.id, sleep=sleep)
    assert statements.statements_by_account
    assert set(slept) == {1.0} and 60 <= sum(slept) <= 61
