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
from finstance.core.worker import Worker
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
