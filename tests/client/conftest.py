"""Clients of the in-process toolbox and demo-us apps: async over ``httpx.ASGITransport``; sync over an
``httpx.Client`` whose transport runs the same ASGI app (lifespan included) on an event loop in a helper
thread (an anyio blocking portal), as Starlette's TestClient does.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager

import httpx
import pytest
from anyio.from_thread import BlockingPortal, start_blocking_portal
from fastapi import FastAPI

from finstance.app import create_app
from finstance.client import AsyncFlinksClient, FlinksClient, InstanceConfig, local
from finstance.core.clock import ManualClock
from finstance.core.country import Country
from finstance.core.instance import (
    TOOLBOX_API_KEY,
    TOOLBOX_CUSTOMER_ID,
    TOOLBOX_SECRET_KEY,
    InstanceSpec,
    toolbox_spec,
)
from tests.conftest import TEST_SETTINGS, US_API_KEY, US_CUSTOMER_ID, US_SECRET_KEY, us_spec

BASE_URL = "http://toolbox.test"


class PortalTransport(httpx.BaseTransport):
    """A sync transport that hands each request to ``httpx.ASGITransport`` on the portal's loop."""

    def __init__(self, app: FastAPI, portal: BlockingPortal) -> None:
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


@contextmanager
def sync_http(spec: InstanceSpec, clock: ManualClock) -> Iterator[httpx.Client]:
    app = create_app(spec, TEST_SETTINGS, clock)
    with (
        start_blocking_portal() as portal,
        portal.wrap_async_context_manager(app.router.lifespan_context(app)),
        httpx.Client(transport=PortalTransport(app, portal)) as http,
    ):
        yield http


@pytest.fixture
def toolbox_config() -> InstanceConfig:
    return local(BASE_URL, TOOLBOX_CUSTOMER_ID, TOOLBOX_SECRET_KEY, TOOLBOX_API_KEY, name="toolbox")


@pytest.fixture
def us_config() -> InstanceConfig:
    return local(BASE_URL, US_CUSTOMER_ID, US_SECRET_KEY, US_API_KEY, name="demo-us", country=Country.US)


@pytest.fixture
async def toolbox_client(
    toolbox: httpx.AsyncClient, toolbox_config: InstanceConfig
) -> AsyncIterator[AsyncFlinksClient]:
    async with AsyncFlinksClient(toolbox_config, http_client=toolbox) as client:
        yield client


@pytest.fixture
async def us_client(
    demo_us: httpx.AsyncClient, us_config: InstanceConfig
) -> AsyncIterator[AsyncFlinksClient]:
    async with AsyncFlinksClient(us_config, http_client=demo_us) as client:
        yield client


@pytest.fixture
def sync_toolbox_client(
    store_url: str, clock: ManualClock, toolbox_config: InstanceConfig
) -> Iterator[FlinksClient]:
    with (
        sync_http(toolbox_spec(store_url), clock) as http,
        FlinksClient(toolbox_config, http_client=http) as client,
    ):
        yield client


@pytest.fixture
def sync_us_client(store_url: str, clock: ManualClock, us_config: InstanceConfig) -> Iterator[FlinksClient]:
    with sync_http(us_spec(store_url), clock) as http, FlinksClient(us_config, http_client=http) as client:
        yield client
