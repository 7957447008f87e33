"""ASGI middleware: body size limit and case-insensitive Flinks endpoint names."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterable

import orjson
from sqlalchemy import exc as sa_exc
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from finstance.core import errors

log = logging.getLogger("finstance.api")

_JSON_HEADERS = [(b"content-type", b"application/json; charset=utf-8")]


async def _send_error(send: Send, exc: errors.FlinksError) -> None:
    body = orjson.dumps(exc.body())
    extra = [(k.lower().encode(), v.encode()) for k, v in exc.headers.items()]
    await send(
        {
            "type": "http.response.start",
            "status": exc.http_status,
            "headers": [*_JSON_HEADERS, (b"content-length", str(len(body)).encode()), *extra],
        }
    )
    await send({"type": "http.response.body", "body": body})


def path_for_log(path: str) -> str:
    """A path with its identifiers masked: ``/v3/{customerId}/BankingServices/DeleteCard/{…}``."""
    parts = path.split("/")
    if len(parts) >= 5 and parts[1].lower() == "v3":
        masked = ["", "v3", "{customerId}", parts[3][:40], parts[4][:60]]
        return "/".join(masked) + ("/{…}" if len(parts) > 5 else "")
    return path[:80]


def store_outage(exc: BaseException) -> bool:
    """An error that says the store could not be reached or is busy, rather than a bug: a pool timeout, a
    dropped connection, or a DB-API OperationalError or InterfaceError (refused connection, server shutting
    down), except SQLite's, which also reports broken schemas: there, only a locked or unreadable file.
    """
    if isinstance(exc, sa_exc.TimeoutError):
        return True
    if isinstance(exc, sa_exc.DBAPIError) and exc.connection_invalidated:
        return True
    if not isinstance(exc, sa_exc.OperationalError | sa_exc.InterfaceError):
        return False
    if isinstance(exc.orig, sqlite3.Error):
        return str(exc.orig).startswith(_SQLITE_OUTAGES)
    return True


_SQLITE_OUTAGES = ("database is locked", "unable to open database", "disk I/O error", "database is busy")


class CatchAll:
    """The last line: an unexpected exception becomes a Flinks-shaped 500 and stops here.

    A store that cannot be reached is not unexpected: it answers 503 RETRY_LATER with Retry-After, and the
    client may retry (every write is one transaction, so nothing was half done).

    Starlette's own server-error handler answers and then re-raises, so the server would log a traceback
    (whose text can carry end-user data) and drop the connection. Only the exception's type and the masked
    route are logged.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as exc:
            outage = store_outage(exc)
            log.error(
                "%s %s on %s %s",
                "store unavailable:" if outage else "unexpected",
                type(exc).__name__,
                scope.get("method"),
                path_for_log(scope["path"]),
            )
            if not started:
                error = errors.StoreUnavailable() if outage else errors.AggregationError()
                if not outage:
                    error.message = "An unexpected error occurred."
                await _send_error(send, error)


class BodyLimit:
    """Refuse bodies over ``limit`` bytes with a Flinks-shaped 413, before the app reads them.

    Paths under ``/v3/{customerId}/`` whose lower-cased rest starts with a prefix of ``large`` (the bulk
    uploads and the file uploads products declare), or whose whole lower-cased path starts with one that
    starts with ``/`` (a page's form), get that prefix's limit instead.
    """

    def __init__(self, app: ASGIApp, limit: int, large: Iterable[tuple[str, int]] = ()) -> None:
        self.app, self.default = app, limit
        self.large = tuple((prefix.lower(), size) for prefix, size in large)

    def _limit(self, path: str) -> int:
        if self.large:
            lowered = path.lower()
            parts = lowered.split("/", 3)  # ['', 'v3', '{customerId}', rest]
            rest = parts[3] if len(parts) == 4 and parts[1] == "v3" else None
            for prefix, size in self.large:
                if lowered.startswith(prefix) if prefix.startswith("/") else rest and rest.startswith(prefix):
                    return size
        return self.default

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        limit = self._limit(scope["path"])
        for name, value in scope["headers"]:
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    await _send_error(send, errors.InvalidRequest("Invalid Content-Length header."))
                    return
                if declared > limit:
                    await _send_error(send, errors.PayloadTooLarge())
                    return
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                await _send_error(send, errors.PayloadTooLarge())
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": b"".join(chunks), "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


class CanonicalPaths:
    """Flinks matches endpoint names case-insensitively: ``/getaccountsdetail/`` is ``/GetAccountsDetail``."""

    def __init__(self, app: ASGIApp, names: Iterable[str]) -> None:
        self.app = app
        self.names = {n.lower(): n for n in names}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            parts = scope["path"].split("/")
            # ['', 'v3', '{customerId}', 'BankingServices', '{Endpoint}', ...]
            if len(parts) >= 5 and parts[1].lower() == "v3" and parts[3].lower() == "bankingservices":
                endpoint = self.names.get(parts[4].lower(), parts[4])
                fixed = ["", "v3", parts[2].lower(), "BankingServices", endpoint, *parts[5:]]
                if len(parts) >= 6 and endpoint == "Institutions" and parts[5].lower() == "routingnumber":
                    fixed[5] = "RoutingNumber"
                # A trailing slash names the same endpoint: served as is, rather than redirected with the
                # client's path (and Host) reflected into a Location header and no Flinks body.
                path = "/".join(fixed).rstrip("/")
                if path != scope["path"]:
                    scope = dict(scope, path=path, raw_path=path.encode())
        await self.app(scope, receive, send)
