"""A committed event wakes the instance's workers: the webhook leaves at once, not at the next poll.

The workers here poll every 60 s, so an event that arrives within a few seconds can only have been sent by a
worker that was woken: in the same process by the commit, in another process by PostgreSQL's NOTIFY or by a
byte in the SQLite store's wake pipe.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import text

from finstance.app import products_of
from finstance.core import webhooks
from finstance.core.clock import SystemClock
from finstance.core.context import InstanceContext
from finstance.core.instance import Settings, toolbox_spec
from finstance.core.store import Store
from finstance.core.wake import CHANNEL, Listener, PipeListener, Wake, pipe_path, poke
from finstance.core.worker import Worker
from tests.conftest import PG_URL, PostgresDatabases
from tests.core.webhooks.receiver import Receiver

ROOT = Path(__file__).resolve().parents[3]
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


def commit_in_another_process(store_url: str) -> None:
    """A ``Test`` event committed by a separate Python process on the same store, as an API process would."""
    code = (
        "import sys; from finstance.core import webhooks; from tests.core.webhooks.test_wake import context; "
        "ctx = context(sys.argv[1], migrate=False); webhooks.test_event(ctx); ctx.store.dispose()"
    )
    subprocess.run([sys.executable, "-c", code, store_url], cwd=ROOT, check=True, timeout=60)


@contextmanager
def asleep_on_sqlite(store_url: str, receiver: Receiver) -> Iterator[Path]:
    """A worker of a SQLite store, past its first pass and asleep for its 60 s poll; yields its wake pipe."""
    ctx = context(store_url)
    webhooks.add_endpoint(ctx, receiver.url)
    pipe = pipe_path(store_url)
    assert pipe is not None
    with running(ctx) as worker:
        asleep(worker)
        yield pipe


def test_an_event_committed_by_another_process_wakes_the_worker_through_its_pipe(
    sqlite_store_url: str, receiver: Receiver
) -> None:
    with asleep_on_sqlite(sqlite_store_url, receiver) as pipe:
        assert pipe.is_fifo()
        commit_in_another_process(sqlite_store_url)
        assert received_within(receiver, 1, SOON) is not None
        commit_in_another_process(sqlite_store_url)
        assert received_within(receiver, 2, SOON) is not None


def test_without_its_pipe_the_worker_waits_for_its_poll(sqlite_store_url: str, receiver: Receiver) -> None:
    """The other half of the proof: an event the worker is not told about waits for the poll."""
    with asleep_on_sqlite(sqlite_store_url, receiver) as pipe:
        pipe.unlink()  # the worker still holds it open, but nobody else can reach it
        commit_in_another_process(sqlite_store_url)
        assert received_within(receiver, 1, 2.0) is None


def open_descriptors() -> int:
    return len(os.listdir("/proc/self/fd"))  # Linux: the descriptors this process holds


def test_a_poke_sets_the_listeners_wake_and_stop_ends_its_thread(tmp_path: Path) -> None:
    pipe = tmp_path / "instance.db-wake"
    wake = Wake()
    before = open_descriptors()
    listener = PipeListener(pipe, wake, "test")
    listener.start()
    assert listener.listening.wait(SOON) and listener.settled.is_set()
    assert open_descriptors() - before == 2  # the pipe and the stop signal: a region holds one per instance
    assert not wake.wait(0.2)  # not set on opening: what was committed before is the first pass's to find
    for _ in range(3):
        wake.clear()
        poke(pipe)
        assert wake.wait(SOON)
    listener.stop()
    assert not listener.listening.is_set()
    assert open_descriptors() == before
    poke(pipe)  # nobody reads it now: the write end cannot even be opened, and nothing blocks
    assert pipe.is_fifo()


def test_a_file_in_the_pipes_place_is_never_written_and_the_poll_covers(tmp_path: Path) -> None:
    pipe = tmp_path / "instance.db-wake"
    pipe.write_bytes(b"kept")
    poke(pipe)
    assert pipe.read_bytes() == b"kept"
    wake = Wake()
    listener = PipeListener(pipe, wake, "test")
    listener.start()
    listener.stop()
    assert not wake.wait(0.1)
    assert pipe.read_bytes() == b"kept"


def test_only_a_sqlite_file_store_has_a_pipe(tmp_path: Path) -> None:
    assert pipe_path(f"sqlite:///{tmp_path}/a.db") == tmp_path / "a.db-wake"
    assert pipe_path("sqlite://") is None
    assert pipe_path("sqlite:///:memory:") is None
    assert pipe_path("postgresql+psycopg://postgres@127.0.0.1:5432/x") is None


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
        assert listener.listening.wait(SOON) and listener.settled.is_set()
        # Not set on its first LISTEN: what was committed before is the worker's first pass's to find.
        assert not wake.wait(0.2)
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
        assert wake.wait(SOON)  # a reconnection sets it: what was committed meanwhile is due
        store = Store(pg_url)
        wake.clear()
        with store.write() as db:
            db.execute(text(f"NOTIFY {CHANNEL}"))
        assert wake.wait(SOON)
        store.dispose()
    finally:
        listener.stop()
    assert not listener.listening.is_set()
