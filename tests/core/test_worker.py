"""The worker's loop: what an idle pass costs the store."""

from __future__ import annotations

import time
from dataclasses import replace

from sqlalchemy import Connection, event

from finstance.app import products_of
from finstance.core.clock import ManualClock
from finstance.core.context import InstanceContext
from finstance.core.instance import toolbox_spec
from finstance.core.store import Store
from finstance.core.worker import Worker, first_share
from tests.conftest import TEST_SETTINGS


def test_an_idle_worker_reads_and_prunes_once_a_minute(store_url: str, clock: ManualClock) -> None:
    """An idle instance's worker polls all day. Its passes (every product's tick, due jobs, due deliveries)
    only read when nothing is due; the two housekeeping writes, forgetting rate windows that are over and
    expired API tokens, run at its first pass and then once a minute. On SQLite each write transaction holds
    the lock every other writer of the store queues for."""
    store = Store(store_url)
    store.migrate()
    spec = toolbox_spec(store_url)
    settings = replace(TEST_SETTINGS, worker_poll_seconds=0.01)
    ctx = InstanceContext(spec, store, clock, settings, products=products_of(spec))
    writes: list[Connection] = []
    prunes: list[str] = []

    def began(conn: Connection) -> None:
        if conn.get_execution_options().get("finstance_immediate"):
            writes.append(conn)

    def seen(conn: object, cursor: object, statement: str, *args: object) -> None:
        if statement.lstrip().upper().startswith("DELETE FROM"):
            prunes.append(statement.split()[2])

    event.listen(store.engine, "begin", began)
    event.listen(store.engine, "before_cursor_execute", seen)
    worker = Worker(ctx)
    try:
        worker.start()
        deadline = time.monotonic() + 10
        while worker.passes < 20 and time.monotonic() < deadline:
            time.sleep(0.01)
    finally:
        worker.stop()
        event.remove(store.engine, "begin", began)
        event.remove(store.engine, "before_cursor_execute", seen)
        store.dispose()
    assert worker.passes >= 20
    assert sorted(prunes) == ["api_tokens", "rate_counters"]
    assert len(writes) == 2


def test_a_worker_waits_for_its_share_of_a_poll_before_its_first_pass_unless_woken(
    store_url: str, clock: ManualClock
) -> None:
    """The instances of a region start their workers together: each waits for its own share of a second (or
    of the poll, when it is shorter) before its first pass, spread over instance names, so they neither all
    run while the process starts nor all poll at once. An event (the wake) starts the pass at once."""
    shares = [first_share(f"bench{i:03d}-ca") for i in range(50)]
    assert all(0 <= s < 1 for s in shares)
    assert len({int(10 * s) for s in shares}) >= 8  # spread over the interval, not bunched
    assert first_share("bench007-ca") == first_share("bench007-ca")  # the same at every start
    name = next(f"late{i}" for i in range(100) if first_share(f"late{i}") > 0.8)
    store = Store(store_url)
    store.migrate()
    spec = replace(toolbox_spec(store_url), name=name)
    settings = replace(TEST_SETTINGS, worker_poll_seconds=60.0)
    ctx = InstanceContext(spec, store, clock, settings, products=products_of(spec))
    worker = Worker(ctx)
    try:
        worker.start()
        time.sleep(0.3)
        assert worker.passes == 0  # still within its share: more than 0.8 s
        ctx.wake.set()
        deadline = time.monotonic() + 10
        while worker.passes == 0 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert worker.passes == 1
    finally:
        worker.stop()
        store.dispose()
