"""The worker's loop: what an idle pass costs the store."""

from __future__ import annotations

import time
from dataclasses import replace

from sqlalchemy import event

from finstance.core.clock import ManualClock
from finstance.core.context import InstanceContext
from finstance.core.instance import toolbox_spec
from finstance.core.store import Store
from finstance.core.worker import Worker
from tests.conftest import TEST_SETTINGS


def test_an_idle_worker_prunes_once_a_minute_not_at_every_pass(store_url: str, clock: ManualClock) -> None:
    """Forgetting rate windows and expired tokens are writes; a worker polling every 10 ms does them at its
    first pass and then once a minute, while its passes go on."""
    store = Store(store_url)
    store.migrate()
    ctx = InstanceContext(
        toolbox_spec(store_url), store, clock, replace(TEST_SETTINGS, worker_poll_seconds=0.01)
    )
    prunes: list[str] = []

    def seen(conn: object, cursor: object, statement: str, *args: object) -> None:
        if statement.lstrip().upper().startswith("DELETE FROM"):
            prunes.append(statement.split()[2])

    event.listen(store.engine, "before_cursor_execute", seen)
    worker = Worker(ctx)
    try:
        worker.start()
        deadline = time.monotonic() + 10
        while worker.passes < 20 and time.monotonic() < deadline:
            time.sleep(0.01)
    finally:
        worker.stop()
        event.remove(store.engine, "before_cursor_execute", seen)
        store.dispose()
    assert worker.passes >= 20
    assert sorted(prunes) == ["api_tokens", "rate_counters"]
