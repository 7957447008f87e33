"""The in-process sandbox: the real finstance apps of toolbox, demo-ca and demo-us, no network, no sleep.

Each instance is the app of ``finstance.app.create_app`` over its own SQLite file, with a shared
:class:`~finstance.core.clock.ManualClock`. Clients reach the apps through httpx transports: async clients
through ``httpx.ASGITransport``; sync clients through :class:`PortalTransport`, which runs each request
on the event loop of a helper thread where the apps' lifespans run (as Starlette's TestClient does).
Clients built here wait by moving the clock, so polling 202 answers and retry backoff take no time.
"""

from __future__ import annotations

import tempfile
from collections.abc import Mapping
from contextlib import ExitStack
from pathlib import Path
from types import TracebackType
from typing import Any, Self

import anyio.lowlevel
import httpx
from anyio.from_thread import BlockingPortal, start_blocking_portal

from finstance.app import create_app, products_of, schema
from finstance.client import (
    AsyncFlinks,
    AsyncFlinksClient,
    Flinks,
    FlinksClient,
    InstanceConfig,
    LoginStore,
    local,
)
from finstance.client._instances import FLINKS_POLL_INTERVAL
from finstance.core import clients, webhooks
from finstance.core.clock import ManualClock
from finstance.core.context import InstanceContext
from finstance.core.country import Country
from finstance.core.instance import (
    TOOLBOX_API_KEY,
    TOOLBOX_SECRET_KEY,
    InstanceSpec,
    Settings,
    sqlite_url,
    toolbox_spec,
)
from finstance.core.keys import hash_key
from finstance.core.store import Store
from finstance.core.worker import sweep_memory

# Fixed, public test values: an integrator's tests may hard-code them.
DEMO_CA_CUSTOMER_ID = "3f305ebe-6ab2-4744-bb1a-d12414b0173d"
DEMO_US_CUSTOMER_ID = "615d9e39-b026-43fb-b06c-e50cf7bc1251"
DEMO_KEYS = {  # secret key, x-api-key, webhook secret
    "toolbox": (TOOLBOX_SECRET_KEY, TOOLBOX_API_KEY, "toolbox-webhook-secret-for-tests"),
    "demo-ca": (
        "5c1e8a3d-2b4f-4d6a-9e7c-1a2b3c4d5e6f",
        "7d2f9b4e-3c5a-4e7b-8f1d-2b3c4d5e6f70",
        "demo-ca-webhook-secret",
    ),
    "demo-us": (
        "9b1f3c1e-6a57-4a55-9d0c-2f1a7a0e6b11",
        "1c7d9b5e-3f2a-4b8c-a1d0-7e6f5a4b3c2d",
        "demo-us-webhook-secret",
    ),
}
# No rate limits: an integrator's suite may run the same user's flow many times a minute.
SETTINGS = Settings(run_worker=False, token_rate=0, bad_secret_rate=0, authorize_rate=0, login_rate=0)


def _specs(data_dir: Path) -> dict[str, InstanceSpec]:
    toolbox = toolbox_spec(sqlite_url(data_dir / "toolbox.db"))
    specs = {"toolbox": InstanceSpec(**{**_fields(toolbox), "webhook_secret": DEMO_KEYS["toolbox"][2]})}
    for name, country, customer_id in (
        ("demo-ca", Country.CA, DEMO_CA_CUSTOMER_ID),
        ("demo-us", Country.US, DEMO_US_CUSTOMER_ID),
    ):
        secret, api, webhook = DEMO_KEYS[name]
        specs[name] = InstanceSpec(
            name=name, country=country, customer_id=customer_id, secret_key_hash=hash_key(secret),
            api_key_hash=hash_key(api), store_url=sqlite_url(data_dir / f"{name}.db"),
            derive_key=f"finstance-testing|{name}".encode(), sandbox=True, webhook_secret=webhook,
        )  # fmt: skip
    return specs


def _fields(spec: InstanceSpec) -> dict[str, Any]:
    return {name: getattr(spec, name) for name in spec.__dataclass_fields__}


class PortalTransport(httpx.BaseTransport):
    """A sync httpx transport that hands each request to an ASGI app on a blocking portal's loop."""

    def __init__(self, app: Any, portal: BlockingPortal) -> None:
        self._asgi = httpx.ASGITransport(app=app)
        self._portal = portal

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        body = request.read()

        async def send() -> tuple[int, list[tuple[bytes, bytes]], bytes]:
            forwarded = httpx.Request(request.method, request.url, headers=request.headers, content=body)
            response = await self._asgi.handle_async_request(forwarded)
            content = await response.aread()
            return response.status_code, response.headers.raw, content

        status, headers, content = self._portal.call(send)
        return httpx.Response(status, headers=headers, content=content, request=request)


class Sandbox:
    """toolbox (CA), demo-ca and demo-us, started in-process. Use as a context manager, or through the
    pytest plugin's ``finstance_sandbox`` fixture, which starts one per session and resets it per test."""

    def __init__(self, data_dir: str | Path | None = None, *, settings: Settings = SETTINGS) -> None:
        self._data_dir = Path(data_dir) if data_dir is not None else None
        self._settings = settings
        self.clock = ManualClock()
        self._stack = ExitStack()
        self._started = False

    # -- life ----------------------------------------------------------------------------------------

    def start(self) -> Self:
        if self._started:
            return self
        if self._data_dir is None:
            self._data_dir = Path(self._stack.enter_context(tempfile.TemporaryDirectory(prefix="finstance-")))
        self.specs = _specs(self._data_dir)
        self.apps = {name: create_app(spec, self._settings, self.clock) for name, spec in self.specs.items()}
        self.portal: BlockingPortal = self._stack.enter_context(start_blocking_portal())
        for app in self.apps.values():
            self._stack.enter_context(
                self.portal.wrap_async_context_manager(app.router.lifespan_context(app))
            )
        self._stores = {name: Store(spec.store_url) for name, spec in self.specs.items()}
        for store in self._stores.values():
            self._stack.callback(store.dispose)
        self.configs: dict[str, InstanceConfig] = {
            name: local(
                self.base_url(name),
                spec.customer_id,
                DEMO_KEYS[name][0],
                DEMO_KEYS[name][1],
                name=name,
                country=spec.country,
                webhook_secret=spec.signing_secret,
                poll_interval=FLINKS_POLL_INTERVAL,  # Flinks' timing: waits here move the clock, not time
            )
            for name, spec in self.specs.items()
        }
        self.http = self._stack.enter_context(httpx.Client(mounts=self._mounts(sync=True)))
        self._started = True
        return self

    def close(self) -> None:
        self._stack.close()
        self._started = False

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def reset(self) -> None:
        """Forget every token, session, login, job, account and webhook of the three instances, and what each
        keeps of them in memory."""
        tables = [t for t in reversed(schema().sorted_tables) if t.name != "residency_stamp"]
        for store in self._stores.values():
            with store.write() as db:
                for table in tables:
                    db.execute(table.delete())
        for app in self.apps.values():
            sweep_memory(app.state.ctx)  # its logins are gone: what the app keeps of them goes at once

    # -- instances -----------------------------------------------------------------------------------

    @staticmethod
    def base_url(name: str) -> str:
        return f"http://{name}.finstance.test"

    @property
    def toolbox(self) -> InstanceConfig:
        return self.configs["toolbox"]

    @property
    def ca(self) -> InstanceConfig:
        return self.configs["demo-ca"]

    @property
    def us(self) -> InstanceConfig:
        return self.configs["demo-us"]

    def _mounts(self, *, sync: bool) -> Mapping[str, Any]:
        if sync:
            return {self.base_url(n): PortalTransport(app, self.portal) for n, app in self.apps.items()}
        return {self.base_url(n): httpx.ASGITransport(app=app) for n, app in self.apps.items()}

    def async_http(self) -> httpx.AsyncClient:
        """An async HTTP client reaching the three apps (close it, or use ``async with``)."""
        return httpx.AsyncClient(mounts=self._mounts(sync=False))

    def advance(self, seconds: float) -> None:
        """Move the instances' time forward (aggregations take 3 s; tokens live 30 min)."""
        self.clock.advance(seconds)

    def now(self) -> float:
        """The instances' time as Unix seconds: the ``clock`` of a :class:`WebhookReceiver` under test,
        since deliveries are stamped with it."""
        return self.clock.now().timestamp()

    def sleep(self, seconds: float) -> None:
        self.clock.advance(seconds)

    async def async_sleep(self, seconds: float) -> None:
        self.clock.advance(seconds)
        await anyio.lowlevel.checkpoint()

    # -- clients -------------------------------------------------------------------------------------

    def client(self, name: str) -> FlinksClient:
        """A sync client of ``name`` (toolbox, demo-ca, demo-us) that waits by moving the clock."""
        return FlinksClient(self.configs[name], http_client=self.http, sleep=self.sleep)

    def async_client(self, name: str, http_client: httpx.AsyncClient) -> AsyncFlinksClient:
        """An async client of ``name`` over ``http_client`` (from :meth:`async_http`)."""
        return AsyncFlinksClient(self.configs[name], http_client=http_client, sleep=self.async_sleep)

    def flinks(self, logins: LoginStore | None = None) -> Flinks:
        """A router over the three instances; CA end-users go to demo-ca."""
        return Flinks(
            self.configs.values(), logins=logins, routes={"CA": "demo-ca"}, http_client=self.http,
            sleep=self.sleep,
        )  # fmt: skip

    def async_flinks(self, http_client: httpx.AsyncClient, logins: LoginStore | None = None) -> AsyncFlinks:
        return AsyncFlinks(
            self.configs.values(), logins=logins, routes={"CA": "demo-ca"}, http_client=http_client,
            sleep=self.async_sleep,
        )  # fmt: skip

    # -- webhooks ------------------------------------------------------------------------------------

    def context(self, name: str) -> InstanceContext:
        spec = self.specs[name]
        return InstanceContext(
            spec, self._stores[name], self.clock, self._settings, products=products_of(spec)
        )

    def api_client(self, name: str, product: str = "upload") -> tuple[str, str]:
        """A new API client of ``name`` for ``product`` (as ``finstance clients create`` makes one): its
        client id and secret."""
        issued = clients.create(self.context(name), product, "sandbox")
        return issued.client_id, issued.client_secret

    def add_webhook_endpoint(self, name: str, url: str = "http://127.0.0.1/webhooks") -> None:
        """Make ``name`` send its events to ``url`` (deliver them with :meth:`deliver_webhooks`)."""
        webhooks.add_endpoint(self.context(name), url)

    def deliver_webhooks(self, name: str, receiver: Any) -> int:
        """Send ``name``'s due webhooks, signed as a server sends them, to the ASGI app ``receiver``
        (a :class:`finstance.client.WebhookReceiver`, or the integrator's own app). Returns how many."""
        with httpx.Client(transport=PortalTransport(receiver, self.portal)) as http:
            return webhooks.deliver_due(self.context(name), http)
