"""Serving instances: the embedded default, a region, or one instance with N worker processes.

- Embedded default: toolbox, demo-ca and demo-us in one process, each on its own loopback port.
- Region (``--region CA``): every instance of one country on one port, routed by the Host header to the
  instance whose API or Connect host it is; any other host gets a Flinks-shaped 404.
- One instance (``--instance NAME``): alone on its port, optionally as N uvicorn worker processes that share
  nothing but the instance's store.

Before anything listens, :func:`preflight` refuses what would break residency: an instance of another
country in a region, two instances on one store, or a store stamped for another instance.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import ssl
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import uvicorn
from fastapi import FastAPI
from starlette.types import Receive, Scope, Send

from finstance.app import create_app, products_of, schema
from finstance.core import errors
from finstance.core.clock import SystemClock
from finstance.core.context import InstanceContext
from finstance.core.country import Country
from finstance.core.http.protocol import FlinksHttpProtocol
from finstance.core.instance import Settings, settings_from_env
from finstance.core.logs import configure_logging
from finstance.core.store import Store
from finstance.core.store.engine import describe_store_error, head_revision
from finstance.core.store.stamp import ResidencyViolation, ensure_stamp
from finstance.instances.directory import Directory, DirectoryError, Entry, store_identity

ENV_DATA_DIR = "FINSTANCE_DATA_DIR"
ENV_INSTANCE = "FINSTANCE_INSTANCE"
ENV_REGION = "FINSTANCE_REGION"


class ServeError(Exception):
    """Serving cannot start; the message says why."""


class DirectoryKeys:
    """The current key hashes of one instance, re-read when the directory file changes (key rotation)."""

    _NOTHING = ("sha256$revoked", "sha256$revoked")

    def __init__(self, directory: Directory, entry: Entry) -> None:
        self.directory, self.name = directory, entry.name
        self._version = directory.version()
        self._hashes = (entry.secret_key_hash, entry.api_key_hash)
        self._lock = threading.Lock()

    def current(self) -> tuple[str, str]:
        version = self.directory.version()
        if version != self._version:
            with self._lock:
                try:
                    entry = self.directory.find(self.name)
                except DirectoryError:
                    return self._hashes  # a file being replaced: keep the last good keys
                self._hashes = (entry.secret_key_hash, entry.api_key_hash) if entry else self._NOTHING
                self._version = version
        return self._hashes


def preflight(entries: Sequence[Entry], region: Country | None = None, *, migrate: bool = True) -> None:
    """Refuse to serve what would break residency; apply migrations once, before any process starts.

    With ``migrate=False`` (deployments that run ``finstance db upgrade`` as a release step) a store whose
    schema is not the newest is refused instead of upgraded.
    """
    stores: dict[tuple[str, ...], str] = {}  # each store's instance so far
    for entry in entries:
        if region is not None and entry.country_code is not region:
            raise ServeError(
                f"instance {entry.name!r} is in {entry.country}; this region serves {region.value} only"
            )
        identity = store_identity(entry.store_url)
        if identity is not None:
            if identity in stores:
                raise ServeError(
                    f"instances {stores[identity]!r} and {entry.name!r} are configured with the same store"
                )
            stores[identity] = entry.name
    for entry in entries:
        store = Store(entry.store_url)
        try:
            if migrate:
                store.migrate(schema=schema())
            elif (found := store.revision()) != head_revision():
                raise ServeError(
                    f"the store of {entry.name!r} is at schema {found or 'none'}, not {head_revision()}: "
                    "run `finstance db upgrade` first"
                )
            ensure_stamp(store, entry.spec(), datetime.now(UTC))
        except ResidencyViolation as exc:
            raise ServeError(str(exc)) from None
        except ServeError:
            raise
        except Exception as exc:
            raise ServeError(
                f"cannot open the store of {entry.name!r}: {describe_store_error(entry.store_url, exc)}"
            ) from None
        finally:
            store.dispose()


def instance_context(entry: Entry, settings: Settings | None = None) -> InstanceContext:
    """The context of one instance for work outside the API (CLI commands, a worker process)."""
    preflight([entry])
    spec = entry.spec()
    return InstanceContext(
        spec,
        Store(entry.store_url),
        SystemClock(),
        settings or settings_from_env(),
        products=products_of(spec),
    )


def instance_app(directory: Directory, entry: Entry, settings: Settings | None = None) -> FastAPI:
    settings = settings or settings_from_env(migrate_on_start=False)
    return create_app(entry.spec(), settings, keys=DirectoryKeys(directory, entry))


class HostRouter:
    """One port, several instances: each request goes to the instance whose host it names."""

    def __init__(self, routes: dict[str, FastAPI]) -> None:
        self.routes = {host.lower(): app for host, app in routes.items()}
        self.apps = list(dict.fromkeys(self.routes.values()))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        host = ""
        for name, value in scope.get("headers", []):
            if name == b"host":
                host = value.decode("latin-1").rsplit(":", 1)[0].strip().lower()
                break
        app = self.routes.get(host)
        if app is None:
            if scope["type"] != "http":
                return
            exc = errors.NotFound("No instance is served at this host.")
            body = orjson.dumps(exc.body())
            await send({"type": "http.response.start", "status": 404,
                        "headers": [(b"content-type", b"application/json; charset=utf-8"),
                                    (b"content-length", str(len(body)).encode())]})  # fmt: skip
            await send({"type": "http.response.body", "body": body})
            return
        await app(scope, receive, send)

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        stack = contextlib.AsyncExitStack()
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                try:
                    for app in self.apps:
                        await stack.enter_async_context(app.router.lifespan_context(app))
                except Exception as exc:
                    await stack.aclose()
                    await send({"type": "lifespan.startup.failed", "message": str(exc)})
                    return
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await stack.aclose()
                await send({"type": "lifespan.shutdown.complete"})
                return


def region_router(directory: Directory, entries: Sequence[Entry]) -> HostRouter:
    routes: dict[str, FastAPI] = {}
    for entry in entries:
        app = instance_app(directory, entry)
        routes[entry.api_host] = app
        routes[entry.iframe_host] = app
    return HostRouter(routes)


# -- running servers --------------------------------------------------------------------------------


class _GroupMember(uvicorn.Server):
    """A uvicorn server that leaves signals to its group."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


@dataclass(frozen=True, slots=True)
class Listener:
    app: Any
    host: str
    port: int


@dataclass(frozen=True, slots=True)
class Tls:
    """HTTPS on every listener: the server's certificate and key, and with ``client_ca`` mutual TLS, where a
    client must present a certificate that CA signed (Flinks' upload API demands one)."""

    certfile: str
    keyfile: str
    client_ca: str | None = None

    def config(self) -> dict[str, Any]:
        return {
            "ssl_certfile": self.certfile,
            "ssl_keyfile": self.keyfile,
            "ssl_ca_certs": self.client_ca,
            "ssl_cert_reqs": ssl.CERT_REQUIRED if self.client_ca else ssl.CERT_NONE,
        }

    def check(self) -> None:
        """Refuse files that cannot be read or do not make a TLS server, before anything listens."""
        try:
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            context.load_cert_chain(self.certfile, self.keyfile)
            if self.client_ca:
                context.load_verify_locations(self.client_ca)
        except (OSError, ssl.SSLError) as exc:
            raise ServeError(f"cannot use the TLS files: {exc.strerror or exc}") from None


def bind(host: str, port: int) -> socket.socket:
    """Bind a listening socket ourselves, so that a busy port is a clear error before anything starts."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        sock = socket.socket(family, kind, proto)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
    except OSError as exc:
        raise ServeError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    sock.set_inheritable(True)
    return sock


def run_group(listeners: Sequence[Listener], *, access_log: bool = False, tls: Tls | None = None) -> bool:
    """Serve every listener in this process until Ctrl-C or SIGTERM. Returns whether all started."""
    sockets = []
    try:
        for one in listeners:
            sockets.append(bind(one.host, one.port))
    except ServeError:
        for sock in sockets:
            sock.close()
        raise
    servers = [
        _GroupMember(uvicorn.Config(one.app, host=one.host, port=one.port, log_config=None,
                                    log_level="info", access_log=access_log, lifespan="on",
                                    http=FlinksHttpProtocol, **(tls.config() if tls else {})))
        for one in listeners
    ]  # fmt: skip

    stopping = False

    def stop(*_: object) -> None:
        """First call: a graceful shutdown of every server. A second signal forces the exit."""
        nonlocal stopping
        stopping = True
        for server in servers:
            server.force_exit = server.should_exit
            server.should_exit = True

    async def main() -> None:
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop)
        tasks = [
            asyncio.create_task(s.serve(sockets=[sock])) for s, sock in zip(servers, sockets, strict=True)
        ]
        while not all(t.done() for t in tasks):
            await asyncio.sleep(0.1)
            # One server ended on its own (it could not start): stop the others, once. During a shutdown
            # already under way a finished server is expected; stopping again would force the others to
            # skip their lifespan shutdown.
            if any(t.done() for t in tasks) and not stopping:
                stop()

    asyncio.run(main())
    return all(s.started for s in servers)


def run_workers(
    data_dir: Path,
    name: str,
    host: str,
    port: int,
    workers: int,
    region: Country | None,
    tls: Tls | None = None,
) -> None:
    """One instance as N worker processes (uvicorn's supervisor), each built by :func:`worker_app`."""
    os.environ[ENV_DATA_DIR] = str(data_dir)
    os.environ[ENV_INSTANCE] = name
    if region is not None:
        os.environ[ENV_REGION] = region.value
    extra = tls.config() if tls else {}
    uvicorn.run("finstance.instances.serving:worker_app", factory=True, host=host, port=port, workers=workers,
                log_config=None, log_level="info", access_log=False, http=FlinksHttpProtocol,
                **extra)  # fmt: skip


def worker_app() -> FastAPI:
    """The app of one worker process; the instance is named by the environment (see :func:`run_workers`)."""
    configure_logging()  # a worker process starts afresh: it logs as `finstance serve` does
    directory = Directory(Path(os.environ[ENV_DATA_DIR]))
    entry = directory.get(os.environ[ENV_INSTANCE])
    region = os.environ.get(ENV_REGION)
    if region and entry.country != region:
        raise ServeError(f"instance {entry.name!r} is in {entry.country}; this region serves {region} only")
    return instance_app(directory, entry)
