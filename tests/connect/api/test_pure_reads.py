"""A data call that changes nothing is a pure read: no write transaction, so no writer holds it up.

Another connection holds a write lock (on SQLite the database's, on PostgreSQL the session row's) while the
same GetAccountsDetail is asked again: it answers at once, the same bytes. A call with other options must
store them, so it waits for that lock, which proves the lock was real.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
from sqlalchemy import create_engine, text

from finstance.connect.data import TOUCH_GRANULARITY
from finstance.core.clock import ManualClock
from tests.connect.api.test_data import ready_session
from tests.flinks import Flinks


@contextmanager
def write_lock(store_url: str, request_id: str) -> Iterator[None]:
    engine = create_engine(store_url)
    try:
        with engine.connect() as conn:
            if engine.dialect.name == "sqlite":
                conn.exec_driver_sql("BEGIN IMMEDIATE")
            else:
                conn.execute(text("SELECT id FROM sessions WHERE id = :id FOR UPDATE"), {"id": request_id})
            try:
                yield
            finally:
                conn.rollback()
    finally:
        engine.dispose()


async def test_a_repeated_data_call_is_not_held_up_by_a_writer(
    toolbox: httpx.AsyncClient, clock: ManualClock, store_url: str
) -> None:
    flinks = Flinks(toolbox)
    request_id = (await ready_session(flinks, clock))["RequestId"]
    body = {"RequestId": request_id, "DaysOfTransactions": "Days90", "WithKYC": True}
    first = await flinks.data("GetAccountsDetail", body)  # stores its options and touches the session
    assert first.status_code == 200, first.text

    with write_lock(store_url, request_id):
        again = await asyncio.wait_for(flinks.data("GetAccountsDetail", body), 10)
        assert again.status_code == 200 and again.content == first.content
        polled = await asyncio.wait_for(flinks.poll("GetAccountsDetailAsync", request_id), 10)
        assert polled.status_code == 200 and polled.content == first.content

        changed = asyncio.create_task(flinks.data("GetAccountsDetail", {**body, "WithKYC": False}))
        done, _ = await asyncio.wait({changed}, timeout=1.0)
        assert not done, "a call with new options must write them, so the writer holds it up"
    answer = await asyncio.wait_for(changed, 30)
    assert answer.status_code == 200 and answer.json()["Accounts"][0]["Holder"] is None


async def test_a_data_call_after_the_granularity_restarts_the_idle_clock(
    toolbox: httpx.AsyncClient, clock: ManualClock
) -> None:
    """Reads skip the touch only within TOUCH_GRANULARITY: a RequestId in use never expires."""
    flinks = Flinks(toolbox)
    request_id = (await ready_session(flinks, clock))["RequestId"]
    body = {"RequestId": request_id}
    for _ in range(3):  # 3 x 29 minutes: alive only if each call restarted the 30-minute clock
        clock.advance(29 * 60)
        assert (await flinks.data("GetAccountsSummary", body)).status_code == 200
    clock.advance(TOUCH_GRANULARITY.total_seconds() / 2)
    assert (await flinks.data("GetAccountsSummary", body)).status_code == 200  # a pure read
    clock.advance(30 * 60)
    expired = await flinks.data("GetAccountsSummary", body)
    assert expired.status_code == 400 and expired.json()["FlinksCode"] == "SESSION_NONEXISTENT"
