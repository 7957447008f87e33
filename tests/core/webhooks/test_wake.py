"""A committed event wakes the instance's workers: the webhook leaves at once, not at the next poll.

The workers here poll every 60 s, so an event that arrives within a few seconds can only have been sent by a
worker that was woken: in the same process by the commit, in another process (another store and context of
the same database) by PostgreSQL's NOTIFY.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace

import pytest
from sqlalchemy import text

from finstance.app import products_of
from finstance.core import webhooks
from finstance.core.clock import SystemClock
from finstance.core.context import InstanceContext
from finstance.core.instance import Settings, toolbox_spec
from finstance.core.store import Store
from finstance.core.wake import CHANNEL, Listener, Wake
from finstance.core.worker import Worker
from tests.conftest import PG_URL, PostgresDatabases
from tests.core.webhooks.receiver import Receiver

SLOW_POLL = Settings(worker_poll_seconds=60.0)
SOON = 10.0  # seconds; far below the poll, far above a delivery


def context(store_url: str, migrate: bool = True) -> InstanceContext:
    store = Store(store_url)
    if migrate:
        store.migrate()
    spec = replace(toolbox_spec(store_url), webhook_secret="wake-test-secret")
    return InstanceContext(spec, store, SystemClock(), SLOW_POLL, products=products_of(spec))


@contextmanager
def running(ctx: InstanceContext) -> Iterator[Worker]:
    worker = Worker(ctx)
    worker.start()
    try:
        yield worker
    finally:
        worker.stop()
        ctx.store.dispose()


def asleep(worker: Worker) -> None:
    """Wait until the worker's first pass is over: from now on only a wake or its poll starts another."""
    deadline = time.monotonic() + SOON
    while worker.passes < 1:
        assert time.monotonic() < deadline, "the worker made no pass"
        time.sleep(0.01)


def received_within(receiver: Receiver, count: int, seconds: float) -> float | None:
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        if len(receiver.requests) >= count:
            return time.monotonic() - start
        time.sleep(0.01)
    return None


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver().start()
    yield r
    r.stop()


def test_an_event_committed_in_the_process_wakes_its_worker(store_url: str, receiver: Receiver) -> None:
    ctx = context(store_url)
    webhooks.add_endpoint(ctx, receiver.url)
    with running(ctx) as worker:
        asleep(worker)  # it now sleeps for its 60 s poll
        webhooks.test_event(ctx)
        assert received_within(receiver, 1, SOON) is not None
        webhooks.test_event(ctx)
        assert received_within(receiver, 2, SOON) is not None


def test_a_rolled_back_event_wakes_nobody(sqlite_store_url: str, receiver: Receiver) -> None:
    ctx = context(sqlite_store_url)
    webhooks.add_endpoint(ctx, receiver.url)
    with pytest.raises(RuntimeError), ctx.store.write() as db:  # noqa: PT012 (the rollback is the point)
        webhooks.emit(ctx, db, webhooks.TEST, {"Message": "never"})
        raise RuntimeError
    assert not ctx.wake.wait(0.1)
    with ctx.store.write() as db:
        webhooks.emit(ctx, db, webhooks.TEST, {"Message": "kept"})
    assert ctx.wake.wait(0.1)
    ctx.store.dispose()


def test_without_a_wake_the_worker_waits_for_its_poll(sqlite_store_url: str, receiver: Receiver) -> None:
    """The other half of the proof: an event the worker is not told about waits for the poll."""
    worker_ctx = context(sqlite_store_url)
    other = context(sqlite_store_url, migrate=False)  # another process on the same SQLite file: no wake
    webhooks.add_endpoint(worker_ctx, receiver.url)
    with running(worker_ctx) as worker:
        asleep(worker)
        webhooks.test_event(other)
        assert received_within(receiver, 1, 2.0) is None
    other.store.dispose()


@pytest.fixture
def pg_url(postgres: PostgresDatabases | None) -> Iterator[str]:
    assert postgres is not None
    name = postgres.create()
    yield postgres.url(name)
    postgres.drop(name)


@pytest.mark.postgres
@pytest.mark.skipif(not PG_URL, reason="needs FINSTANCE_TEST_POSTGRES_URL")
def test_an_event_committed_by_another_process_wakes_the_worker_through_notify(
    pg_url: str, receiver: Receiver
) -> None:
    worker_ctx = context(pg_url)
    api_ctx = context(pg_url, migrate=False)  # its own store and wake, as another process has
    webhooks.add_endpoint(worker_ctx, receiver.url)
    with running(worker_ctx) as worker:
        asleep(worker)
        webhooks.test_event(api_ctx)
        assert received_within(receiver, 1, SOON) is not None
        webhooks.test_event(api_ctx)
        assert received_within(receiver, 2, SOON) is not None
    api_ctx.store.dispose()


@pytest.mark.postgres
@pytest.mark.skipif(not PG_URL, reason="needs FINSTANCE_TEST_POSTGRES_URL")
def test_the_listener_sets_the_wake_on_a_notification_and_reconnects(pg_url: str) -> None:
    wake = Wake()
    listener = Listener(pg_url, wake, "test")
    listener.start()
    try:
        assert listener.listening.wait(SOON)
        assert wake.wait(SOON)  # set once on connecting: what was committed before is due
        wake.clear()
        store = Store(pg_url)
        with store.write() as db:
            db.execute(text(f"NOTIFY {CHANNEL}"))
        assert wake.wait(SOON)
        # Its connection is killed: it connects again and listens on.
        wake.clear()
        with store.write() as db:
            db.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            )
        store.dispose()
        assert wake.wait(SOON)  # the reconnection sets it
        store = Store(pg_url)
        wake.clear()
        with store.write() as db:
            db.execute(text(f"NOTIFY {CHANNEL}"))
        assert wake.wait(SOON)
        store.dispose()
    finally:
        listener.stop()
    assert not listener.listening.is_set()
