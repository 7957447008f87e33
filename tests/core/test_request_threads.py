"""Blocking request handlers share a small pool of threads per process, of the size the settings give."""

from __future__ import annotations

import anyio.to_thread
import httpx

from finstance.app import create_app
from finstance.core.clock import ManualClock
from finstance.core.instance import Settings, settings_from_env, toolbox_spec


async def test_the_app_sizes_the_request_thread_pool_from_its_settings(
    sqlite_store_url: str, clock: ManualClock
) -> None:
    limiter = anyio.to_thread.current_default_thread_limiter()
    assert limiter.total_tokens == 40  # anyio's default, before the app starts
    app = create_app(toolbox_spec(sqlite_store_url), Settings(run_worker=False, request_threads=3), clock)
    async with app.router.lifespan_context(app):
        assert limiter.total_tokens == 3
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://toolbox.test") as http:
            assert (await http.get("/healthz")).status_code == 200


def test_the_pool_size_is_read_from_the_environment() -> None:
    assert Settings().request_threads == 4
    assert settings_from_env({"FINSTANCE_REQUEST_THREADS": "8"}).request_threads == 8
