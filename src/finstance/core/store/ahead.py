"""PostgreSQL's hot reads on the event loop: a read handler of the fast lane need not hop to a thread.

A hop to a thread and back costs a request about as much as everything else the lane does for it (measured:
on SQLite, the cached GetAccountsDetail served 8,561 req/s on the loop and 4,760 through the lane's threads),
and a PostgreSQL read blocks its thread for a round trip to the server, so it cannot run on the loop as
SQLite's does. Here it runs on the loop without blocking it, on psycopg's asynchronous connections: two
per store, kept, opened as SQLAlchemy's engine opens its own (the same parameters, types and JSON
conversions) and in autocommit, as the store's other hot reads are. Each connection runs one statement at a
time; reads beyond that queue on it.

A read by key (``read_by_key``: a session by its id) is not sent alone: the reads of one statement that wait
during one turn of the loop are fetched by one statement for all their keys (``= ANY``) the next turn, so
that under load a round trip, its statement and psycopg's work serve many requests.

When a read cannot be made here (the server cannot be reached, a connection broke) it raises ``WouldWait``,
and the handler runs in the lane's threads instead, whose reads check and replace their connections. After a
failed connect, this path is not tried again for a few seconds, so that an outage costs each request one
wait, not two.
"""

from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING, Any, cast

from psycopg import AsyncConnection, Error

from finstance.core.store.engine import KEYS, WouldWait

if TYPE_CHECKING:
    from sqlalchemy import Engine

# Connections of one store's reads on the loop (a keyed read sends one statement a turn for many requests);
# statements beyond that many at once wait for one.
AHEAD_CONNECTIONS = 2
_CONNECT_TIMEOUT_S = 5
_RETRY_AFTER_S = 5.0  # after a connect failed, the reads go to the threads for this long
_FAILED = object()  # what a keyed read's future holds when its statement failed


class ReadAhead:
    """The asynchronous connections of one PostgreSQL store, on the one event loop that uses them."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._connections: list[AsyncConnection[Any] | None] = [None] * AHEAD_CONNECTIONS
        self._turn = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._connecting: asyncio.Lock | None = None
        self._down_until = 0.0
        # Keyed reads waiting for the next statement, by its SQL: each key's one future.
        self._pending: dict[str, dict[Any, asyncio.Future[object]]] = {}
        self._batches: set[asyncio.Task[None]] = set()

    async def fetch(self, sql: str, arguments: Any) -> tuple[Any, ...] | None:
        """The first row of ``sql`` as the driver gives it (None: no row); WouldWait when it cannot be read
        here now."""
        try:
            rows = await self._rows(sql, arguments)
        except Error as exc:
            raise WouldWait("the read could not be made on the loop") from exc
        return rows[0] if rows else None

    async def fetch_keyed(self, sql: str, key: Any) -> tuple[Any, ...] | None:
        """The row whose key is ``key`` (None: no row), as :meth:`fetch` gives it, of a keyed read: ``sql``
        takes its keys as an array parameter and returns each row with its key last (``Store._keyed``). The
        reads of one such SQL made during one turn of the loop are fetched by one statement, the next turn."""
        loop = asyncio.get_running_loop()
        pending = self._pending.get(sql)
        if pending is None:
            pending = self._pending[sql] = {}
            batch = loop.create_task(self._fetch_batch(sql))
            self._batches.add(batch)
            batch.add_done_callback(self._batches.discard)
        waiting = pending.get(key)
        if waiting is None:
            waiting = pending[key] = loop.create_future()
        row = await asyncio.shield(waiting)  # a request that goes away leaves the others their row
        if row is _FAILED:
            raise WouldWait("the read could not be made on the loop")
        return cast("tuple[Any, ...] | None", row)

    async def _fetch_batch(self, sql: str) -> None:
        pending = self._pending.pop(sql)
        found: dict[Any, tuple[Any, ...]] = {}
        outcome: object = None
        try:
            found = {row[-1]: row[:-1] for row in await self._rows(sql, {KEYS: list(pending)})}
        except Exception:  # the requests' reads run in the lane's threads, which report what fails
            outcome = _FAILED
        for key, waiting in pending.items():
            if not waiting.done():
                waiting.set_result(found.get(key) if outcome is None else outcome)

    async def _rows(self, sql: str, arguments: Any) -> list[tuple[Any, ...]]:
        """The rows of ``sql`` on one of the connections; one that broke meanwhile is given up."""
        conn = await self._connection()
        try:
            async with conn.cursor() as cursor:
                await cursor.execute(sql, arguments)
                return await cursor.fetchall()
        except Error:
            if conn.broken or conn.closed:
                self._drop(conn)
            raise

    async def _connection(self) -> AsyncConnection[Any]:
        loop = asyncio.get_running_loop()
        if loop is not self._loop:  # connections and their lock belong to the loop they were made on
            self.close()
            self._loop, self._connecting = loop, asyncio.Lock()
        assert self._connecting is not None
        if time.monotonic() < self._down_until:
            raise WouldWait("the store could not be reached lately")
        self._turn = turn = (self._turn + 1) % AHEAD_CONNECTIONS
        conn = self._connections[turn]
        if conn is not None and not conn.closed:
            return conn
        async with self._connecting:
            conn = self._connections[turn]
            if conn is None or conn.closed:
                args, params = self._engine.dialect.create_connect_args(self._engine.url)
                try:
                    conn = await AsyncConnection.connect(
                        *args, **params, autocommit=True, connect_timeout=_CONNECT_TIMEOUT_S
                    )
                except Error as exc:
                    self._down_until = time.monotonic() + _RETRY_AFTER_S
                    raise WouldWait("the store cannot be reached") from exc
                self._connections[turn] = conn
            return conn

    def _drop(self, conn: AsyncConnection[Any]) -> None:
        for i, kept in enumerate(self._connections):
            if kept is conn:
                self._connections[i] = None
        conn.pgconn.finish()

    def close(self) -> None:
        """Close the connections (the store is disposed, or another loop uses it now)."""
        connections, self._connections = self._connections, [None] * AHEAD_CONNECTIONS
        for conn in connections:
            if conn is not None and not conn.closed:
                conn.pgconn.finish()
