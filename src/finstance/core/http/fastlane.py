"""The fast lane: hot reads answered before FastAPI's router, and everything else left to it.

Routing, dependency solving and the hop to the request thread pool cost about 0.6 ms a request, more than a
kept GetAccountsDetail costs to answer. A product declares its hot reads (``Product.fast``: method and path
under ``/v3/{customerId}/``, and a handler); this middleware, the innermost of the app (the body limit and the
canonical endpoint names have run), hands such a request's headers and body to the handler and sends its
bytes as the route would. The handler answers only what it checks completely, without writing; for anything
else (a malformed body, a wrong key, a session to touch, an aggregation to wait for, an error to report) it
answers None and the request goes on to the router with its body, as if the lane were not there: errors and
side effects stay the route's, byte for byte.

On SQLite the handler runs on the event loop: its one indexed read takes tens of microseconds and a thread
hop costs more. On PostgreSQL it runs in the request thread pool, so a slow round trip holds no other request.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import anyio.to_thread
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from finstance.core.http.responses import JSON

if TYPE_CHECKING:
    from finstance.core.context import InstanceContext
    from finstance.core.product import FastHandler, Product


class FastLane:
    def __init__(self, app: ASGIApp, customer_id: str, products: Sequence[Product]) -> None:
        self.app = app
        self.prefix = f"/v3/{customer_id}"
        self.routes: dict[tuple[str, str], FastHandler] = {
            key: handler for product in products for key, handler in product.fast.items()
        }

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        handler = self._handler(scope) if self.routes else None
        if handler is None:
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        while True:
            message = await receive()
            if message["type"] != "http.request":  # the client left: the route sees it too
                await self.app(scope, _replay([], message, receive), send)
                return
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        ctx: InstanceContext = scope["app"].state.ctx
        headers: Mapping[bytes, bytes] = dict(scope["headers"])
        if ctx.store.engine.dialect.name == "sqlite":
            answer = handler(ctx, headers, body)
        else:
            answer = await anyio.to_thread.run_sync(handler, ctx, headers, body)
        if answer is None:
            await self.app(scope, _replay(chunks, None, receive), send)
            return
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [(b"content-length", str(len(answer)).encode()), _CONTENT_TYPE],
            }
        )
        await send({"type": "http.response.body", "body": answer})

    def _handler(self, scope: Scope) -> FastHandler | None:
        if scope["type"] != "http":
            return None
        path: str = scope["path"]
        if not path.startswith(self.prefix):
            return None
        return self.routes.get((scope["method"], path[len(self.prefix) :]))


_CONTENT_TYPE = (b"content-type", JSON.encode())


def _replay(chunks: list[bytes], first: Message | None, receive: Receive) -> Receive:
    """A receive that gives the route the body already read, then whatever comes next."""
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
