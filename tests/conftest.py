"""Fixtures shared by every test: stores on SQLite and (when configured) PostgreSQL, clocks, apps.

PostgreSQL runs when ``FINSTANCE_TEST_POSTGRES_URL`` names a server (``.ci/run`` sets it): storage and API
tests that take the ``store_url`` fixture then run once per backend.
"""

from __future__ import annotations

import asyncio
import os
import time
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from finstance.app import create_app
from finstance.core.clock import ManualClock
from finstance.core.country import Country
from finstance.core.instance import InstanceSpec, Settings, sqlite_url, toolbox_spec
from finstance.core.keys import hash_key
from finstance.core.store import Store

PG_URL = os.environ.get("FINSTANCE_TEST_POSTGRES_URL")
BACKENDS = ["sqlite", "postgresql"] if PG_URL else ["sqlite"]


class PostgresDatabases:
    """Creates a migrated template database once, then one clone per test."""

    def __init__(self, server_url: str) -> None:
        self.server_url = make_url(server_url)
        self.admin = create_engine(self.server_url, isolation_level="AUTOCOMMIT")
        self.template = f"finstance_tmpl_{uuid.uuid4().hex[:10]}"
        with self.admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{self.template}"'))
        store = Store(self.url(self.template))
        store.migrate()
        store.dispose()

    def url(self, name: str) -> str:
        return self.server_url.set(database=name).render_as_string(hide_password=False)

    def create(self, *, empty: bool = False) -> str:
        """A new database: a copy of the migrated template, or with ``empty`` one with no table at all."""
        name = f"finstance_t_{uuid.uuid4().hex[:12]}"
        template = "template0" if empty else self.template
        with self.admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
        return name

    def drop(self, name: str) -> None:
        with self.admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    def close(self) -> None:
        self.drop(self.template)
        self.admin.dispose()


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresDatabases | None]:
    if not PG_URL:
        yield None
        return
    databases = PostgresDatabases(PG_URL)
    yield databases
    databases.close()


@pytest.fixture(params=BACKENDS)
def store_url(
    request: pytest.FixtureRequest, tmp_path: Path, postgres: PostgresDatabases | None
) -> Iterator[str]:
    """A fresh, empty store URL on each backend."""
    if request.param == "sqlite":
        yield sqlite_url(tmp_path / "instance.db")
        return
    assert postgres is not None
    name = postgres.create()
    yield postgres.url(name)
    postgres.drop(name)


@pytest.fixture
def sqlite_store_url(tmp_path: Path) -> str:
    return sqlite_url(tmp_path / "instance.db")


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


# No background work: a test runs the worker's passes itself, and its apps sweep their memory only when it
# asks (the tests of the sweeper set a short interval).
TEST_SETTINGS = Settings(run_worker=False, memory_sweep_seconds=3600)


async def wait_for(done: Callable[[], bool], seconds: float = 10.0) -> None:
    """Wait until ``done()``, on real time, for at most ``seconds``; fail the test past them."""
    deadline = time.monotonic() + seconds
    while not done():
        assert time.monotonic() < deadline, f"not done within {seconds} s"
        await asyncio.sleep(0.01)


@asynccontextmanager
async def serve_in_process(
    spec: InstanceSpec, clock: ManualClock, settings: Settings = TEST_SETTINGS
) -> AsyncIterator[httpx.AsyncClient]:
    """The real app, lifespan included, behind an in-process HTTP client."""
    app = create_app(spec, settings, clock)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://toolbox.test") as client:
            yield client


US_CUSTOMER_ID = "615d9e39-b026-43fb-b06c-e50cf7bc1251"
US_SECRET_KEY = "9b1f3c1e-6a57-4a55-9d0c-2f1a7a0e6b11"
US_API_KEY = "1c7d9b5e-3f2a-4b8c-a1d0-7e6f5a4b3c2d"


def us_spec(store_url: str) -> InstanceSpec:
    """A U.S. sandbox instance, for country-specific behaviour."""
    return InstanceSpec(
        name="demo-us",
        country=Country.US,
        customer_id=US_CUSTOMER_ID,
        secret_key_hash=hash_key(US_SECRET_KEY),
        api_key_hash=hash_key(US_API_KEY),
        store_url=store_url,
        derive_key=b"demo-us-derive-key-for-tests-only",
        sandbox=True,
    )


@pytest.fixture
async def demo_us(store_url: str, clock: ManualClock) -> AsyncIterator[httpx.AsyncClient]:
    async with serve_in_process(us_spec(store_url), clock) as client:
        yield client


@pytest.fixture
async def toolbox(store_url: str, clock: ManualClock) -> AsyncIterator[httpx.AsyncClient]:
    async with serve_in_process(toolbox_spec(store_url), clock) as client:
        yield client
