"""Polling 202 answers: the Flinks timing, zero sleep under the sandbox, cancellation."""

from __future__ import annotations

import threading

import anyio
import pytest

from finstance.client import OperationPendingTimeout, PollingCancelled
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
