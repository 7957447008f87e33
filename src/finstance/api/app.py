"""The app factory: one instance's app, built from its spec; its store is opened in the lifespan."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import anyio.to_thread
from fastapi import FastAPI, Request
from fastapi.openapi.utils import get_openapi
from starlette.responses import Response

import finstance
import finstance.services.aggregation  # registers the aggregation job handler
from finstance.api import banking, connect, demo, errors, observability
from finstance.api.middleware import BodyLimit, CanonicalPaths, CatchAll
from finstance.api.responses import json_response
from finstance.clock import Clock, SystemClock
from finstance.instance import InstanceSpec, Settings
from finstance.services.context import InstanceContext, KeySource
from finstance.services.worker import Worker
from finstance.store import Store
from finstance.store.stamp import ensure_stamp


def _open(spec: InstanceSpec, settings: Settings, clock: Clock, keys: KeySource | None) -> InstanceContext:
    store = Store(spec.store_url)
    try:
        if settings.migrate_on_start:
            store.migrate()
        ensure_stamp(store, spec, clock.now())
    except BaseException:
        store.dispose()
        raise
    return InstanceContext(spec=spec, store=store, clock=clock, settings=settings, keys=keys)


def create_app(
    spec: InstanceSpec,
    settings: Settings | None = None,
    clock: Clock | None = None,
    keys: KeySource | None = None,
) -> FastAPI:
    """Build the app of one instance. Nothing is opened until the app's lifespan starts.

    ``keys`` supplies the current key hashes when they can change while serving (rotation); by default
    they are the spec's.
    """
    settings = settings or Settings()
    clock = clock or SystemClock()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        ctx = await anyio.to_thread.run_sync(_open, spec, settings, clock, keys)
        app.state.ctx = ctx
        worker = None
        if settings.run_worker:
            worker = Worker(ctx)
            worker.start()
        try:
            yield
        finally:
            if worker is not None:
                await anyio.to_thread.run_sync(worker.stop)
            ctx.store.dispose()

    app = FastAPI(
        title=f"finstance: {spec.name} ({spec.country.value})",
        version=finstance.__version__,
        description="Flinks-compatible Connect API of one instance. "
        "Every error carries HttpStatusCode, FlinksCode and Message.",
        lifespan=lifespan,
        docs_url="/docs",
        redoc_url=None,
    )
    app.state.spec = spec
    app.router.redirect_slashes = False  # a 307 would carry no Flinks body and echo the Host: a 404 instead
    errors.install(app)
    app.include_router(banking.router)
    app.include_router(connect.router)
    app.include_router(demo.router)
    app.include_router(observability.router)
    app.state.metrics = observability.Metrics()

    @app.get("/", include_in_schema=False)
    async def root(request: Request) -> Response:
        if connect.wants_html(request):  # a browser: the Connect page (the v1 address of Connect)
            return await connect.start(request)
        return json_response(
            {
                "Instance": spec.name,
                "Country": spec.country.value,
                "CustomerId": spec.customer_id,
                "Sandbox": spec.sandbox,
                "Api": f"{str(request.base_url).rstrip('/')}/v3/{spec.customer_id}/BankingServices",
                "OpenApi": "/openapi.json",
                "Connect": f"{str(request.base_url).rstrip('/')}/v2/",
            }
        )

    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    app.add_middleware(CanonicalPaths, names=banking.ENDPOINTS)
    app.add_middleware(BodyLimit, limit=settings.max_body_bytes)
    app.add_middleware(CatchAll)
    app.add_middleware(observability.Measure, metrics=app.state.metrics)  # outermost: counts the 500s too
    return app


def _openapi(app: FastAPI) -> dict[str, Any]:
    """FastAPI's document, minus its own 422 error shape: every error here is a Flinks error body."""
    if app.openapi_schema:
        return app.openapi_schema
    schema = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
    for path in schema.get("paths", {}).values():
        for operation in path.values():
            operation.get("responses", {}).pop("422", None)
    components = schema.get("components", {}).get("schemas", {})
    components.pop("HTTPValidationError", None)
    components.pop("ValidationError", None)
    app.openapi_schema = schema
    return schema
