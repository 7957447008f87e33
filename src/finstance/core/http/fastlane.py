"""The fast lane: hot paths answered before the app's middleware and router, everything else left to them.

A kept GetAccountsDetail costs tens of microseconds to answer, a token or a cached Authorize a statement or
five; the layers a request crosses to reach its route (FastAPI's and Starlette's middleware, ours, routing,
dependency solving, the hop to the request thread pool) cost several times that. A product declares its hot
paths (``Product.fast``: method and path under ``/v3/{customerId}/``, and a :class:`FastRoute` of handlers),
and the instance's app (:class:`InstanceApp`) hands such a request's headers and body to the handlers before
anything else runs, then sends their bytes as the route would.

A handler answers only what it checks completely. For anything else (a malformed body, a wrong key, a limit
reached, an aggregation to wait for, an error to report) it answers None, and the request goes on through
the whole app with its body, as if the lane were not there: errors stay the route's, byte for byte. A read
handler never writes; a write handler commits the rows the route would write for the same answer, and
nothing when it answers None, so the route then writes as it always does. What the outer layers would do to
a request the lane answers, it does itself: it matches endpoint names as the app does (any case, a trailing
slash), hands a body over the size limit to the app (which refuses it), counts the answer in the app's
metrics, and a handler that fails hands the request to the app, whose route answers (and reports the error,
if it is one).

A read handler runs on the event loop: a thread hop costs about as much as the rest of a kept answer. On
SQLite its one indexed read is made there (tens of microseconds). Off SQLite a read waits for a round trip, so
the handler runs in ``Store.reading_ahead``: each row it reads is fetched on the loop without blocking it, and
the handler runs again with the row at hand; when a row cannot be fetched so, it runs in a small executor of
the instance's own. On SQLite a write handler runs on the loop too, its transaction taking SQLite's write lock
only if it is free at once (``Store.without_waiting``); when another thread or process holds it, the handler
has written nothing and runs again in that executor, where it may wait. Off SQLite, write handlers run in the
executor, so a slow store holds no other request.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

from fastapi import FastAPI
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from finstance.core.http.middleware import path_for_log
from finstance.core.http.observability import endpoint_of
from finstance.core.http.responses import JSON
from finstance.core.store.engine import HOT_CONNECTIONS, NeedsRow, WouldWait

if TYPE_CHECKING:
    from finstance.core.context import InstanceContext
    from finstance.core.http.observability import Metrics
    from finstance.core.product import FastHandler, FastRoute, Product

log = logging.getLogger("finstance.api")


class FastLane:
    """The hot paths of one instance's products, by method and lower-cased path."""

    def __init__(self, customer_id: str, products: Sequence[Product], limit: int) -> None:
        self.limit = limit  # the app's body limit: a larger body is the app's to refuse
        self._threads: ThreadPoolExecutor | None = None
        self.routes: dict[tuple[str, str], FastRoute] = {
            (method, f"/v3/{customer_id}{path}".lower()): route
            for product in products
            for (method, path), route in product.fast.items()
        }

    def route(self, scope: Scope) -> FastRoute | None:
        path: str = scope["path"]
        return self.routes.get((scope["method"], path.rstrip("/").lower()))

    def _executor(self) -> ThreadPoolExecutor:
        """The threads of this instance's lane handlers (off SQLite, and every write): as many as its store
        keeps connections for hot reads, started as they are needed. Its own, so that a slow store holds no
        other instance's requests; and a plain executor, since a hop through anyio's thread pool costs about
        as much as the read."""
        if self._threads is None:
            self._threads = ThreadPoolExecutor(HOT_CONNECTIONS, thread_name_prefix="fast-lane")
        return self._threads

    def close(self) -> None:
        """Let the threads go (the app's lifespan ends)."""
        threads, self._threads = self._threads, None
        if threads is not None:
            threads.shutdown(wait=False)

    async def serve(
        self, route: FastRoute, app: ASGIApp, ctx: InstanceContext, metrics: Metrics,
        scope: Scope, receive: Receive, send: Send,
    ) -> None:  # fmt: skip
        """Answer with ``route``'s handlers, or hand the request, its body included, to ``app``."""
        started = time.perf_counter()
        if _declared_length(scope) > self.limit:  # the app refuses it before its body comes
            await app(scope, receive, send)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":  # the client left: the app sees it too
                await app(scope, _replay(chunks, message, receive), send)
                return
            chunk = message.get("body", b"")
            chunks.append(chunk)
            size += len(chunk)
            if size > self.limit:
                await app(scope, _replay(chunks, None, receive), send)
                return
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        headers: Mapping[bytes, bytes] = dict(scope["headers"])
        answer: bytes | None = None
        try:
            if route.read is not None:
                answer = await self._read(route.read, ctx, headers, body)
            if answer is None and route.write is not None:
                answer = await self._write(route.write, ctx, headers, body)
        except Exception as exc:  # the route answers, and reports the error if it is one
            log.warning("fast lane: %s on %s %s; the route answers", type(exc).__name__, scope["method"],
                        path_for_log(scope["path"]))  # fmt: skip
            answer = None
        if answer is None:
            await app(scope, _replay(chunks, None, receive), send)
            return
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [(b"content-length", str(len(answer)).encode()), _CONTENT_TYPE],
            }
        )
        await send({"type": "http.response.body", "body": answer})
        metrics.observe(endpoint_of(scope["path"]), scope["method"], 200, time.perf_counter() - started, None)

    async def _run(
        self, handler: FastHandler, ctx: InstanceContext, headers: Mapping[bytes, bytes], body: bytes,
        *, on_loop: bool,
    ) -> bytes | None:  # fmt: skip
        if on_loop:
            return handler(ctx, headers, body)
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor(), handler, ctx, headers, body)

    async def _read(
        self, handler: FastHandler, ctx: InstanceContext, headers: Mapping[bytes, bytes], body: bytes
    ) -> bytes | None:
        """A read handler runs on the loop. On SQLite its reads are made there; off SQLite each row it reads
        is fetched on the loop without blocking it (``Store.reading_ahead``), and it runs again with the row
        at hand. When a row cannot be fetched so, it runs in the lane's threads."""
        if ctx.store.backend == "sqlite":
            return handler(ctx, headers, body)
        rows: dict[Any, Any] = {}
        try:
            for _ in range(_READS_AHEAD):
                try:
                    with ctx.store.reading_ahead(rows):
                        return handler(ctx, headers, body)
                except NeedsRow as need:
                    await ctx.store.fetch_ahead(rows, need)
        except WouldWait:
            pass
        return await self._run(handler, ctx, headers, body, on_loop=False)

    async def _write(
        self, handler: FastHandler, ctx: InstanceContext, headers: Mapping[bytes, bytes], body: bytes
    ) -> bytes | None:
        """On SQLite a write handler first runs on the loop, its transaction taking the lock only if it is
        free at once; when it is not (another thread's or process's write holds it), nothing was written and
        the handler runs again in the lane's threads, where it may wait."""
        if ctx.store.backend == "sqlite":
            try:
                with ctx.store.without_waiting():
                    return handler(ctx, headers, body)
            except WouldWait:
                pass
        return await self._run(handler, ctx, headers, body, on_loop=False)


class InstanceApp(FastAPI):
    """The app of one instance: a FastAPI app whose hot paths take the fast lane (``lane``, None when off)
    before its middleware and router."""

    lane: FastLane | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        lane = self.lane
        if lane is not None and scope["type"] == "http":
            route = lane.route(scope)
            ctx: InstanceContext | None = getattr(self.state, "ctx", None)  # None before the lifespan
            if route is not None and ctx is not None:
                await lane.serve(route, super().__call__, ctx, self.state.metrics, scope, receive, send)
                return
        await super().__call__(scope, receive, send)


_CONTENT_TYPE = (b"content-type", JSON.encode())
_READS_AHEAD = 4  # the rows a read handler may need on the loop; one that needs more runs in a thread


def _declared_length(scope: Scope) -> int:
    """The Content-Length a request declares (0 when it declares none, or none the app accepts)."""
    for name, value in scope["headers"]:
        if name == b"content-length":
            return int(value) if value.isdigit() else 0
    return 0


def _replay(chunks: list[bytes], first: Message | None, receive: Receive) -> Receive:
    """A receive that gives the app the body already read, then whatever comes next."""
    last = len(chunks) - 1
    pending: list[Message] = [
        {"type": "http.request", "body": chunk, "more_body": i < last} for i, chunk in enumerate(chunks)
    ]
    if first is not None:
        pending.append(first)

    async def replayed() -> Message:
        if pending:
            return pending.pop(0)
        return await receive()

    return replayed
